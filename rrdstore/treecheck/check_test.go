package treecheck_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// run checks root and fails the test if the check could not run.
func run(t *testing.T, root string, opts treecheck.Options) *treecheck.Report {
	t.Helper()
	rep, err := treecheck.Run(context.Background(), root, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// found lists a report's findings as treechecktest.Finding, relative to
// the root, in report order.
func found(t *testing.T, rep *treecheck.Report) []treechecktest.Finding {
	t.Helper()
	var got []treechecktest.Finding
	for _, f := range rep.Findings {
		rel, err := filepath.Rel(rep.Root, f.Path)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, treechecktest.Finding{Path: rel, Rule: string(f.Rule)})
	}
	return got
}

func dump(rep *treecheck.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "  %s: %s: %s [%s]\n", f.Path, f.Rule, f.Message, f.Action)
	}
	return b.String()
}

// TestFixableTree: a check finds every fixable problem, --fix repairs all
// of them, the next check is clean, and every sample of every original
// file reads the same through rrdtool afterwards.
func TestFixableTree(t *testing.T) {
	tr, want := treechecktest.Fixable(t)
	opts := tr.Options()
	rep := run(t, tr.Root, opts)
	if got := found(t, rep); !slices.Equal(got, want) {
		t.Fatalf("findings:\n%s\nwant %v", dump(rep), want)
	}
	for _, f := range rep.Findings {
		if f.Action != treecheck.ActionReported {
			t.Errorf("%s: action %q without --fix", f.Path, f.Action)
		}
	}
	if rep.Left() != len(want) {
		t.Errorf("Left = %d, want %d", rep.Left(), len(want))
	}

	opts.Fix = true
	rep = run(t, tr.Root, opts)
	if got := found(t, rep); !slices.Equal(got, want) {
		t.Errorf("findings of --fix:\n%s\nwant %v", dump(rep), want)
	}
	if rep.Left() != 0 {
		t.Errorf("--fix left %d problems:\n%s", rep.Left(), dump(rep))
	}

	opts.Fix = false
	if rep = run(t, tr.Root, opts); len(rep.Findings) != 0 {
		t.Errorf("check after --fix is not clean:\n%s", dump(rep))
	}
	for _, host := range []string{"P550/alpha", "P770/alpha", "P550/beta", "P770/beta", "P880/delta", "P550/eps", "P770/eps", "P880/zeta"} {
		checkLink(t, tr.Root, host)
	}
	for _, gone := range []string{"P880/gone", "P880/eta", "P550/.tmp-link-1"} {
		if _, err := os.Lstat(tr.Path(gone)); !os.IsNotExist(err) {
			t.Errorf("%s still there (%v)", gone, err)
		}
	}
	for _, k := range tr.Kept {
		sameSamples(t, k.Copy, k.Final)
	}
}

// checkLink fails unless <root>/<cluster>/<host> is the link ../LPARS/<host>.
func checkLink(t *testing.T, root, rel string) {
	t.Helper()
	target, err := os.Readlink(filepath.Join(root, rel))
	if want := "../LPARS/" + filepath.Base(rel); err != nil || target != want {
		t.Errorf("%s: link to %q (%v), want %q", rel, target, err, want)
	}
}

// TestReportOnlyTree: problems that must not be repaired automatically
// are reported, with or without --fix, and the tree stays exactly as it
// was.
func TestReportOnlyTree(t *testing.T) {
	tr, want := treechecktest.ReportOnly(t)
	before := snapshot(t, tr.Root)
	opts := tr.Options()
	for _, fix := range []bool{false, true} {
		opts.Fix = fix
		rep := run(t, tr.Root, opts)
		if got := found(t, rep); !slices.Equal(got, want) {
			t.Errorf("fix=%v: findings:\n%s\nwant %v", fix, dump(rep), want)
		}
		for _, f := range rep.Findings {
			skipped := strings.HasPrefix(f.Action, "skipped: ")
			if f.Fixed() || (!fix && f.Action != treecheck.ActionReported) ||
				(fix && f.Action != treecheck.ActionReported && !skipped) {
				t.Errorf("fix=%v: %s: action %q", fix, f.Path, f.Action)
			}
		}
		if rep.Left() != len(want) {
			t.Errorf("fix=%v: Left = %d, want %d", fix, rep.Left(), len(want))
		}
	}
	if after := snapshot(t, tr.Root); !maps.Equal(before, after) {
		t.Errorf("--fix changed a report-only tree:\nbefore %v\nafter  %v", before, after)
	}
}

// snapshot maps every path under root to its type, mode and content hash
// or link target.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		v := fi.Mode().String()
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			v += " -> " + target
		case d.Type().IsRegular():
			data, _ := os.ReadFile(p)
			v += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		m[p] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rrdtoolBin is the reference reader, rrdtool 1.7.2 from Debian, installed
// by `make deps`. Tests fail (never skip) without it.
const rrdtoolBin = "/usr/bin/rrdtool"

// fetchRows runs the real `rrdtool fetch` and returns its rows by time.
func fetchRows(t *testing.T, path string, res int) map[int64]string {
	t.Helper()
	if _, err := os.Stat(rrdtoolBin); err != nil {
		t.Fatalf("rrdtool is not installed at %s: run `make deps` (%v)", rrdtoolBin, err)
	}
	cmd := exec.Command(rrdtoolBin, "fetch", path, "AVERAGE", "-r", strconv.Itoa(res),
		"-s", strconv.Itoa(treechecktest.T0-res), "-e", strconv.Itoa(treechecktest.End))
	// Files are read directly, whatever the environment says.
	cmd.Env = []string{"LC_ALL=C", "TZ=UTC"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rrdtool fetch %s: %v\n%s", path, err, out)
	}
	rows := map[int64]string{}
	for _, line := range strings.Split(string(out), "\n") {
		ts, vals, ok := strings.Cut(line, ":")
		if n, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64); ok && err == nil {
			rows[n] = strings.TrimSpace(vals)
		}
	}
	return rows
}

// sameSamples fails unless every known value rrdtool fetch reads from the
// original reads the same from final, at one-step and four-step
// resolution.
func sameSamples(t *testing.T, original, final string) {
	t.Helper()
	for _, res := range []int{treechecktest.Step, 4 * treechecktest.Step} {
		orig, got := fetchRows(t, original, res), fetchRows(t, final, res)
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
		if known < 10 {
			t.Errorf("%s: only %d known values at res %d; the test compares nothing", original, known, res)
		}
	}
}
