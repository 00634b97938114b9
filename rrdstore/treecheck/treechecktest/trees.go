package treechecktest

import (
	"os"
	"path/filepath"
	"testing"
)

// Finding is an expected finding: path relative to the root, and rule.
type Finding struct{ Path, Rule string }

// Fixable builds a tree in which every problem can be repaired, and
// returns it with the findings a check must report (sorted by path). Each
// rule that --fix repairs appears at least once:
//
//	P550/alpha        real-host-dir: load_one also in LPARS/alpha (newer), cpu_user only here
//	P550/beta,
//	P770/beta         duplicate-host: two halves of load_one, mem_free once
//	P880/gone         dangling-link to ../LPARS/gone (missing): removed
//	P880/delta        dangling-link to ../OLD/delta: relinked, LPARS/delta exists
//	P770/eps          foreign-link to ../LPARS/zeta
//	P550/eps          foreign-link, absolute spelling of LPARS/eps
//	P880/eta          link-escapes-root to a missing place: removed
//	P770/__SummaryInfo__  summary-is-link to ../P550/__SummaryInfo__: copied
//	P880/__SummaryInfo__  summary-missing
//	LPARS/delta       not-writable (0555), LPARS/zeta/load_one.rrd (0444)
//	P550/.tmp-link-1  stray-file, a leftover temporary link
func Fixable(tb testing.TB) (*Tree, []Finding) {
	tb.Helper()
	t := New(tb)
	h, s := HostSpec(), SummarySpec()
	t.Dir("LPARS", "alpha")
	t.RRD(h, 20*60, 40*60, 1000, "LPARS", "alpha", "load_one.rrd")
	t.Dir("P550", "alpha")
	t.RRD(h, 0, 20*60-Step, 2000, "P550", "alpha", "load_one.rrd")
	t.RRD(h, 0, 20*60-Step, 3000, "P550", "alpha", "cpu_user.rrd")
	t.Dir("P770")
	t.Link("../LPARS/alpha", "P770", "alpha")

	t.Dir("P550", "beta")
	t.RRD(h, 0, 10*60, 4000, "P550", "beta", "load_one.rrd")
	t.Dir("P770", "beta")
	t.RRD(h, 15*60, 30*60, 5000, "P770", "beta", "load_one.rrd")
	t.RRD(h, 15*60, 30*60, 6000, "P770", "beta", "mem_free.rrd")

	t.Dir("P880")
	t.Link("../LPARS/gone", "P880", "gone")
	t.Dir("LPARS", "delta")
	t.RRD(h, 0, 40*60, 7000, "LPARS", "delta", "load_one.rrd")
	t.Link("../LPARS/delta", "P550", "delta")
	t.Link("../OLD/delta", "P880", "delta")

	t.Dir("LPARS", "eps")
	t.RRD(h, 0, 40*60, 8000, "LPARS", "eps", "load_one.rrd")
	t.Dir("LPARS", "zeta")
	t.RRD(h, 0, 40*60, 9000, "LPARS", "zeta", "load_one.rrd")
	t.Link("../LPARS/zeta", "P880", "zeta")
	t.Link("../LPARS/zeta", "P770", "eps")
	t.Link(t.Path("LPARS", "eps"), "P550", "eps")
	t.Link("../../outside/gone/eta", "P880", "eta")

	t.Dir("__SummaryInfo__")
	t.RRD(s, 0, 40*60, 10000, "__SummaryInfo__", "load_one.rrd")
	t.Dir("P550", "__SummaryInfo__")
	t.RRD(s, 0, 40*60, 11000, "P550", "__SummaryInfo__", "load_one.rrd")
	t.RRD(s, 0, 40*60, 12000, "P550", "__SummaryInfo__", "cpu_user.rrd")
	t.Link("../P550/__SummaryInfo__", "P770", "__SummaryInfo__")
	t.Link("../LPARS/alpha", "P550", ".tmp-link-1")

	for _, k := range [][2]string{
		{"LPARS/alpha/load_one.rrd", "LPARS/alpha/load_one.rrd"},
		{"P550/alpha/load_one.rrd", "LPARS/alpha/load_one.rrd"},
		{"P550/alpha/cpu_user.rrd", "LPARS/alpha/cpu_user.rrd"},
		{"P550/beta/load_one.rrd", "LPARS/beta/load_one.rrd"},
		{"P770/beta/load_one.rrd", "LPARS/beta/load_one.rrd"},
		{"P770/beta/mem_free.rrd", "LPARS/beta/mem_free.rrd"},
		{"LPARS/delta/load_one.rrd", "LPARS/delta/load_one.rrd"},
		{"LPARS/zeta/load_one.rrd", "LPARS/zeta/load_one.rrd"},
		{"P550/__SummaryInfo__/load_one.rrd", "P770/__SummaryInfo__/load_one.rrd"},
		{"P550/__SummaryInfo__/cpu_user.rrd", "P770/__SummaryInfo__/cpu_user.rrd"},
		{"P550/__SummaryInfo__/load_one.rrd", "P550/__SummaryInfo__/load_one.rrd"},
	} {
		t.Keep(k[0], k[1])
	}
	t.Own()
	t.Chmod(0o555, "LPARS", "delta")
	t.Chmod(0o444, "LPARS", "zeta", "load_one.rrd")
	return t, []Finding{
		{"LPARS/delta", "not-writable"},
		{"LPARS/zeta/load_one.rrd", "not-writable"},
		{"P550/.tmp-link-1", "stray-file"},
		{"P550/alpha", "real-host-dir"},
		{"P550/beta", "duplicate-host"},
		{"P550/eps", "foreign-link"},
		{"P770/__SummaryInfo__", "summary-is-link"},
		{"P770/beta", "duplicate-host"},
		{"P770/eps", "foreign-link"},
		{"P880/__SummaryInfo__", "summary-missing"},
		{"P880/delta", "dangling-link"},
		{"P880/eta", "link-escapes-root"},
		{"P880/gone", "dangling-link"},
	}
}

// ReportOnly builds a tree whose every problem is one --fix must leave
// alone (report-only rules, or fixes that are unsafe), and the findings:
//
//	LPARS/omega            orphan-lpar
//	LPARS/kappa/odd.rrd    layout-mismatch (step 60 among step 15 files)
//	LPARS/kappa/broken.rrd unreadable-rrd (not an RRD)
//	LPARS/kappa/short.rrd  unreadable-rrd (truncated)
//	LPARS/kappa/notes.txt, LPARS/kappa/load_one.rrd123456, README.txt  stray-file
//	LPARS/lambda           link-escapes-root: a link where a host directory belongs
//	P990                   foreign-link: a managed system that is a link
//	P550/theta             link-escapes-root to existing data outside: skipped
//	P550/__SummaryInfo__   summary-missing, a file in its place: skipped
func ReportOnly(tb testing.TB) (*Tree, []Finding) {
	tb.Helper()
	t := New(tb)
	h := HostSpec()
	t.Dir("LPARS", "omega")
	t.RRD(h, 0, 40*60, 100, "LPARS", "omega", "load_one.rrd")
	t.Dir("LPARS", "kappa")
	t.Dir("P550")
	t.Link("../LPARS/kappa", "P550", "kappa")
	for i, m := range []string{"load_one", "cpu_user", "mem_free"} {
		t.RRD(h, 0, 40*60, 200+100*i, "LPARS", "kappa", m+".rrd")
	}
	odd := HostSpec()
	odd.Step = 60
	t.RRD(odd, 0, 40*60, 600, "LPARS", "kappa", "odd.rrd")
	t.File("not an RRD file at all, but long enough to look at", "LPARS", "kappa", "broken.rrd")
	data, err := os.ReadFile(t.Path("LPARS", "kappa", "load_one.rrd"))
	if err != nil {
		tb.Fatal(err)
	}
	t.File(string(data[:len(data)/2]), "LPARS", "kappa", "short.rrd")
	t.File(string(data), "LPARS", "kappa", "load_one.rrd123456")
	t.File("remember the milk\n", "LPARS", "kappa", "notes.txt")
	t.File("hello\n", "README.txt")
	if err := os.MkdirAll(filepath.Join(t.Outside, "lambda"), 0o755); err != nil {
		tb.Fatal(err)
	}
	t.Link(filepath.Join(t.Outside, "lambda"), "LPARS", "lambda")
	t.Link("P550", "P990")
	theta := filepath.Join(t.Outside, "theta")
	if err := os.MkdirAll(theta, 0o755); err != nil {
		tb.Fatal(err)
	}
	WriteRRD(tb, filepath.Join(theta, "load_one.rrd"), h, T0, End, 700)
	t.Link(theta, "P550", "theta")
	t.File("", "P550", "__SummaryInfo__")
	t.Dir("__SummaryInfo__")
	t.Own()
	return t, []Finding{
		{"LPARS/kappa/broken.rrd", "unreadable-rrd"},
		{"LPARS/kappa/load_one.rrd123456", "stray-file"},
		{"LPARS/kappa/notes.txt", "stray-file"},
		{"LPARS/kappa/odd.rrd", "layout-mismatch"},
		{"LPARS/kappa/short.rrd", "unreadable-rrd"},
		{"LPARS/lambda", "link-escapes-root"},
		{"LPARS/omega", "orphan-lpar"},
		{"P550/__SummaryInfo__", "summary-missing"},
		{"P550/theta", "link-escapes-root"},
		{"P990", "foreign-link"},
		{"README.txt", "stray-file"},
	}
}
