package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// benchSource is the size: 10 managed systems × 100 LPARs, each
// with the fixture's metrics and 30 more (a gmond's usual count), and a
// full move history (grid.DefaultMoveHistory moves).
func benchSource() *fakeSource {
	snap := &xmlout.Snapshot{Grid: xmlout.GridInfo{Name: "bench"}}
	for s := range 10 {
		var lpars []lpar
		for i := range 100 {
			lpars = append(lpars, lpar{name: fmt.Sprintf("lpar%02d%03d", s, i), physc: float64(i%7) / 4, entc: float64(i % 100),
				ent: 1, pool: 64, load: float64(i%5) / 2, memGiB: 32, freeGiB: float64(i % 32), in: 1e5, out: 2e5, down: i%50 == 0})
		}
		src := cluster(fmt.Sprintf("P%02d-SYSTEM", s), lpars...)
		for h := range src.Hosts {
			for m := range 30 {
				src.Hosts[h].Metrics = append(src.Hosts[h].Metrics,
					metric(fmt.Sprintf("extra_%02d", m), "12.5", "float", "units", "group", "Extra"))
			}
		}
		snap.Sources = append(snap.Sources, src)
	}
	var moves []grid.Move
	for i := range grid.DefaultMoveHistory {
		s := i % 10
		moves = append(moves, grid.Move{Time: now.Add(time.Duration(i-grid.DefaultMoveHistory) * time.Minute),
			Host: fmt.Sprintf("lpar%02d%03d", s, i%100), From: fmt.Sprintf("P%02d-SYSTEM", (s+9)%10), To: fmt.Sprintf("P%02d-SYSTEM", s)})
	}
	return &fakeSource{snap: snap, moves: moves, health: fixtureSource().health}
}

func benchPage(b *testing.B, target string) {
	h := NewHandler(Options{Source: benchSource(), Now: func() time.Time { return now }})
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = "127.0.0.1:1"
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// BenchmarkGridPage renders / for 10 systems × 100 LPARs (no RRDs).
func BenchmarkGridPage(b *testing.B) { benchPage(b, "/") }

// BenchmarkSystemPage renders one system of 100 LPARs, sorted by physc.
func BenchmarkSystemPage(b *testing.B) { benchPage(b, "/system/P05-SYSTEM?sort=cpu_used") }

func BenchmarkAPIGrid(b *testing.B)   { benchPage(b, "/api/grid") }
func BenchmarkMovesPage(b *testing.B) { benchPage(b, "/moves") }
func BenchmarkMetrics(b *testing.B)   { benchPage(b, "/metrics") }

// BenchmarkSystemGraph draws the stacked physc of one system of 100 LPARs
// for a day: 100 RRD fetches (an hour of data each, gmetad's archives).
func BenchmarkSystemGraph(b *testing.B) {
	src := benchSource()
	root := b.TempDir()
	start := now.Add(-time.Hour).Unix()
	sys := &src.snap.Sources[5]
	for _, host := range sys.Hosts {
		dir := filepath.Join(root, "LPARS", host.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, "cpu_used.rrd")
		if err := rrdstore.Create(path, rrdstore.GmetadSpec(15, start-1, "both", false, nil), rrdstore.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
		var args []string
		for ts := start; ts <= now.Unix(); ts += 15 {
			args = append(args, strconv.FormatInt(ts, 10)+":0.5")
		}
		if err := rrdstore.Update(path, args...); err != nil {
			b.Fatal(err)
		}
	}
	h := NewHandler(Options{Source: src, RRDRoot: root, Now: func() time.Time { return now }})
	req := httptest.NewRequest(http.MethodGet, "/graph/system/"+sys.Name+"/physc.svg?range=day", nil)
	req.RemoteAddr = "127.0.0.1:1"
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}
