package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// checkRun runs check on tr with the tree's gmetad user and extra flags,
// and returns the result with the machine-dependent parts (temporary
// paths, the user) replaced, for golden files.
func checkRun(t *testing.T, tr *treechecktest.Tree, flags ...string) result {
	t.Helper()
	r := runCmd(t, nil, append([]string{"check", "--root", tr.Root, "--user", tr.User.Name}, flags...)...)
	norm := strings.NewReplacer(tr.Root, "$ROOT", tr.Outside, "$OUTSIDE",
		fmt.Sprintf("%s (uid %d)", tr.User.Name, tr.User.UID), "$USER")
	r.stdout, r.stderr = norm.Replace(r.stdout), norm.Replace(r.stderr)
	return r
}

// TestCheckGolden: the text and JSON output of a check, a --fix and the
// check after it, on a tree where everything can be fixed and on one
// where nothing may be.
func TestCheckGolden(t *testing.T) {
	tr, _ := treechecktest.Fixable(t)
	steps := []struct {
		golden string
		flags  []string
		code   int
	}{
		{"check/fixable.json.golden", []string{"--json"}, exitFailed},
		{"check/fixable-fix.golden", []string{"--fix"}, exitOK},
		{"check/fixable-after.json.golden", []string{"--json"}, exitOK},
	}
	for _, s := range steps {
		r := checkRun(t, tr, s.flags...)
		if r.code != s.code {
			t.Errorf("%s: exit %d, want %d", s.golden, r.code, s.code)
		}
		golden(t, s.golden, r.String())
		if strings.Contains(s.golden, ".json.") {
			checkJSONLines(t, r.stdout)
		}
	}
	ro, _ := treechecktest.ReportOnly(t)
	for _, s := range []struct{ golden, flag string }{
		{"check/report-only.golden", "--fix"}, {"check/report-only.json.golden", "--json"},
	} {
		r := checkRun(t, ro, "--fix", s.flag)
		if r.code != exitFailed {
			t.Errorf("%s: exit %d, want %d", s.golden, r.code, exitFailed)
		}
		golden(t, s.golden, r.String())
	}
}

// checkJSONLines: every line is one object with the documented fields,
// findings first and the summary last.
func checkJSONLines(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, line := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		want := []string{"type", "path", "rule", "message", "action"}
		if i == len(lines)-1 {
			want = []string{"type", "root", "fix", "rrd_files", "directories", "links", "findings", "fixed", "left", "exit"}
		}
		for _, k := range want {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d has no %q: %s", i+1, k, line)
			}
		}
		if len(m) != len(want) {
			t.Errorf("line %d has %d fields, want %d: %s", i+1, len(m), len(want), line)
		}
	}
}

// TestCheckLocked: a file gmetad holds the write lock on makes --fix skip
// it, report it and exit 1 with the file untouched; once the lock is gone
// the fix completes and the tree is clean.
func TestCheckLocked(t *testing.T) {
	tr := treechecktest.New(t)
	h := treechecktest.HostSpec()
	tr.Dir("P550", "h")
	tr.RRD(h, 0, 20*60, 100, "P550", "h", "load_one.rrd")
	tr.RRD(h, 0, 20*60, 200, "P550", "h", "cpu_user.rrd")
	tr.Dir("P550", "__SummaryInfo__")
	tr.Dir("__SummaryInfo__")
	tr.Own()
	locked := tr.Path("P550", "h", "cpu_user.rrd")
	before := readAll(t, locked)
	release := treechecktest.HoldLock(t, locked)
	r := checkRun(t, tr, "--fix")
	if r.code != exitFailed || !strings.Contains(r.stdout, "$ROOT/P550/h: real-host-dir: ") ||
		!strings.Contains(r.stdout, "[skipped: host directory not fully adopted: RRD files: 1 moved, 0 merged; kept cpu_user.rrd: locked by another process") {
		t.Errorf("--fix under a lock: %s", r)
	}
	if !bytes.Equal(before, readAll(t, locked)) {
		t.Error("the locked file changed")
	}
	release()
	if r := checkRun(t, tr, "--fix"); r.code != exitOK {
		t.Errorf("--fix after the lock: %s", r)
	}
	if r := checkRun(t, tr); r.code != exitOK || !strings.HasSuffix(r.stdout, "no problems\n") {
		t.Errorf("check after the fix: %s", r)
	}
	if !bytes.Equal(before, readAll(t, tr.Path("LPARS", "h", "cpu_user.rrd"))) {
		t.Error("cpu_user.rrd changed on its way to LPARS/h")
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckProgress: the bar is drawn on a terminal, redrawn at most every
// progressEvery, erased at the end, and never drawn elsewhere (cron).
func TestCheckProgress(t *testing.T) {
	tr, _ := treechecktest.Fixable(t)
	for _, term := range []bool{true, false} {
		var out, errOut bytes.Buffer
		clock := time.Unix(treechecktest.T0, 0)
		e := &env{stdout: &out, stderr: &errOut, now: func() time.Time {
			clock = clock.Add(time.Second)
			return clock
		}}
		deps := checkDeps{isTerminal: func(w io.Writer) bool { return term && w == e.stderr }}
		code := checkWith(context.Background(), e, []string{"--root", tr.Root, "--user", tr.User.Name}, deps)
		if code != exitFailed {
			t.Errorf("terminal=%v: exit %d\n%s%s", term, code, &out, &errOut)
		}
		if !term {
			if errOut.Len() != 0 {
				t.Errorf("progress without a terminal: %q", &errOut)
			}
			continue
		}
		got := errOut.String()
		draws := regexp.MustCompile(`\rchecking RRD files \[[#.]{30}\] (\d+)/12 +\d+%`).FindAllStringSubmatch(got, -1)
		if len(draws) != 12 || draws[11][1] != "12" || !strings.HasSuffix(got, "12/12 100%\r\033[K") {
			t.Errorf("progress output %q: want 12 draws ending at 12/12 and erased", got)
		}
		if strings.Contains(out.String(), "\r") {
			t.Error("progress went to stdout")
		}
	}
}

// TestCheckArgs: what cannot run exits 2 with a message; -h prints the
// documented usage.
func TestCheckArgs(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"check"}, "ganglia-lpm check: --root is required"},
		{[]string{"check", "--root", dir, "extra"}, `unexpected argument "extra"`},
		{[]string{"check", "--root", dir + "/missing"}, "ganglia-lpm check: lstat " + dir + "/missing: no such file or directory"},
		{[]string{"check", "--root", dir, "--user", "no-such-user-here"}, "--user no-such-user-here: user: unknown user no-such-user-here"},
		{[]string{"check", "--root", dir, "--lpar-dir", "a/b"}, `--lpar-dir: invalid cluster name "a/b"`},
		{[]string{"check", "--bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tc := range tests {
		r := runCmd(t, nil, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.stderr) || r.stdout != "" {
			t.Errorf("%q: %s\nwant exit 2 and %q", tc.args, r, tc.stderr)
		}
	}
	if r := runCmd(t, nil, "check", "--root", dir); r.code != exitOK || r.stdout != "checked "+dir+": 0 RRD files, 1 directories, 0 links: no problems\n" {
		t.Errorf("empty root: %s", r)
	}
	golden(t, "check/help.golden", runCmd(t, nil, "help", "check").String())
}
