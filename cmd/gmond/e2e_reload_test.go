package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func senderConf(port int) string {
	return fmt.Sprintf(`
globals { daemonize = no  setuid = no  deaf = yes }
udp_send_channel { host = 127.0.0.1  port = %d }
collection_group {
  collect_every = 1
  time_threshold = 1
  metric { name = "load_one" }
}
`, port)
}

// TestMappingEditRetargets: an edit of the mapping file is picked up
// without a signal; the agent moves to the new port and resends metadata.
func TestMappingEditRetargets(t *testing.T) {
	one, two := newSink(t), newSink(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(senderConf(9)))
	mapping := func(port int) []byte {
		return []byte(fmt.Sprintf("[default]\ncluster = \"Unmapped\"\nport = %d\n", port))
	}
	writeFile(t, filepath.Join(dir, "lpm.toml"), mapping(one.port))
	g := startGmond(t, dir, "-c", "gmond.conf", "--mapping", "lpm.toml")
	one.until(15*time.Second, "load_one", isValue("load_one"))
	writeFile(t, filepath.Join(dir, "lpm.toml"), mapping(two.port))
	got := two.until(15*time.Second, "load_one at the new port", isValue("load_one"))
	if got[0].ID != xdr.IDMetadata {
		t.Errorf("first packet after the mapping change is %s, want metadata", got[0].ID)
	}
	if !strings.Contains(g.Log(), "mapping changed the target") {
		t.Errorf("the change is not logged:\n%s", g.Log())
	}
}

// TestSIGHUPReloadsConfig: SIGHUP re-reads gmond.conf; a broken file is
// reported and the running configuration stays in force.
func TestSIGHUPReloadsConfig(t *testing.T) {
	one, two := newSink(t), newSink(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "gmond.conf")
	writeFile(t, path, []byte(senderConf(one.port)))
	g := startGmond(t, dir, "-c", "gmond.conf")
	one.until(15*time.Second, "load_one", isValue("load_one"))

	writeFile(t, path, []byte("globals {\n  mute = perhaps\n}\n"))
	if err := g.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, g.Log, "reload failed")
	one.drain()
	one.until(5*time.Second, "load_one after a failed reload", isValue("load_one"))

	writeFile(t, path, []byte(senderConf(two.port)))
	if err := g.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	got := two.until(15*time.Second, "load_one at the new port", isValue("load_one"))
	checkMetadataFirst(t, "new port", got)
	if g.Exited() {
		t.Fatalf("gmond exited on SIGHUP:\n%s", g.Log())
	}
}

func waitLog(t *testing.T, log func() string, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(log(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", want, log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runInProcess runs gmond's run with args and returns its exit status and
// output; for the commands that exit at once.
func runInProcess(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	env := systemEnvironment()
	env.defaultConfig = filepath.Join(t.TempDir(), "absent.conf")
	env.defaultMapping = filepath.Join(t.TempDir(), "absent.toml")
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code := env.run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPrintDefaultConfig(t *testing.T) {
	code, out, _ := runInProcess(t, "-t")
	if code != exitOK || out != string(conf.DefaultText()) {
		t.Fatalf("-t: exit %d, output differs from the embedded default (%d bytes)", code, len(out))
	}
	cfg, err := conf.Parse("gmond -t", []byte(out))
	if err != nil || len(cfg.Warnings) > 0 {
		t.Fatalf("-t output does not parse cleanly: %v %v", err, cfg.Warnings)
	}
}

func TestBadConfigNamesFileLineKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gmond.conf")
	os.WriteFile(path, []byte("globals {\n  daemonize = no\n  send_metadata_interval = soon\n}\n"), 0o644)
	code, _, stderr := runInProcess(t, "-c", path, "-f")
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if !strings.Contains(stderr, path+":3") || !strings.Contains(stderr, "send_metadata_interval") {
		t.Errorf("error does not name file, line and key:\n%s", stderr)
	}
}

func TestFlags(t *testing.T) {
	if code, out, _ := runInProcess(t, "-V"); code != exitOK || !strings.HasPrefix(out, "gmond 3.7.2") {
		t.Errorf("-V: %d %q", code, out)
	}
	if code, _, _ := runInProcess(t, "-d", "-1"); code != exitUsage {
		t.Errorf("-d -1: exit %d, want %d", code, exitUsage)
	}
	if code, _, _ := runInProcess(t, "extra"); code != exitUsage {
		t.Errorf("stray argument: exit %d, want %d", code, exitUsage)
	}
	if code, _, stderr := runInProcess(t, "-c", "/nonexistent/gmond.conf"); code != exitFailed || !strings.Contains(stderr, "/nonexistent/gmond.conf") {
		t.Errorf("missing -c file: exit %d, %q", code, stderr)
	}
}

func TestDeafAndMuteRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gmond.conf")
	os.WriteFile(path, []byte("globals {\n  mute = yes\n  deaf = yes\n}\n"), 0o644)
	code, _, stderr := runInProcess(t, "-c", path, "-f")
	if code != exitFailed || !strings.Contains(stderr, "deaf and mute") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}
