package templates_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// TestRcGmond drives the AIX rc.d script the way rc.d and an operator do,
// with the real gmond in its detached mode (the script's path without
// SRC, which is all a Linux test machine has), under sh and, when one is
// installed, under ksh, the script's interpreter on AIX.
func TestRcGmond(t *testing.T) {
	bin, dir := binaries(t), sharedDir(t)
	conf := filepath.Join(dir, "gmond.conf")
	writeFile(t, conf, fmt.Sprintf("globals { setuid = no  deaf = yes }\n"+
		"udp_send_channel { host = 127.0.0.1  port = %d }\n", stockganglia.FreePort(t)), 0o644)
	wrapper := filepath.Join(dir, "gmond")
	lpm := testMapping(t, dir, stockganglia.FreePort(t))
	writeFile(t, wrapper, fmt.Sprintf("#!/bin/sh\nexec %s -c %s --mapping %s \"$@\"\n",
		filepath.Join(bin, "gmond"), conf, lpm), 0o755)
	pidFile := filepath.Join(dir, "gmond.pid")
	script := strings.Replace(templates.AIXRcGmond, "\nGMOND=/usr/local/sbin/gmond\n", "\nGMOND="+wrapper+"\n", 1)
	script = strings.Replace(script, "\nPIDFILE=/var/run/gmond.pid\n", "\nPIDFILE="+pidFile+"\n", 1)
	if !strings.Contains(script, wrapper) || !strings.Contains(script, pidFile) {
		t.Fatal("rc.gmond no longer sets GMOND= and PIDFILE= on lines of their own")
	}
	rc := filepath.Join(dir, "rc.gmond")
	writeFile(t, rc, script, 0o755)
	t.Cleanup(func() { killPidFile(pidFile) })
	for _, sh := range append([]string{"sh"}, kshell()...) {
		t.Run(sh, func(t *testing.T) { rcSequence(t, sh, rc, pidFile) })
	}
}

// kshell is the Korn shell installed here, if any.
func kshell() []string {
	for _, k := range []string{"ksh", "ksh93", "mksh"} {
		if _, err := exec.LookPath(k); err == nil {
			return []string{k}
		}
	}
	return nil
}

// rcSequence is an operator's session with the rc.d script run by shell.
func rcSequence(t *testing.T, shell, rc, pidFile string) {
	run := func(arg string, wantCode int, wantOut string) {
		t.Helper()
		out, err := exec.Command(shell, rc, arg).CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != wantCode || !bytes.Contains(out, []byte(wantOut)) {
			t.Errorf("rc.gmond %s: exit %d, output %q; want %d and %q", arg, code, out, wantCode, wantOut)
		}
	}
	run("status", 3, "gmond not running")
	run("start", 0, "gmond started")
	first := alivePid(t, pidFile)
	run("start", 0, "already running")
	run("status", 0, fmt.Sprintf("gmond running (pid %d)", first))
	run("reload", 0, "")
	if alivePid(t, pidFile) != first {
		t.Error("reload replaced the process")
	}
	run("restart", 0, "gmond started")
	if second := alivePid(t, pidFile); second == first {
		t.Error("restart kept the old process")
	} else if syscall.Kill(first, 0) == nil {
		t.Errorf("old gmond %d still alive after restart", first)
	}
	last := alivePid(t, pidFile)
	run("stop", 0, "")
	if syscall.Kill(last, 0) == nil {
		t.Errorf("gmond %d alive after stop", last)
	}
	if _, err := os.Stat(pidFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("pid file after stop: %v", err)
	}
	run("stop", 0, "gmond not running")
	run("bogus", 2, "usage:")
}

// alivePid is the pid in the pid file, which must be a live gmond.
func alivePid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("pid file %q: %v", b, err)
	}
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil || strings.TrimSpace(string(comm)) != "gmond" {
		t.Fatalf("pid %d from the pid file is not a live gmond: %q %v", pid, comm, err)
	}
	return pid
}

// killPidFile stops a gmond the test left running, by its pid only.
func killPidFile(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return
	}
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.TrimSpace(string(comm)) == "gmond" {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}
