package schedule

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// benchSched is Debian's default configuration (34 metrics in 10 groups)
// plus a group of 6 per-interface metrics: the ~40 metrics a stock agent
// sends. Send only counts bytes.
func benchSched(b *testing.B) (*Scheduler, []*fake, *int) {
	_, msgs := readCapture(b, filepath.Join("testdata", "stock_startup.hex"))
	colls := captureCollectors(b, msgs)
	netif := newFake("netif")
	for _, n := range []string{"bytes_in_eth0", "bytes_out_eth0", "pkts_in_eth0", "pkts_out_eth0", "bytes_in_eth1", "bytes_out_eth1"} {
		netif.defs = append(netif.defs, def(n, metric.Float))
		netif.set(n, 1)
	}
	colls = append(colls, netif)
	groups := append(debianGroups(), Group{Every: 40 * time.Second, Threshold: 300 * time.Second,
		Metrics: []Metric{{Match: `_eth[0-9]+$`, ValueThreshold: 4096}}})
	bytes := 0
	s, err := New(Options{Groups: groups, Collectors: colls, Host: "vm", SendMetadataInterval: time.Minute,
		Send: func(p []byte) { bytes += len(p) }}, t0)
	if err != nil {
		b.Fatal(err)
	}
	var fakes []*fake
	for _, c := range colls {
		fakes = append(fakes, c.(*fake))
	}
	return s, fakes, &bytes
}

// BenchmarkTick is the steady state: one Tick every 20 s of fake time (the
// shortest collect_every), values moving enough to cross some thresholds.
func BenchmarkTick(b *testing.B) {
	s, fakes, bytes := benchSched(b)
	now := t0
	s.Tick(now)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		now = now.Add(20 * time.Second)
		for _, f := range fakes {
			for name, v := range f.vals {
				if v.Str == "" {
					f.vals[name] = metric.Num(v.Num + float64(i%3))
				}
			}
		}
		s.Tick(now)
	}
	b.ReportMetric(float64(*bytes)/float64(b.N), "bytes/op")
}

// BenchmarkTickResend is the worst case: every group collected and sent
// with metadata (start-up, an LPM re-target).
func BenchmarkTickResend(b *testing.B) {
	s, _, bytes := benchSched(b)
	now := t0
	s.Tick(now)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		now = now.Add(time.Hour)
		s.ResendMetadata()
		s.Tick(now)
	}
	b.ReportMetric(float64(*bytes)/float64(b.N), "bytes/op")
}
