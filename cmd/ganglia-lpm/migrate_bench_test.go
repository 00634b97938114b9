package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck/treechecktest"
)

// BenchmarkMigrate migrates a generated stock tree of 200 hosts × 50
// metrics spread over four managed systems, the whole command (plan,
// moves, merges, the final check): "200x50" has each host in one system
// (10,000 files moved); "200x50-moved" has each host in two, as after an
// LPM move of every LPAR (10,000 moved and 10,000 merged). ns/op is the
// time of one migration. Moves cost the same whatever the file size (a
// link, an unlink and a header read); merges read both files and write
// the result, so they grow with the archives (the files here hold 960
// rows, stock gmetad's default archives 78,720).
func BenchmarkMigrate(b *testing.B) {
	for _, bc := range []struct {
		name   string
		copies int // managed systems each host has a directory in
	}{{"200x50", 1}, {"200x50-moved", 2}} {
		b.Run(bc.name, func(b *testing.B) {
			tmpl := benchTemplates(b)
			files := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				root := stockBenchTree(b, 200, 50, bc.copies, tmpl)
				b.StartTimer()
				e := &env{stdout: io.Discard, stderr: io.Discard, now: time.Now}
				if code := run(context.Background(), e, []string{"migrate", "--root", root}); code != exitOK {
					b.Fatalf("migrate: exit %d", code)
				}
				files += 200 * 50 * bc.copies
				b.StopTimer()
				if err := os.RemoveAll(filepath.Dir(root)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(files)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

// benchTemplates returns two histories of one metric in gmetad's host
// layout: the first and the second half of forty minutes.
func benchTemplates(b *testing.B) [2][]byte {
	b.Helper()
	var out [2][]byte
	for i, span := range [][2]int64{{0, 15 * 60}, {20 * 60, 40 * 60}} {
		p := filepath.Join(b.TempDir(), "t.rrd")
		treechecktest.WriteRRD(b, p, treechecktest.HostSpec(), treechecktest.T0+span[0], treechecktest.T0+span[1], 1000*i)
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = data
	}
	return out
}

// stockBenchTree writes what stock gmetad leaves: hosts × metrics files in
// real host directories, each host in copies of the four managed systems
// (P<h%4>, then the next one), with a summary directory in each.
func stockBenchTree(b *testing.B, hosts, metrics, copies int, tmpl [2][]byte) string {
	b.Helper()
	root := filepath.Join(b.TempDir(), "rrds")
	mk := func(p string) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	mk(filepath.Join(root, "__SummaryInfo__"))
	for s := range 4 {
		mk(filepath.Join(root, fmt.Sprintf("P%d", s), "__SummaryInfo__"))
	}
	for h := range hosts {
		for c := range copies {
			dir := filepath.Join(root, fmt.Sprintf("P%d", (h+c)%4), fmt.Sprintf("lpar%04d", h))
			mk(dir)
			for m := range metrics {
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("metric_%02d.rrd", m)), tmpl[c], 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return root
}
