package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// TestMigrateInterrupted: a run whose context ends between two hosts (^C)
// stops there, says what is left and exits 1; the next run finishes the
// job without losing a sample.
func TestMigrateInterrupted(t *testing.T) {
	tr := stockTree(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	deps := migrateDeps{isTerminal: func(io.Writer) bool { return false },
		adopt: func(root, system, host string, opts treecheck.Options) (treecheck.AdoptResult, error) {
			calls++
			if calls == 2 {
				cancel()
			}
			return treecheck.AdoptHostDir(root, system, host, opts)
		}}
	var out, errOut bytes.Buffer
	e := &env{stdout: &out, stderr: &errOut, now: fixedNow}
	code := migrateWith(ctx, e, []string{"--root", tr.Root, "--user", tr.User.Name}, deps)
	if code != exitFailed || calls != 2 || !strings.Contains(out.String(), "\nInterrupted with 3 host directories and links still to do.\n") {
		t.Fatalf("interrupted run: exit %d after %d hosts\n%s%s", code, calls, &out, &errOut)
	}
	if _, err := os.Stat(tr.Path(journalName)); err != nil {
		t.Errorf("no record of the interrupted run: %v", err)
	}
	if r := checkRun(t, tr); r.code != exitFailed {
		t.Errorf("check after the interruption: %s", r)
	}
	r := migrateRun(t, tr)
	if r.code != exitOK || !strings.Contains(r.stdout, "Migrated: 3 host directories adopted") {
		t.Errorf("second run: %s", r)
	}
	assertMigrated(t, tr, map[string][]string{"alpha": {"P550"}, "beta": {"P550", "P770"},
		"gamma": {"P770"}, "delta": {"P550", "P880"}})
}

// TestMigrateResume: every state a kill inside AdoptHostDir or migrate can
// leave is finished by the next run, which exits 0 with the tree clean.
func TestMigrateResume(t *testing.T) {
	tests := []struct {
		name  string
		crash func(t *testing.T, tr *treechecktest.Tree)
		plan  string // a line the second run's plan must show
	}{
		{"between rmdir and symlink", func(t *testing.T, tr *treechecktest.Tree) {
			// The first run is killed right after AdoptHostDir removed
			// P550/alpha: the link is not made yet, and nothing but the
			// record says where LPARS/alpha came from.
			deps := migrateDeps{isTerminal: func(io.Writer) bool { return false },
				adopt: func(root, system, host string, opts treecheck.Options) (treecheck.AdoptResult, error) {
					res, err := treecheck.AdoptHostDir(root, system, host, opts)
					if err == nil {
						err = os.Remove(filepath.Join(root, system, host))
					}
					return res, fmt.Errorf("killed (%v)", err)
				}}
			ctx, cancel := context.WithCancel(context.Background())
			deps.adopt = stopAfter(cancel, deps.adopt)
			e := &env{stdout: io.Discard, stderr: io.Discard, now: fixedNow}
			if code := migrateWith(ctx, e, []string{"--root", tr.Root}, deps); code != exitFailed {
				t.Fatalf("killed run: exit %d", code)
			}
			if _, err := os.Lstat(tr.Path("P550", "alpha")); err == nil {
				t.Fatal("P550/alpha still exists; the crash was not simulated")
			}
		}, "  P550/alpha -> ../LPARS/alpha\n"},
		{"between link and unlink", func(t *testing.T, tr *treechecktest.Tree) {
			tr.Dir("LPARS", "alpha")
			if err := os.Link(tr.Path("P550/alpha/cpu_user.rrd"), tr.Path("LPARS/alpha/cpu_user.rrd")); err != nil {
				t.Fatal(err)
			}
			tr.Own()
		}, "  alpha: P550 (last update"},
		{"during a merge", func(t *testing.T, tr *treechecktest.Tree) {
			tr.File("half a merged file", "LPARS", "delta", ".load_one.rrd.merge-1234567")
		}, "  LPARS/delta/.load_one.rrd.merge-1234567\n"},
		{"while writing the record", func(t *testing.T, tr *treechecktest.Tree) {
			tr.File("P550/al", journalName+".tmp")
		}, "Managed system P550: 2 host directories to adopt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := stockTree(t)
			tc.crash(t, tr)
			r := migrateRun(t, tr)
			if r.code != exitOK || !strings.Contains(r.stdout, tc.plan) {
				t.Errorf("run after the crash: %s\nwant exit 0 and %q in the plan", r, tc.plan)
			}
			if _, err := os.Lstat(tr.Path(journalName + ".tmp")); err == nil {
				t.Error("the temporary record is left")
			}
			assertMigrated(t, tr, map[string][]string{"alpha": {"P550"}, "beta": {"P550", "P770"},
				"gamma": {"P770"}, "delta": {"P550", "P880"}})
		})
	}
}

// stopAfter makes adopt end the run (as a kill would) after its first call.
func stopAfter(cancel func(), adopt func(string, string, string, treecheck.Options) (treecheck.AdoptResult, error)) func(string, string, string, treecheck.Options) (treecheck.AdoptResult, error) {
	return func(root, system, host string, opts treecheck.Options) (treecheck.AdoptResult, error) {
		defer cancel()
		return adopt(root, system, host, opts)
	}
}

// TestMigrateLocked: a file gmetad holds the lock on stays where it is;
// the run names it, says to run again and exits 1; once the lock is gone
// the next run finishes.
func TestMigrateLocked(t *testing.T) {
	tr := stockTree(t)
	release := treechecktest.HoldLock(t, tr.Path("P770/beta/mem_free.rrd"))
	r := migrateRun(t, tr)
	if r.code != exitFailed ||
		!strings.Contains(r.stdout, "\nLeft for the next run:\n  P770/beta/mem_free.rrd: locked by another process") ||
		!strings.Contains(r.stdout, "Run ganglia-lpm migrate again to finish;") {
		t.Errorf("migrate under a lock: %s", r)
	}
	release()
	if r := migrateRun(t, tr); r.code != exitOK {
		t.Errorf("migrate after the lock: %s", r)
	}
	assertMigrated(t, tr, map[string][]string{"alpha": {"P550"}, "beta": {"P550", "P770"},
		"gamma": {"P770"}, "delta": {"P550", "P880"}})
}
