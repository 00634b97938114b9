package treecheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// benchTree writes a clean tree of hosts × metrics RRD files, the hosts
// spread over four managed systems, by copying one gmetad-shaped file.
func benchTree(b *testing.B, hosts, metrics int) string {
	b.Helper()
	root := filepath.Join(b.TempDir(), "rrds")
	tmpl := filepath.Join(b.TempDir(), "t.rrd")
	treechecktest.WriteRRD(b, tmpl, treechecktest.HostSpec(), treechecktest.T0, treechecktest.End, 1)
	data, err := os.ReadFile(tmpl)
	if err != nil {
		b.Fatal(err)
	}
	mk := func(p string) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	mk(filepath.Join(root, "__SummaryInfo__"))
	for c := range 4 {
		mk(filepath.Join(root, fmt.Sprintf("P%d", c), "__SummaryInfo__"))
	}
	for h := range hosts {
		name := fmt.Sprintf("lpar%04d", h)
		dir := filepath.Join(root, "LPARS", name)
		mk(dir)
		for m := range metrics {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("metric_%02d.rrd", m)), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.Symlink("../LPARS/"+name, filepath.Join(root, fmt.Sprintf("P%d", h%4), name)); err != nil {
			b.Fatal(err)
		}
	}
	return root
}

// BenchmarkCheck checks a clean tree of 200 hosts × 50 metrics (10,000
// files, as a mid-size site has) and reports files checked per second.
func BenchmarkCheck(b *testing.B) {
	root := benchTree(b, 200, 50)
	opts := treecheck.DefaultOptions()
	b.ResetTimer()
	start := time.Now()
	files := 0
	for b.Loop() {
		rep, err := treecheck.Run(b.Context(), root, opts)
		if err != nil || len(rep.Findings) != 0 || rep.RRDFiles != 10000 {
			b.Fatalf("Run: %v, %d files, %d findings", err, rep.RRDFiles, len(rep.Findings))
		}
		files += rep.RRDFiles
	}
	b.ReportMetric(float64(files)/time.Since(start).Seconds(), "files/s")
}
