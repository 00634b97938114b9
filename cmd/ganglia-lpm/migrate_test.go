package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// stockTree builds what stock gmetad leaves after LPM moves, plus what an
// earlier partial conversion left, with every original kept aside:
//
//	P550/alpha         a host seen on one system only (two metrics)
//	P550/beta, P770/beta  a host moved from P550 to P770: two halves of load_one
//	P770/gamma         another host seen on one system
//	P880/delta         a real directory of a host that LPARS/delta already holds,
//	                   linked from P550: its first minutes are merged in
//	__SummaryInfo__    the grid's and three systems' summaries, left alone
func stockTree(t *testing.T) *treechecktest.Tree {
	t.Helper()
	tr := treechecktest.New(t)
	h, s := treechecktest.HostSpec(), treechecktest.SummarySpec()
	const step = treechecktest.Step
	for _, f := range []struct {
		from, to int64
		base     int
		rel      string
	}{
		{0, 20*60 - step, 100, "P550/alpha/load_one.rrd"},
		{0, 20*60 - step, 200, "P550/alpha/cpu_user.rrd"},
		{0, 10 * 60, 300, "P550/beta/load_one.rrd"},
		{15 * 60, 30 * 60, 400, "P770/beta/load_one.rrd"},
		{15 * 60, 30 * 60, 500, "P770/beta/mem_free.rrd"},
		{0, 40 * 60, 600, "P770/gamma/load_one.rrd"},
		{0, 15 * 60, 700, "P880/delta/load_one.rrd"},
		{20 * 60, 40 * 60, 800, "LPARS/delta/load_one.rrd"},
	} {
		tr.Dir(filepath.Dir(f.rel))
		tr.RRD(h, f.from, f.to, f.base, f.rel)
		host := filepath.Base(filepath.Dir(f.rel))
		tr.Keep(f.rel, filepath.Join("LPARS", host, filepath.Base(f.rel)))
	}
	tr.Link("../LPARS/delta", "P550", "delta")
	for _, d := range []string{"__SummaryInfo__", "P550/__SummaryInfo__", "P770/__SummaryInfo__", "P880/__SummaryInfo__"} {
		tr.Dir(d)
		tr.RRD(s, 0, 40*60, 900, d, "load_one.rrd")
		tr.Keep(filepath.Join(d, "load_one.rrd"), filepath.Join(d, "load_one.rrd"))
	}
	tr.Own()
	return tr
}

// migrateRun runs migrate on tr with the tree's gmetad user, replacing the
// machine-dependent parts of the output for golden files.
func migrateRun(t *testing.T, tr *treechecktest.Tree, flags ...string) result {
	t.Helper()
	r := runCmd(t, nil, append([]string{"migrate", "--root", tr.Root, "--user", tr.User.Name}, flags...)...)
	norm := strings.NewReplacer(tr.Root, "$ROOT")
	r.stdout, r.stderr = norm.Replace(r.stdout), norm.Replace(r.stderr)
	return r
}

// TestMigrateGolden: the plan (--dry-run changes no byte of the tree),
// the migration, and a second run that finds nothing to do; afterwards
// every host is one directory linked from each system it was in, the
// tree passes check, and rrdtool reads every original sample.
func TestMigrateGolden(t *testing.T) {
	tr := stockTree(t)
	before := snapshot(t, tr.Root)
	r := migrateRun(t, tr, "--dry-run")
	if r.code != exitOK {
		t.Errorf("--dry-run: exit %d", r.code)
	}
	golden(t, "migrate/dry-run.golden", r.String())
	if after := snapshot(t, tr.Root); after != before {
		t.Errorf("--dry-run changed the tree:\n%s", diffLines(before, after))
	}

	r = migrateRun(t, tr)
	if r.code != exitOK {
		t.Errorf("migrate: exit %d", r.code)
	}
	golden(t, "migrate/migrate.golden", r.String())
	assertMigrated(t, tr, map[string][]string{"alpha": {"P550"}, "beta": {"P550", "P770"},
		"gamma": {"P770"}, "delta": {"P550", "P880"}})

	r = migrateRun(t, tr)
	if r.code != exitOK {
		t.Errorf("second migrate: exit %d", r.code)
	}
	golden(t, "migrate/again.golden", r.String())
	golden(t, "migrate/help.golden", runCmd(t, nil, "help", "migrate").String())
}

// assertMigrated: each host is a real directory in LPARS linked from
// exactly the systems given, no record of the run is left, check finds
// nothing, and every kept original's samples read the same from where
// they went.
func assertMigrated(t *testing.T, tr *treechecktest.Tree, hosts map[string][]string) {
	t.Helper()
	for host, systems := range hosts {
		if fi, err := os.Lstat(tr.Path("LPARS", host)); err != nil || !fi.IsDir() {
			t.Errorf("LPARS/%s is not a real directory: %v", host, err)
		}
		for _, s := range systems {
			if target, err := os.Readlink(tr.Path(s, host)); err != nil || target != "../LPARS/"+host {
				t.Errorf("%s/%s: link %q, %v", s, host, target, err)
			}
		}
	}
	if _, err := os.Lstat(tr.Path(journalName)); err == nil {
		t.Errorf("%s is left after a complete migration", journalName)
	}
	if r := checkRun(t, tr); r.code != exitOK {
		t.Errorf("check after migrate: %s", r)
	}
	for _, k := range tr.Kept {
		sameSamples(t, k.Copy, k.Final)
	}
}

// TestMigrateLeftAlone: what migrate cannot or must not convert is named
// in the plan, left as it is, and makes the run exit 1 through the final
// check; an orphan without a record is not guessed at.
func TestMigrateLeftAlone(t *testing.T) {
	tr := treechecktest.New(t)
	h := treechecktest.HostSpec()
	tr.Dir("P550", "kappa")
	tr.RRD(h, 0, 60, 1, "P550", "kappa", "load_one.rrd")
	tr.File("notes", "P550", "kappa", "notes.txt")
	tr.Dir("LPARS", "omega")
	tr.RRD(h, 0, 60, 1, "LPARS", "omega", "load_one.rrd")
	tr.File("x", "README")
	tr.Dir("P550", "__SummaryInfo__")
	tr.Dir("__SummaryInfo__")
	tr.Own()
	r := migrateRun(t, tr)
	if r.code != exitFailed {
		t.Errorf("exit %d, want 1", r.code)
	}
	golden(t, "migrate/left-alone.golden", r.String())
	if fi, err := os.Lstat(tr.Path("P550", "kappa", "notes.txt")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("notes.txt: %v", err)
	}
}

// TestMigrateProgress: the bar counts RRD files on a terminal and is
// erased; without a terminal nothing goes to stderr.
func TestMigrateProgress(t *testing.T) {
	for _, term := range []bool{true, false} {
		tr := stockTree(t)
		var out, errOut bytes.Buffer
		clock := time.Unix(treechecktest.T0, 0)
		e := &env{stdout: &out, stderr: &errOut, now: func() time.Time {
			clock = clock.Add(time.Second)
			return clock
		}}
		deps := migrateDeps{isTerminal: func(w io.Writer) bool { return term && w == e.stderr }, adopt: treecheck.AdoptHostDir}
		if code := migrateWith(context.Background(), e, []string{"--root", tr.Root, "--user", tr.User.Name}, deps); code != exitOK {
			t.Fatalf("terminal=%v: exit %d\n%s%s", term, code, &out, &errOut)
		}
		got := errOut.String()
		if !term {
			if got != "" {
				t.Errorf("progress without a terminal: %q", got)
			}
			continue
		}
		draws := regexp.MustCompile(`\rmigrating RRD files \[[#.]{30}\] (\d+)/7 +\d+%`).FindAllStringSubmatch(got, -1)
		if len(draws) != 5 || draws[4][1] != "7" || !strings.Contains(got, "7/7 100%\r\033[K") {
			t.Errorf("progress %q: want one draw per host directory, ending at 7/7 and erased", got)
		}
		if strings.Contains(out.String(), "\r") {
			t.Error("progress went to stdout")
		}
	}
}

// TestMigrateArgs: what cannot run exits 2 with a message.
func TestMigrateArgs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"migrate"}, "ganglia-lpm migrate: --root is required"},
		{[]string{"migrate", "--root", dir, "extra"}, `unexpected argument "extra"`},
		{[]string{"migrate", "--root", dir + "/missing"}, "lstat " + dir + "/missing: no such file or directory"},
		{[]string{"migrate", "--root", file}, file + ": not a directory"},
		{[]string{"migrate", "--root", dir, "--lpar-dir", "a/b"}, `--lpar-dir: invalid cluster name "a/b"`},
		{[]string{"migrate", "--root", dir, "--user", "no-such-user-here"}, "--user no-such-user-here: user: unknown user"},
		{[]string{"migrate", "--bogus"}, "flag provided but not defined: -bogus"},
	}
	for _, tc := range tests {
		r := runCmd(t, nil, tc.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("%q: %s\nwant exit 2 and %q", tc.args, r, tc.stderr)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "LPARS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, nil, "migrate", "--root", dir); r.code != exitUsage || !strings.Contains(r.stderr, "LPARS is not a real directory") {
		t.Errorf("LPARS a file: %s", r)
	}
}

// snapshot describes every entry under root (type, mode, owner, size,
// link target, content hash), one line each, to show that nothing changed.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Fprintf(&b, "%s %v %d:%d %d %d", strings.TrimPrefix(p, root), fi.Mode(), st.Uid, st.Gid, fi.Size(), fi.ModTime().UnixNano())
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			b.WriteString(" -> " + target)
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(data))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// sameSamples fails unless every known value rrdtool fetch reads from the
// original reads the same from final, at one-step and four-step resolution.
func sameSamples(t *testing.T, original, final string) {
	t.Helper()
	for _, res := range []int{treechecktest.Step, 4 * treechecktest.Step} {
		orig, got := fetchAt(t, original, res), fetchAt(t, final, res)
		known := 0
		for ts, v := range orig {
			if strings.Contains(v, "nan") {
				continue
			}
			known++
			if got[ts] != v {
				t.Errorf("%s at %d (res %d): %q, original %q", final, ts, res, got[ts], v)
			}
		}
		if known < 2 {
			t.Errorf("%s: only %d known values at res %d; the test compares nothing", original, known, res)
		}
	}
}

// fetchAt returns the rows rrdtool fetch reads over the generated
// histories at resolution res, by time.
func fetchAt(t *testing.T, path string, res int) map[int64]string {
	t.Helper()
	r := rrdtool(t, filepath.Dir(path), "fetch", path, "AVERAGE", "-r", strconv.Itoa(res),
		"-s", strconv.Itoa(treechecktest.T0-res), "-e", strconv.Itoa(treechecktest.End))
	if r.code != 0 {
		t.Fatalf("rrdtool fetch %s: %s", path, r)
	}
	rows := map[int64]string{}
	for _, line := range strings.Split(r.stdout, "\n") {
		ts, vals, ok := strings.Cut(line, ":")
		if n, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64); ok && err == nil {
			rows[n] = strings.TrimSpace(vals)
		}
	}
	return rows
}
