//go:build linux

// The sysroot fixtures are Linux trees: identity.Read looks at /proc only
// when runtime.GOOS is linux, so these tests build there only.

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
)

// renderTo runs render for the fixture machine sysroot with extra flags,
// writing out, and returns the result with dir written as $TMP.
func renderTo(t *testing.T, dir, out, mappingFile, sysroot string, extra ...string) result {
	t.Helper()
	args := append([]string{"render", "--mapping", mappingFile, "--sysroot", "testdata/render/" + sysroot,
		"--hostname", "lnxlpar01", "--out", out}, extra...)
	r := runCmd(t, nil, args...)
	r.stdout = strings.ReplaceAll(r.stdout, dir, "$TMP")
	r.stderr = strings.ReplaceAll(r.stderr, dir, "$TMP")
	return r
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRenderGolden renders the default template for two managed systems
// and a non-Power host, then renders again: the second run changes nothing.
func TestRenderGolden(t *testing.T) {
	for _, machine := range []string{"p9", "p10", "x86"} {
		t.Run(machine, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "gmond.conf")
			r := renderTo(t, dir, out, renderMapping, machine)
			golden(t, "render/"+machine+".golden", r.String())
			golden(t, "render/"+machine+".gmond.conf.golden", readText(t, out))
			if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("new file: %v, %v; want mode 0644", fi, err)
			}
			again := renderTo(t, dir, out, renderMapping, machine)
			if again.code != exitOK || !strings.Contains(again.stdout, "is up to date") {
				t.Errorf("second run:\n%s", again)
			}
			stdout := runCmd(t, nil, "render", "--mapping", renderMapping, "--sysroot", "testdata/render/"+machine,
				"--hostname", "lnxlpar01", "--out", "-")
			if stdout.code != exitOK || stdout.stdout != readText(t, out) {
				t.Errorf("--out - printed something else than the file:\n%s", stdout.stderr)
			}
		})
	}
}

// countingRestart is a restart command that appends a line to a file per
// run, so a test can count the runs.
func countingRestart(t *testing.T, dir string) (cmd string, runs func() int) {
	log := filepath.Join(dir, "restarts")
	return "echo restarted >> '" + log + "'", func() int {
		b, err := os.ReadFile(log)
		if os.IsNotExist(err) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(b), "\n")
	}
}

// TestRenderRestartsOnlyOnChange follows an LPAR through LPM: the restart
// command runs once per change of the file, never when it is up to date,
// and the file keeps its mode, owner and symbolic link.
func TestRenderRestartsOnlyOnChange(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.conf")
	out := filepath.Join(dir, "gmond.conf")
	if err := os.WriteFile(real, []byte("# written by hand\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.conf", out); err != nil {
		t.Fatal(err)
	}
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 { // root can give the file away; render must keep that
		uid, gid = 1, 2
		if err := os.Chown(real, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	restart, runs := countingRestart(t, dir)
	steps := []struct {
		machine string
		changed bool
	}{{"p9", true}, {"p9", false}, {"p10", true}, {"p10", false}, {"p9", true}}
	for i, s := range steps {
		r := renderTo(t, dir, out, renderMapping, s.machine, "--restart", restart)
		want := map[bool]string{true: "updated", false: "is up to date"}[s.changed]
		if r.code != exitOK || !strings.Contains(r.stdout, want) {
			t.Fatalf("step %d (%s): want %q:\n%s", i, s.machine, want, r)
		}
	}
	if n := runs(); n != 3 {
		t.Errorf("restart ran %d times for 3 changes", n)
	}
	if got, want := readText(t, out), readText(t, "testdata/render/p9.gmond.conf.golden"); got != want {
		t.Error("file after the last step is not the P9 rendering")
	}
	if fi, err := os.Lstat(out); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symbolic link: %v", out, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if fi.Mode().Perm() != 0o600 || int(st.Uid) != uid || int(st.Gid) != gid {
		t.Errorf("mode %v owner %d:%d, want 0600 %d:%d", fi.Mode().Perm(), st.Uid, st.Gid, uid, gid)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*render-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestRenderRestartFails: a failing restart command makes render exit 1
// with the command's output and put the previous file back, so the next
// run (from the next hook or boot) tries again.
func TestRenderRestartFails(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "gmond.conf")
	if r := renderTo(t, dir, out, renderMapping, "p9"); r.code != exitOK {
		t.Fatal(r)
	}
	before := readText(t, out)
	r := renderTo(t, dir, out, renderMapping, "p10", "--restart", "echo gmond: cannot bind; exit 3")
	golden(t, "render/restart-fails.golden", r.String())
	if readText(t, out) != before {
		t.Error("the previous file was not put back")
	}
	restart, runs := countingRestart(t, dir)
	if r := renderTo(t, dir, out, renderMapping, "p10", "--restart", restart); r.code != exitOK || runs() != 1 {
		t.Errorf("the run after a failed restart did not restart (%d runs):\n%s", runs(), r)
	}

	// With no previous file, the new one is removed again.
	fresh := filepath.Join(dir, "fresh.conf")
	if r := renderTo(t, dir, fresh, renderMapping, "p9", "--restart", "exit 1"); r.code != exitFailed {
		t.Errorf("exit %d, want 1", r.code)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("%s left behind after a failed restart: %v", fresh, err)
	}
}

// TestRenderNothingWritten covers every refusal: the file stays as it was
// and the restart command never runs.
func TestRenderNothingWritten(t *testing.T) {
	dir := t.TempDir()
	badTemplate := filepath.Join(dir, "bad.tmpl")
	if err := os.WriteFile(badTemplate, []byte("globals {\n  mute = {{.Port}}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(dir, "typo.tmpl")
	if err := os.WriteFile(typo, []byte("cluster { name = {{quote .Clutser}} }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, mapping, machine, want string
		extra                        []string
	}{
		{"identity unreadable", renderMapping, "unreadable", "cannot tell which managed system", nil},
		{"no collector", "testdata/render/nocollector.toml", "p9", "names no collector", nil},
		{"not gmond.conf", renderMapping, "p9", "mute", []string{"--template", badTemplate}},
		{"unknown field", renderMapping, "p9", "Clutser", []string{"--template", typo}},
		{"no mapping", filepath.Join(dir, "missing.toml"), "p9", "no such file", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(dir, "gmond.conf")
			if err := os.WriteFile(out, []byte("# before\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			restart, runs := countingRestart(t, dir)
			r := renderTo(t, dir, out, c.mapping, c.machine, append(c.extra, "--restart", restart)...)
			if r.code != exitFailed || !strings.Contains(r.stderr, c.want) {
				t.Errorf("want exit 1 and %q:\n%s", c.want, r)
			}
			if readText(t, out) != "# before\n" || runs() != 0 {
				t.Errorf("file changed or restart ran (%d)", runs())
			}
		})
	}
}

// TestRenderUnmappedChassis: a Power chassis missing from the mapping gets
// the [default] entry, and stock's location.
func TestRenderUnmappedChassis(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "gmond.conf")
	r := renderTo(t, dir, out, "testdata/render/p9only.toml", "p10")
	if r.code != exitOK || !strings.Contains(r.stdout, "[default]: model_serial 9105-42A_78FEDCB is not in the mapping") {
		t.Fatal(r)
	}
	c, err := conf.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Name != "Unmapped" || c.UDPSend[0].Port != 8300 || c.Host.Location != "unspecified" {
		t.Errorf("cluster %q port %d location %q", c.Cluster.Name, c.UDPSend[0].Port, c.Host.Location)
	}
}

func TestRenderCustomTemplate(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "mine.tmpl")
	text := "# {{.Identity.PartitionName}} #{{.Identity.PartitionNumber}} {{.Source}}\n" +
		"cluster { name = {{quote .Cluster}} }\nudp_send_channel { host = {{quote .Collector}} port = {{.Port}} }\n"
	if err := os.WriteFile(tmpl, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r := renderTo(t, dir, "-", renderMapping, "p10", "--template", tmpl)
	want := "# lnxlpar01 #7 managed system\ncluster { name = \"P10-DC2-R07\" }\n" +
		"udp_send_channel { host = \"ganglia-dc2\" port = 8302 }\n"
	if r.code != exitOK || r.stdout != want {
		t.Errorf("got\n%s\nwant\n%s", r, want)
	}
}

// TestRenderRestartLeavesDaemon: an init script that starts gmond in the
// background leaves it holding the output pipe; render must not wait for
// that daemon to end.
func TestRenderRestartLeavesDaemon(t *testing.T) {
	dir := t.TempDir()
	pidfile := filepath.Join(dir, "daemon.pid")
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidfile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	start := time.Now()
	r := renderTo(t, dir, filepath.Join(dir, "gmond.conf"), renderMapping, "p9",
		"--restart", "sleep 600 & echo $! > '"+pidfile+"'; echo started")
	if r.code != exitOK {
		t.Fatal(r)
	}
	if took := time.Since(start); took > restartWaitDelay+20*time.Second {
		t.Errorf("render waited %v for the background daemon", took)
	}
}

func TestRenderUsage(t *testing.T) {
	for _, args := range [][]string{
		{"render"},
		{"render", "--out", "-", "--restart", "true"},
		{"render", "--out", "x", "extra"},
	} {
		if r := runCmd(t, nil, args...); r.code != exitUsage {
			t.Errorf("%q: exit %d, want 2\n%s", args, r.code, r)
		}
	}
	if r := runCmd(t, nil, "render", "--print-template"); r.code != exitOK || !strings.Contains(r.stdout, ".Identity") {
		t.Errorf("--print-template:\n%s", r)
	}
	golden(t, "render/help.golden", runCmd(t, nil, "help", "render").String())
}
