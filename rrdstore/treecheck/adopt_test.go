package treecheck_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// stockHost builds what stock gmetad and an earlier stay leave for host h:
// P550/h a real directory with the first twenty minutes of load_one and
// cpu_user, LPARS/h with the next twenty of load_one, linked from P770.
// The originals are kept aside.
func stockHost(t *testing.T) *treechecktest.Tree {
	t.Helper()
	tr := treechecktest.New(t)
	h := treechecktest.HostSpec()
	tr.Dir("P550", "h")
	tr.RRD(h, 0, 20*60-treechecktest.Step, 100, "P550", "h", "load_one.rrd")
	tr.RRD(h, 0, 20*60-treechecktest.Step, 200, "P550", "h", "cpu_user.rrd")
	tr.Dir("LPARS", "h")
	tr.RRD(h, 20*60, 40*60, 300, "LPARS", "h", "load_one.rrd")
	tr.Dir("P770")
	tr.Link("../LPARS/h", "P770", "h")
	tr.Dir("P550", "__SummaryInfo__")
	tr.Dir("P770", "__SummaryInfo__")
	tr.Dir("__SummaryInfo__")
	tr.Keep("P550/h/load_one.rrd", "LPARS/h/load_one.rrd")
	tr.Keep("P550/h/cpu_user.rrd", "LPARS/h/cpu_user.rrd")
	tr.Keep("LPARS/h/load_one.rrd", "LPARS/h/load_one.rrd")
	tr.Own()
	return tr
}

// TestLockedFileSkipped: a file another process holds the write lock on,
// as gmetad (librrd) does while it updates, is left where it is: the fix
// is skipped and reported, the rest of the directory moves, nothing is
// lost, and the next run finishes the job once the lock is gone.
func TestLockedFileSkipped(t *testing.T) {
	tr := stockHost(t)
	locked := tr.Path("P550", "h", "cpu_user.rrd")
	before, err := os.ReadFile(locked)
	if err != nil {
		t.Fatal(err)
	}
	release := treechecktest.HoldLock(t, locked)
	opts := tr.Options()
	opts.Fix = true
	rep := run(t, tr.Root, opts)
	want := []treechecktest.Finding{{Path: "P550/h", Rule: "real-host-dir"}, {Path: "P550/h/cpu_user.rrd", Rule: "unreadable-rrd"}}
	if got := found(t, rep); !slices.Equal(got, want) {
		t.Fatalf("findings:\n%s\nwant %v", dump(rep), want)
	}
	if a := rep.Findings[0].Action; !strings.HasPrefix(a, "skipped: ") || !strings.Contains(a, "cpu_user.rrd: locked by another process") {
		t.Errorf("action %q, want skipped because cpu_user.rrd is locked", a)
	}
	if rep.Left() != 2 {
		t.Errorf("Left = %d, want 2", rep.Left())
	}
	if fi, err := os.Lstat(tr.Path("P550", "h")); err != nil || !fi.IsDir() {
		t.Fatalf("P550/h is no longer a real directory: %v %v", fi, err)
	}
	if after, err := os.ReadFile(locked); err != nil || !bytes.Equal(before, after) {
		t.Errorf("the locked file changed (%v)", err)
	}
	sameSamples(t, tr.Kept[0].Copy, tr.Kept[0].Final) // load_one was merged meanwhile

	release()
	if rep = run(t, tr.Root, opts); rep.Left() != 0 || len(rep.Findings) != 1 {
		t.Errorf("--fix after the lock was released:\n%s", dump(rep))
	}
	opts.Fix = false
	if rep = run(t, tr.Root, opts); len(rep.Findings) != 0 {
		t.Errorf("not clean:\n%s", dump(rep))
	}
	checkLink(t, tr.Root, "P550/h")
	for _, k := range tr.Kept {
		sameSamples(t, k.Copy, k.Final)
	}
}

// TestAdoptResume: AdoptHostDir picks up from every state a crash can
// leave, without losing or duplicating a sample.
func TestAdoptResume(t *testing.T) {
	tests := []struct {
		name  string
		crash func(t *testing.T, tr *treechecktest.Tree)
	}{
		{"between link and unlink", func(t *testing.T, tr *treechecktest.Tree) {
			mustLink(t, tr.Path("P550/h/cpu_user.rrd"), tr.Path("LPARS/h/cpu_user.rrd"))
		}},
		{"between merge and unlink", func(t *testing.T, tr *treechecktest.Tree) {
			if _, err := treecheck.AdoptHostDir(tr.Root, "P550", "h", tr.Options()); err != nil {
				t.Fatal(err)
			}
			// Put the merged file's source back, as if its removal
			// had not happened; the host link goes too.
			mustRemove(t, tr.Path("P550/h"))
			if err := os.Mkdir(tr.Path("P550/h"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tr.Path("P550/h/load_one.rrd"), readFile(t, tr.Kept[0].Copy), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"between rmdir and symlink", func(t *testing.T, tr *treechecktest.Tree) {
			if _, err := treecheck.AdoptHostDir(tr.Root, "P550", "h", tr.Options()); err != nil {
				t.Fatal(err)
			}
			mustRemove(t, tr.Path("P550/h"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := stockHost(t)
			tc.crash(t, tr)
			res, err := treecheck.AdoptHostDir(tr.Root, "P550", "h", tr.Options())
			if err != nil || !res.Linked {
				t.Fatalf("AdoptHostDir: %v, %v", res, err)
			}
			checkLink(t, tr.Root, "P550/h")
			for _, k := range tr.Kept {
				sameSamples(t, k.Copy, k.Final)
			}
			if rep := run(t, tr.Root, tr.Options()); len(rep.Findings) != 0 {
				t.Errorf("not clean:\n%s", dump(rep))
			}
		})
	}
}

// TestAdoptMismatch: a file that cannot be merged (another step) stays
// where it is, untouched, and the directory stays real.
func TestAdoptMismatch(t *testing.T) {
	tr := stockHost(t)
	odd := treechecktest.HostSpec()
	odd.Step = 60
	tr.RRD(odd, 0, 20*60, 400, "P550", "h", "load_one.rrd")
	before := readFile(t, tr.Path("P550/h/load_one.rrd"))
	res, err := treecheck.AdoptHostDir(tr.Root, "P550", "h", tr.Options())
	if !errors.Is(err, treecheck.ErrIncomplete) || res.Linked || res.Moved != 1 || len(res.Kept) != 1 ||
		!strings.Contains(res.Kept[0].Reason, "layout differs") {
		t.Fatalf("AdoptHostDir = %+v, %v; want load_one kept for its layout, cpu_user moved", res, err)
	}
	if !bytes.Equal(before, readFile(t, tr.Path("P550/h/load_one.rrd"))) {
		t.Error("the file that could not be merged changed")
	}
	if fi, err := os.Lstat(tr.Path("P550/h")); err != nil || !fi.IsDir() {
		t.Errorf("P550/h: %v %v, want the real directory kept", fi, err)
	}
}

// TestCaseInsensitiveHosts: with case_sensitive_hostnames off, NodeA and
// nodea are one host, named in lower case as gmetad and rrdstore.Tree
// name it; with it on (the stock default) they are two.
func TestCaseInsensitiveHosts(t *testing.T) {
	for _, sensitive := range []bool{false, true} {
		tr := treechecktest.New(t)
		h := treechecktest.HostSpec()
		tr.Dir("P550", "NodeA")
		tr.RRD(h, 0, 10*60, 100, "P550", "NodeA", "load_one.rrd")
		tr.Dir("P770", "nodea")
		tr.RRD(h, 20*60, 30*60, 200, "P770", "nodea", "load_one.rrd")
		for _, d := range []string{"__SummaryInfo__", "P550/__SummaryInfo__", "P770/__SummaryInfo__"} {
			tr.Dir(d)
		}
		tr.Own()
		opts := tr.Options()
		opts.CaseSensitiveHostnames = sensitive
		rule := "real-host-dir"
		if !sensitive {
			rule = "duplicate-host"
			tr.Keep("P550/NodeA/load_one.rrd", "LPARS/nodea/load_one.rrd")
			tr.Keep("P770/nodea/load_one.rrd", "LPARS/nodea/load_one.rrd")
		}
		want := []treechecktest.Finding{{Path: "P550/NodeA", Rule: rule}, {Path: "P770/nodea", Rule: rule}}
		if got := found(t, run(t, tr.Root, opts)); !slices.Equal(got, want) {
			t.Errorf("sensitive=%v: findings %v, want %v", sensitive, got, want)
		}
		opts.Fix = true
		if rep := run(t, tr.Root, opts); rep.Left() != 0 {
			t.Errorf("sensitive=%v: --fix left:\n%s", sensitive, dump(rep))
		}
		opts.Fix = false
		if rep := run(t, tr.Root, opts); len(rep.Findings) != 0 {
			t.Errorf("sensitive=%v: not clean:\n%s", sensitive, dump(rep))
		}
		if sensitive {
			checkLink(t, tr.Root, "P550/NodeA")
			checkLink(t, tr.Root, "P770/nodea")
			continue
		}
		checkLink(t, tr.Root, "P550/nodea")
		checkLink(t, tr.Root, "P770/nodea")
		if _, err := os.Lstat(tr.Path("P550/NodeA")); !os.IsNotExist(err) {
			t.Errorf("P550/NodeA still there: %v", err)
		}
		for _, k := range tr.Kept {
			sameSamples(t, k.Copy, k.Final)
		}
	}
}

// TestUnreadableDir: a directory the check cannot list is reported; its
// mode is repaired, and the next run looks inside. Root lists anything,
// so as root the test runs again as user nobody.
func TestUnreadableDir(t *testing.T) {
	if os.Geteuid() == 0 {
		rerunAsNobody(t, "TestUnreadableDir")
		return
	}
	tr := treechecktest.New(t)
	tr.Dir("LPARS", "mu")
	tr.RRD(treechecktest.HostSpec(), 0, 60, 1, "LPARS", "mu", "load_one.rrd")
	tr.Dir("P550")
	tr.Link("../LPARS/mu", "P550", "mu")
	tr.Dir("P550", "__SummaryInfo__")
	tr.Dir("__SummaryInfo__")
	tr.Chmod(0, "LPARS", "mu")
	t.Cleanup(func() { os.Chmod(tr.Path("LPARS", "mu"), 0o755) })
	opts := tr.Options()
	opts.Fix = true
	rep := run(t, tr.Root, opts)
	want := []treechecktest.Finding{{Path: "LPARS/mu", Rule: "not-writable"}, {Path: "LPARS/mu", Rule: "unreadable-dir"}}
	if got := found(t, rep); !slices.Equal(got, want) || !rep.Findings[0].Fixed() || rep.Findings[1].Fixed() {
		t.Fatalf("findings:\n%s\nwant %v, the mode fixed", dump(rep), want)
	}
	opts.Fix = false
	if rep := run(t, tr.Root, opts); len(rep.Findings) != 0 || rep.RRDFiles != 1 {
		t.Errorf("second run: %d files,\n%s", rep.RRDFiles, dump(rep))
	}
}

// TestRunErrors: a root that is not there or not a directory, or a bad
// LPAR directory name, means the check cannot run at all.
func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := treecheck.DefaultOptions()
	bad.LPARDir = "../x"
	for _, c := range []struct {
		root string
		opts treecheck.Options
	}{
		{filepath.Join(dir, "missing"), treecheck.DefaultOptions()},
		{file, treecheck.DefaultOptions()},
		{dir, bad},
	} {
		if rep, err := treecheck.Run(t.Context(), c.root, c.opts); err == nil {
			t.Errorf("Run(%s, %q) = %v, want an error", c.root, c.opts.LPARDir, rep)
		}
	}
}

// TestProgress: the callback counts every RRD file up to the total.
func TestProgress(t *testing.T) {
	tr, _ := treechecktest.Fixable(t)
	opts := tr.Options()
	var calls []int
	total := -1
	opts.Progress = func(done, n int) { calls = append(calls, done); total = n }
	rep := run(t, tr.Root, opts)
	if total != rep.RRDFiles || len(calls) != total || !slices.IsSorted(calls) || calls[len(calls)-1] != total {
		t.Errorf("progress calls %v of %d, want 1..%d", calls, total, rep.RRDFiles)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustLink(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Link(from, to); err != nil {
		t.Fatal(err)
	}
}

func mustRemove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// rerunAsNobody runs test of this test binary as user nobody, from a copy
// of the binary in a directory nobody owns (also its TMPDIR), and fails
// unless it passed.
func rerunAsNobody(t *testing.T, test string) {
	t.Helper()
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	dir, err := os.MkdirTemp("", "treecheck-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "treecheck.test")
	self, err := os.ReadFile(os.Args[0])
	if err == nil {
		err = os.WriteFile(bin, self, 0o755)
	}
	if err == nil {
		err = os.Chown(dir, uid, gid)
	}
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+test+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("%s as nobody: %v\n%s", test, err, out)
	}
}
