package movelog

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkScanRebuild is gmetad's start-up cost without a move history
// on a tree of 10 managed systems × 1,000 LPARs, a tenth of which moved
// once (so 11,000 links), each moved host with 40 RRD files and each
// system with 40 summary files whose headers are read. ns/op is one Scan
// and Rebuild.
func BenchmarkScanRebuild(b *testing.B) {
	const systems, perSystem, files = 10, 1000, 40
	root := b.TempDir()
	rrd := filepath.Join(root, "template.rrd")
	writeRRD(b, rrd, false, t0.Add(time.Hour))
	tmpl, err := os.ReadFile(rrd)
	if err != nil {
		b.Fatal(err)
	}
	put := func(dir string) {
		mkdir(b, dir)
		for m := range files {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("m%02d.rrd", m)), tmpl, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	for s := range systems {
		sys := fmt.Sprintf("P%02d", s)
		put(filepath.Join(root, sys, summaryDir))
		for h := range perSystem {
			host := fmt.Sprintf("lpar%05d", s*perSystem+h)
			mkdir(b, filepath.Join(root, "LPARS", host))
			link(b, "../LPARS/"+host, filepath.Join(root, sys, host), at(h))
			if h%10 == 0 { // moved once, to the next system
				put(filepath.Join(root, "LPARS", host))
				next := fmt.Sprintf("P%02d", (s+1)%systems)
				mkdir(b, filepath.Join(root, next))
				link(b, "../LPARS/"+host, filepath.Join(root, next, host), at(1800+h))
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		tree, err := Scan(root, ScanOptions{ReadRRDs: true})
		if err != nil {
			b.Fatal(err)
		}
		if h := Rebuild(tree, Options{}); len(h.Moves) != systems*perSystem/10 {
			b.Fatalf("%d moves, want %d", len(h.Moves), systems*perSystem/10)
		}
	}
}
