package grid

import (
	"io"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// BenchmarkHandle is the hot path: a value for a metric of a host that the
// port's cluster already holds. It must not allocate.
func BenchmarkHandle(b *testing.B) {
	setup := func(b *testing.B) *Grid {
		g := newGrid(b, testOptions())
		handle(b, g, 8301, metadata("cpu_user", "float", 90, 0, xdr.Extra{Name: "GROUP", Data: "cpu"}), addr("10.0.0.1"), t0)
		handle(b, g, 8302, spoofed(metadata("cpu_user", "float", 90, 0), "10.9.9.9:spoofy"), addr("10.0.0.2"), t0)
		return g
	}
	b.Run("value", func(b *testing.B) {
		g := setup(b)
		m, src := floatValue("cpu_user", 0), addr("10.0.0.1")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Value.F32 = float32(i%1000) / 10
			g.Handle(8301, m, src, t0.Add(time.Duration(i)))
		}
	})
	b.Run("spoofed", func(b *testing.B) {
		g := setup(b)
		m, src := spoofed(floatValue("cpu_user", 0), "10.9.9.9:spoofy"), addr("10.0.0.2")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Value.F32 = float32(i%1000) / 10
			g.Handle(8302, m, src, t0.Add(time.Duration(i)))
		}
	})
	b.Run("decode", func(b *testing.B) {
		g := setup(b)
		pkts := make([][]byte, 16)
		for i := range pkts {
			var err error
			pkts[i], err = xdr.AppendValue(nil, xdr.IDFloat, xdr.MetricID{Host: "lpar1", Name: "cpu_user"},
				&xdr.Value{Fmt: "%.1f", F32: float32(i) * 1.7})
			if err != nil {
				b.Fatal(err)
			}
		}
		var m xdr.Message
		src := addr("10.0.0.1")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := xdr.DecodeInto(&m, pkts[i%len(pkts)]); err != nil {
				b.Fatal(err)
			}
			g.Handle(8301, &m, src, t0.Add(time.Duration(i)))
		}
	})
	b.Run("parallel", func(b *testing.B) {
		g := newGrid(b, testOptions())
		const hosts = 64
		for h := range hosts {
			handle(b, g, 8301+h%3, metadata("cpu_user", "float", 90, 0), hostAddr(h), t0)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			m := floatValue("cpu_user", 1)
			for i := 0; pb.Next(); i++ {
				h := i % hosts
				g.Handle(8301+h%3, m, hostAddr(h), t0.Add(time.Duration(i)))
			}
		})
	})
}

func hostAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
}

// bigGrid is 10,000 hosts with 50 metrics each over three clusters, shaped
// like gmond's own metrics: float values, three extra elements.
func bigGrid(b *testing.B) *Grid {
	o := testOptions()
	o.Namer = nil
	g := newGrid(b, o)
	var names [50]string
	for j := range names {
		names[j] = "metric_" + strconv.Itoa(j)
	}
	m := floatValue("", 0)
	for i := range 10000 {
		src, port := hostAddr(i), 8301+i%3
		for j, name := range names {
			md := metadata(name, "float", 90, 0, xdr.Extra{Name: "TITLE", Data: "Metric " + name},
				xdr.Extra{Name: "DESC", Data: "A benchmark metric"}, xdr.Extra{Name: "GROUP", Data: "bench"})
			handle(b, g, port, md, src, t0)
			m.Name, m.Value.F32 = name, float32(i+j)/3
			handle(b, g, port, m, src, t0)
		}
	}
	return g
}

// BenchmarkSnapshot10k builds the view of 10,000 hosts × 50 metrics (what
// every XML client and the persister share once per SnapshotMaxAge), and
// writes it as the xml_port document.
func BenchmarkSnapshot10k(b *testing.B) {
	g := bigGrid(b)
	b.Run("build", func(b *testing.B) {
		g.Snapshot(t0) // the first build also fills the memos; measure the steady state
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			g.Snapshot(t0.Add(time.Duration(i+1) * time.Second))
		}
	})
	b.Run("cached", func(b *testing.B) {
		g.opts.SnapshotMaxAge = time.Hour
		defer func() { g.opts.SnapshotMaxAge = 0 }()
		b.ReportAllocs()
		for b.Loop() {
			g.Snapshot(t0.Add(time.Hour))
		}
	})
	b.Run("writefull", func(b *testing.B) {
		now := t0.Add(5 * time.Second)
		s := g.Snapshot(now)
		b.ReportAllocs()
		for b.Loop() {
			if err := xmlout.WriteFull(io.Discard, s, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}
