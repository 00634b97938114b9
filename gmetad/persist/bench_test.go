package persist

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// fleetSnapshot is clusters × hosts × metrics of gmond-like float values,
// hosts and metrics that never go down or expire, and the summaries.
func fleetSnapshot(clusters, hosts, metrics int) *xmlout.Snapshot {
	now := stepTime(0)
	names := make([]string, metrics)
	for m := range names {
		names[m] = "metric_" + strconv.Itoa(m)
	}
	var srcs []xmlout.Source
	for c := range clusters {
		hs := make([]xmlout.Host, hosts)
		for h := range hs {
			ms := make([]xmlout.Metric, metrics)
			for m := range ms {
				ms[m] = metric(names[m], strconv.Itoa(h%100)+"."+strconv.Itoa(m%100), "float", "both", now)
			}
			hs[h] = host("lpar"+strconv.Itoa(c*hosts+h)+".example.com", now, ms...)
			hs[h].TMax = 1 << 30 // up at any step
		}
		srcs = append(srcs, cluster("P770-DC1-R"+strconv.Itoa(c), now, hs...))
	}
	return snapshot(srcs...)
}

// at returns s as of step k: the same hosts, the sources' clocks moved.
func at(s *xmlout.Snapshot, k int) (*xmlout.Snapshot, time.Time) {
	now := stepTime(k)
	c := *s
	c.Sources = append([]xmlout.Source(nil), s.Sources...)
	for i := range c.Sources {
		c.Sources[i].LocalTime = now.Unix()
	}
	return &c, now
}

// benchPersist persists snap at steps 1 and 2 (creations, first
// updates), then times one step per iteration: Persist, and Sync, which
// waits for the step and for the Writer to write every file.
func benchPersist(b *testing.B, snap *xmlout.Snapshot, w Writer) {
	p, err := New(Options{Root: b.TempDir(), Writer: w, RRAs: []rrdstore.RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 100}}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close(context.Background())
	step := func(k int) {
		s, now := at(snap, k)
		p.Persist(s, now)
		if err := p.Sync(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	step(1)
	step(2)
	before := p.Stats()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	k, handOver := 3, time.Duration(0)
	for b.Loop() {
		step(k)
		k++
		handOver += p.Stats().LastStepDuration
	}
	runtime.ReadMemStats(&ms1)
	st := p.Stats()
	values := float64(st.Updates - before.Updates)
	if st.UpdateErrors+st.CreateErrors+st.BadValues+st.StaleUpdates > 0 || values == 0 {
		b.Fatalf("stats %+v", st)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/values, "ns/value")
	b.ReportMetric(float64(handOver.Nanoseconds())/values, "handover-ns/value")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/values, "allocs/value")
}

// BenchmarkPersist10k: 10,000 LPARs × 50 metrics (500,000 host files,
// plus 50 cluster and 50 root summary files) through rrdstore.Store.
func BenchmarkPersist10k(b *testing.B) {
	s, err := rrdstore.OpenStore(rrdstore.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	benchPersist(b, fleetSnapshot(20, 500, 50), s)
}

// BenchmarkPersistStep10k is the persister's own share: the same fleet
// handed to a Writer that only counts.
func BenchmarkPersistStep10k(b *testing.B) {
	b.ReportAllocs()
	benchPersist(b, fleetSnapshot(20, 500, 50), nopWriter{})
}
