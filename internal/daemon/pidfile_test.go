package daemon

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestPidFileLifecycle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gmond.pid")
	if err := CheckPidFile(path); err != nil {
		t.Fatalf("no pid file yet: %v", err)
	}
	if err := WritePidFile(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != strconv.Itoa(os.Getpid())+"\n" {
		t.Fatalf("pid file holds %q", b)
	}
	if err := CheckPidFile(path); err != nil {
		t.Fatalf("our own pid must not block a restart in place: %v", err)
	}
	if err := RemovePidFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("pid file still there: %v", err)
	}
}

func TestPidFileOfLiveProcessRefuses(t *testing.T) {
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	path := filepath.Join(t.TempDir(), "gmond.pid")
	os.WriteFile(path, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644)
	if err := CheckPidFile(path); !errors.Is(err, ErrAlreadyRunning) {
		t.Fatalf("live pid: got %v, want ErrAlreadyRunning", err)
	}
	// Someone else's pid file is never removed.
	if err := RemovePidFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("foreign pid file removed: %v", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if err := CheckPidFile(path); err != nil {
		t.Fatalf("stale pid file must not block: %v", err)
	}
}
