package xmlout

import (
	"fmt"
	"io"
	"testing"
)

// benchSnapshot is a fleet: clusters × hosts × metrics, names and extras
// shaped like stock gmond's (3 EXTRA_ELEMENTs per metric), summaries of 50
// metrics per cluster and for the root.
func benchSnapshot(clusters, hosts, metrics int) *Snapshot {
	names := make([]string, metrics)
	extras := make([][]Extra, metrics)
	var sum Summary
	for m := range names {
		names[m] = fmt.Sprintf("metric_%02d_bytes_in", m)
		extras[m] = []Extra{{"GROUP", "network"}, {"DESC", "Number of bytes in per second"}, {"TITLE", "Bytes Received"}}
		sum.Metrics = append(sum.Metrics, SummaryMetric{Name: names[m], Sum: 12345.678, Num: uint32(hosts),
			Kind: Float, Precision: 2, Units: "bytes/sec", Slope: "both"})
	}
	s := &Snapshot{Grid: GridInfo{Name: "Fleet", Authority: "http://ganglia.example.com/ganglia/"}, Summary: sum}
	for c := range clusters {
		src := Source{Kind: Cluster, Name: fmt.Sprintf("P770-DC1-R%02d", c), LocalTime: 1795303280, Summary: sum,
			Hosts: make([]Host, hosts)}
		for h := range src.Hosts {
			ms := make([]Metric, metrics)
			for m := range ms {
				ms[m] = Metric{Name: names[m], Val: "1234.56", Type: "float", Units: "bytes/sec", Slope: "both",
					TMax: 300, T0: ago(int64(m % 40)), Extra: extras[m]}
			}
			src.Hosts[h] = Host{Name: fmt.Sprintf("lpar%05d.example.com", c*hosts+h), IP: fmt.Sprintf("10.%d.%d.%d", c, h/256, h%256),
				Location: "8231-E2D_06AB35T", Reported: 1795303280, T0: ago(5), TMax: 20, DMax: 86400,
				GmondStarted: 1795300000, Metrics: ms}
		}
		s.Sources = append(s.Sources, src)
	}
	return s
}

// countWriter counts bytes, so the benchmark can report MB/s.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkWriteFull10k: the xml_port dump of 10,000 hosts × 50 metrics
// (20 clusters × 500 hosts).
func BenchmarkWriteFull10k(b *testing.B) {
	snap := benchSnapshot(20, 500, 50)
	var cw countWriter
	if err := WriteFull(&cw, snap, fixtureNow); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := WriteFull(io.Discard, snap, fixtureNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswerHost: ganglia-web's host view ("/<cluster>/<host>") for a
// host in the middle of a 500-host cluster of the same fleet.
func BenchmarkAnswerHost(b *testing.B) {
	snap := benchSnapshot(20, 500, 50)
	req := "/P770-DC1-R10/lpar05250.example.com\n"
	var cw countWriter
	if _, err := Answer(&cw, snap, req, fixtureNow); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Answer(io.Discard, snap, req, fixtureNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnswerRootSummary: ganglia-web's front page.
func BenchmarkAnswerRootSummary(b *testing.B) {
	snap := benchSnapshot(20, 500, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Answer(io.Discard, snap, "/?filter=summary\n", fixtureNow); err != nil {
			b.Fatal(err)
		}
	}
}

// Writing allocates nothing per host or metric: a whole dump costs the
// same as an empty one (none once the writer pool is warm).
func TestWriteFullAllocs(t *testing.T) {
	small, big := benchSnapshot(1, 1, 1), benchSnapshot(4, 250, 50)
	WriteFull(io.Discard, big, fixtureNow) // warm the buffer pool
	base := testing.AllocsPerRun(10, func() { WriteFull(io.Discard, small, fixtureNow) })
	got := testing.AllocsPerRun(10, func() { WriteFull(io.Discard, big, fixtureNow) })
	// At most one allocation whatever the size: under -race sync.Pool
	// drops puts at random, so the pooled buffer is sometimes made anew
	// (one allocation, for the small snapshot as for the big one).
	if got > 1 || base > 1 {
		t.Errorf("WriteFull of 1000 hosts × 50 metrics: %.1f allocs (1 metric: %.1f), want ≤ 1 and no growth", got, base)
	}
	ans := testing.AllocsPerRun(10, func() { Answer(io.Discard, big, "GET /*/*/metric_07_bytes_in HTTP/1.0", fixtureNow) })
	if ans > 1 {
		t.Errorf("Answer wildcard over 1000 hosts: %.1f allocs, want ≤ 1", ans)
	}
}
