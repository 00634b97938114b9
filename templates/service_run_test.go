package templates_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// These tests run what the service files run, with the binaries make
// build produced: the proof that Type=simple, "no User=", ExecReload and
// Restart=on-failure describe how the daemons really behave.

const runTimeout = 15 * time.Second

// sharedDir is a temporary directory that the user a daemon setuids to
// can traverse (t.TempDir's parent is 0700) but not write, like /run.
func sharedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "templates-run-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// nobody is the user the daemons switch to when the test runs as root,
// nil otherwise (the switch is then not exercised, and the test says so).
func nobody(t *testing.T) *user.User {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Log("not root: the daemons keep this user, so the setuid that replaces User= is not checked")
		return nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("user nobody: %v", err)
	}
	return u
}

// unitArgv is the unit's ExecStart with the built binary in front and
// systemd's paths replaced by the test's.
func unitArgv(t *testing.T, unit, bin string, replace map[string]string, extra ...string) []string {
	t.Helper()
	u, _ := parseUnit(unit)
	argv := strings.Fields(u.get("Service", "ExecStart")[0])
	argv[0] = bin
	for i, a := range argv {
		if r, ok := replace[a]; ok {
			argv[i] = r
		}
	}
	return append(argv, extra...)
}

// runAsUnit starts argv as systemd would for Type=simple and checks the
// contract: the started process itself is the daemon (it logs ready and
// stays), it runs as want after the setuid, SIGHUP reloads without
// stopping it, and SIGTERM ends it with status 0 well within
// TimeoutStopSec, so Restart=on-failure leaves it stopped.
func runAsUnit(t *testing.T, dir, name, ready, reloaded string, want *user.User, argv []string) {
	t.Helper()
	p := stockganglia.Launch(t, name, dir, argv...)
	waitLog(t, p, ready)
	if p.Exited() {
		t.Fatalf("%s exited after %q: it does not stay in the foreground", name, ready)
	}
	if want != nil {
		if uid := procUID(t, p.Pid()); uid != want.Uid {
			t.Errorf("%s runs as uid %s, want %s (%s)", name, uid, want.Uid, want.Username)
		}
	}
	if err := p.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitLog(t, p, reloaded)
	if p.Exited() {
		t.Fatalf("%s exited on SIGHUP", name)
	}
	clean, err := p.StopWithin(runTimeout)
	if !clean || err != nil {
		t.Errorf("%s after SIGTERM: clean %v, exit %v", name, clean, err)
	}
}

// waitLog waits for s in the daemon's log, and gives up at once when the
// daemon has exited.
func waitLog(t *testing.T, p *stockganglia.Process, s string) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(runTimeout)
	for !strings.Contains(p.Log(), s) {
		if p.Exited() {
			t.Fatalf("exited before logging %q", s)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log after %v", s, runTimeout)
		}
		<-tick.C
	}
}

// testMapping is a mapping whose default cluster is fed on port, with
// the agents sending to this machine.
func testMapping(t *testing.T, dir string, port int) string {
	t.Helper()
	p := filepath.Join(dir, "lpm.toml")
	writeFile(t, p, fmt.Sprintf("collector = \"127.0.0.1\"\n[default]\ncluster = \"Unmapped\"\nport = %d\n", port), 0o644)
	return p
}

// procUID is the real uid of a process, from /proc/PID/status.
func procUID(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "Uid:" {
			return f[1]
		}
	}
	t.Fatalf("no Uid: line for pid %d", pid)
	return ""
}

func TestGmondUnitCommand(t *testing.T) {
	bin, dir, as := binaries(t), sharedDir(t), nobody(t)
	user := "nobody"
	if as == nil {
		user = "root" // ignored: gmond only setuids when it starts as root
	}
	conf := filepath.Join(dir, "gmond.conf")
	writeFile(t, conf, fmt.Sprintf("globals { setuid = yes  user = %s  deaf = yes }\n"+
		"udp_send_channel { host = 127.0.0.1  port = %d }\n", user, stockganglia.FreePort(t)), 0o644)
	lpm := testMapping(t, dir, stockganglia.FreePort(t))
	pid := filepath.Join(dir, "gmond.pid")
	t.Cleanup(func() { killPidFile(pid) }) // a gmond that detached after all
	argv := unitArgv(t, templates.GmondUnit, filepath.Join(bin, "gmond"),
		map[string]string{hookPidFile(t, templates.DrmgrPmigHook): pid}, "-c", conf, "--mapping", lpm)
	runAsUnit(t, dir, "gmond", "gmond started", "reloaded on SIGHUP", as, argv)
	// gmond wrote the pid file as root and cannot remove it as nobody:
	// what the unit's ExecStopPost is for.
	if _, err := os.Stat(pid); as != nil && err != nil {
		t.Errorf("pid file after stop: %v; is ExecStopPost still needed?", err)
	}
}

func TestGmetadUnitCommand(t *testing.T) {
	bin, dir, as := binaries(t), sharedDir(t), nobody(t)
	rrds := filepath.Join(dir, "rrds")
	if err := os.Mkdir(rrds, 0o755); err != nil {
		t.Fatal(err)
	}
	setuid := "setuid off"
	if as != nil {
		setuid = `setuid_username "nobody"`
		uid, _ := strconv.Atoi(as.Uid)
		if err := os.Chown(rrds, uid, -1); err != nil {
			t.Fatal(err)
		}
	}
	lpm := testMapping(t, dir, stockganglia.FreePort(t))
	conf := filepath.Join(dir, "gmetad.conf")
	writeFile(t, conf, fmt.Sprintf("gridname \"units\"\nxml_port %d\ninteractive_port %d\n%s\nrrd_rootdir %q\nmapping %q\n",
		stockganglia.FreePort(t), stockganglia.FreePort(t), setuid, rrds, lpm), 0o644)
	argv := unitArgv(t, templates.GmetadUnit, filepath.Join(bin, "gmetad"), nil, "-c", conf)
	runAsUnit(t, dir, "gmetad", "gmetad started", "SIGHUP: re-reading the mapping", as, argv)
}

// TestCheckReport runs the nightly job's shell code from the systemd unit
// and from the cron line with a stand-in for ganglia-lpm check (the
// command's own tests are elsewhere) and checks how the report file and
// the exit status follow its exit code: 0 clean, 1 problems, 2 could not
// run.
func TestCheckReport(t *testing.T) {
	for _, job := range []struct {
		name, script string
		exitFollows  bool // systemd sees the status; cron only mails output
	}{
		{"systemd", checkScript(t), true},
		{"cron", cronCommand(t), false},
	} {
		t.Run(job.name, func(t *testing.T) {
			dir := t.TempDir()
			stub := filepath.Join(dir, "ganglia-lpm")
			writeFile(t, stub, "#!/bin/sh\necho \"$@\" >\"$0.args\"\necho '{\"rc\":'$STUB_RC'}'\nexit $STUB_RC\n", 0o755)
			report, rrds := filepath.Join(dir, "lpm-check.json"), filepath.Join(dir, "rrds")
			script := strings.NewReplacer("/usr/local/bin/ganglia-lpm", stub,
				"/var/lib/ganglia/lpm-check.json", report, "/var/lib/ganglia/rrds", rrds).Replace(job.script)
			if strings.Contains(script, "/var/lib/ganglia") || !strings.Contains(script, stub) {
				t.Fatalf("paths in the job changed: %s", script)
			}
			for _, c := range []struct {
				rc             int
				report, stderr string
			}{
				{0, `{"rc":0}`, ""},
				{1, `{"rc":1}`, "problems found, see " + report},
				{2, `{"rc":1}`, ""}, // the last complete report stays
			} {
				cmd := exec.Command("sh", "-c", script)
				cmd.Env = append(os.Environ(), "STUB_RC="+strconv.Itoa(c.rc))
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				err := cmd.Run()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				}
				if job.exitFollows && code != c.rc {
					t.Errorf("check exit %d: job exit %d", c.rc, code)
				}
				if !strings.Contains(stderr.String(), c.stderr) || (c.stderr == "" && stderr.Len() > 0) {
					t.Errorf("check exit %d: stderr %q, want %q", c.rc, stderr.String(), c.stderr)
				}
				b, err := os.ReadFile(report)
				fi, _ := os.Stat(report)
				if err != nil || strings.TrimSpace(string(b)) != c.report || fi.Mode() != 0o644 {
					t.Errorf("check exit %d: report %q (%v, mode %v), want %s", c.rc, b, err, fi.Mode(), c.report)
				}
				if _, err := os.Stat(report + ".tmp"); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("check exit %d: temporary report left: %v", c.rc, err)
				}
			}
			if args, _ := os.ReadFile(stub + ".args"); strings.TrimSpace(string(args)) != "check --root "+rrds+" --json" {
				t.Errorf("ganglia-lpm called with %q", args)
			}
		})
	}
}

// TestCheckReportReal runs the systemd job with the real ganglia-lpm on a
// fresh tree: the flags the unit passes are accepted, and the report ends
// with the summary object whose exit matches the job's status.
func TestCheckReportReal(t *testing.T) {
	bin := filepath.Join(binaries(t), "ganglia-lpm")
	if out, err := exec.Command(bin, "help", "check").CombinedOutput(); err != nil {
		t.Logf("this build's ganglia-lpm has no check command (%v: %.60q): only TestCheckReport's stand-in ran", err, out)
		return
	}
	dir := t.TempDir()
	report, rrds := filepath.Join(dir, "lpm-check.json"), filepath.Join(dir, "rrds")
	if err := os.MkdirAll(filepath.Join(rrds, "LPARS"), 0o755); err != nil {
		t.Fatal(err)
	}
	script := strings.NewReplacer("/usr/local/bin/ganglia-lpm", bin,
		"/var/lib/ganglia/lpm-check.json", report, "/var/lib/ganglia/rrds", rrds).Replace(checkScript(t))
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code > 1 {
		t.Fatalf("check could not run (exit %d): %s", code, out)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var summary struct {
		Type string `json:"type"`
		Exit int    `json:"exit"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &summary); err != nil || summary.Type != "summary" || summary.Exit != code {
		t.Errorf("report's last line %q (%v): want the summary with exit %d", lines[len(lines)-1], err, code)
	}
	t.Logf("real check on a fresh tree: exit %d, %d report lines", code, len(lines))
}
