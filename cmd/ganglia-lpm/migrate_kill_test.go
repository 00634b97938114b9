package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// migrateChildEnv makes the test binary, re-executed by TestMigrateKilled,
// run "ganglia-lpm migrate --root $value" instead of the tests.
const migrateChildEnv = "GANGLIA_LPM_TEST_MIGRATE_ROOT"

func init() {
	if root := os.Getenv(migrateChildEnv); root != "" {
		e := &env{stdin: os.Stdin, stdout: io.Discard, stderr: os.Stderr, now: time.Now}
		os.Exit(run(context.Background(), e, []string{"migrate", "--root", root}))
	}
}

// movedTree is a stock tree in which every host moved once: the first
// half of each metric's history in P1/<host>, the second in P2/<host>.
// Adopting P1 moves files, adopting P2 merges them.
func movedTree(t *testing.T, hosts, metrics int) *treechecktest.Tree {
	t.Helper()
	tr := treechecktest.New(t)
	spec := treechecktest.HostSpec()
	tr.Dir("__SummaryInfo__")
	for _, s := range []string{"P1", "P2"} {
		tr.Dir(s, "__SummaryInfo__")
	}
	for h := range hosts {
		host := fmt.Sprintf("lpar%02d", h)
		for i, half := range []struct {
			system   string
			from, to int64
		}{{"P1", 0, 15 * 60}, {"P2", 20 * 60, 40 * 60}} {
			tr.Dir(half.system, host)
			for m := range metrics {
				rel := filepath.Join(half.system, host, fmt.Sprintf("metric%02d.rrd", m))
				tr.RRD(spec, half.from, half.to, 10000*i+100*h+m, rel)
				tr.Keep(rel, filepath.Join("LPARS", host, filepath.Base(rel)))
			}
		}
	}
	tr.Own()
	return tr
}

// TestMigrateKilled: migrate is killed (SIGKILL, no clean-up) at several
// points while it moves and while it merges; every later run resumes, the
// last one completes, and no sample of any original is lost.
func TestMigrateKilled(t *testing.T) {
	const hosts, metrics = 16, 8
	tr := movedTree(t, hosts, metrics)
	// Kill once the first system has k links (files being moved), then
	// once the second has k (files being merged): each run starts over
	// from the tree the last one left.
	landed := 0
	for _, at := range []struct {
		system string
		links  int
	}{{"P1", 3}, {"P1", 11}, {"P2", 1}, {"P2", 6}, {"P2", 12}} {
		if killMigrateAt(t, tr.Root, at.system, at.links) {
			landed++
		}
	}
	t.Logf("%d of 5 kills landed while migrate ran", landed)
	if landed == 0 {
		t.Error("no kill interrupted migrate; the test proved nothing")
	}
	r := migrateRun(t, tr)
	if r.code != exitOK {
		t.Fatalf("the run after the kills: %s", r)
	}
	want := map[string][]string{}
	for h := range hosts {
		want[fmt.Sprintf("lpar%02d", h)] = []string{"P1", "P2"}
	}
	for host, systems := range want {
		for _, s := range systems {
			if target, err := os.Readlink(tr.Path(s, host)); err != nil || target != "../LPARS/"+host {
				t.Errorf("%s/%s: link %q, %v", s, host, target, err)
			}
		}
	}
	if r := checkRun(t, tr); r.code != exitOK {
		t.Errorf("check: %s", r)
	}
	for _, k := range tr.Kept {
		sameRows(t, k.Copy, k.Final)
	}
}

// killMigrateAt runs migrate on root in a child process and kills it once
// system has at least links host links; it reports whether the kill came
// before migrate ended.
func killMigrateAt(t *testing.T, root, system string, links int) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), migrateChildEnv+"="+root)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for countLinks(filepath.Join(root, system)) < links {
		select {
		case err := <-done:
			t.Logf("migrate ended before %s had %d links: %v", system, links, err)
			return false
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never had %d links", system, links)
		}
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := <-done
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return true
		}
	}
	t.Logf("migrate ended (%v) before the kill at %s with %d links", err, system, links)
	return false
}

// countLinks counts the symlinks in dir; the check is a poll of the tree
// the child changes, so the kill lands at an unknown step inside a host.
func countLinks(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if e.Type()&os.ModeSymlink != 0 {
			n++
		}
	}
	return n
}

// sameRows fails unless every known value of the original's one-step
// archive reads the same from final (rrdstore's reader: hundreds of files
// would take rrdtool seconds; the other tests compare with rrdtool).
func sameRows(t *testing.T, original, final string) {
	t.Helper()
	from, to := int64(treechecktest.T0-treechecktest.Step), int64(treechecktest.End)
	orig, err := rrdstore.Fetch(original, "AVERAGE", from, to, treechecktest.Step)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rrdstore.Fetch(final, "AVERAGE", from, to, treechecktest.Step)
	if err != nil {
		t.Fatalf("%s: %v", final, err)
	}
	if got.Start != orig.Start || got.Step != orig.Step || len(got.Rows) != len(orig.Rows) {
		t.Fatalf("%s: rows from %d step %d ×%d, original %d step %d ×%d", final,
			got.Start, got.Step, len(got.Rows), orig.Start, orig.Step, len(orig.Rows))
	}
	known := 0
	for i, row := range orig.Rows {
		if v := row[0]; !math.IsNaN(v) {
			known++
			if got.Rows[i][0] != v {
				t.Errorf("%s row %d: %v, original %v", final, i, got.Rows[i][0], v)
			}
		}
	}
	if known < 10 {
		t.Errorf("%s: %d known rows; the test compares nothing", original, known)
	}
}
