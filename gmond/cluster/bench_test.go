package cluster

import (
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// BenchmarkApplyValue measures the hot path: a value for a metric the host
// already has. "decode" includes xdr.DecodeInto of the datagram, as a
// receive loop does it.
func BenchmarkApplyValue(b *testing.B) {
	const host = "lpar01.example.com:lpar01.example.com"
	setup := func(b *testing.B) *State {
		s := New(testOptions())
		apply(b, s, metadataMsg(host, "cpu_user", true, floatMD(90, 0,
			xdr.Extra{Name: "TITLE", Data: "CPU User"}, xdr.Extra{Name: "DESC", Data: "Percentage of CPU utilization"},
			xdr.Extra{Name: "GROUP", Data: "cpu"})), localhost, t0)
		return s
	}
	b.Run("same", func(b *testing.B) {
		s := setup(b)
		m := valueMsg(host, "cpu_user", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 1.5})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s.Apply(m, localhost, t0.Add(time.Duration(i)))
		}
	})
	b.Run("changing", func(b *testing.B) {
		s := setup(b)
		m := valueMsg(host, "cpu_user", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f"})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Value.F32 = float32(i%1000) / 10
			s.Apply(m, localhost, t0.Add(time.Duration(i)))
		}
	})
	b.Run("decode", func(b *testing.B) {
		s := setup(b)
		pkts := make([][]byte, 16)
		for i := range pkts {
			var err error
			pkts[i], err = xdr.AppendValue(nil, xdr.IDFloat, xdr.MetricID{Host: host, Name: "cpu_user", Spoof: true},
				&xdr.Value{Fmt: "%.1f", F32: float32(i) * 1.7})
			if err != nil {
				b.Fatal(err)
			}
		}
		var m xdr.Message
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := xdr.DecodeInto(&m, pkts[i%len(pkts)]); err != nil {
				b.Fatal(err)
			}
			s.Apply(&m, localhost, t0.Add(time.Duration(i)))
		}
	})
	b.Run("non-spoofed", func(b *testing.B) {
		s := New(testOptions())
		apply(b, s, metadataMsg("vm", "disk:sda", false, floatMD(90, 0)), localhost, t0)
		m := valueMsg("vm", "disk:sda", false, xdr.IDDouble, xdr.Value{Fmt: "%.3f"})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			m.Value.F64 = float64(i%1000) * 0.37
			s.Apply(m, localhost, t0.Add(time.Duration(i)))
		}
	})
}

// bigState is 10,000 hosts with 50 metrics each, shaped like gmond's own
// metrics: float values, three extra elements.
func bigState(b *testing.B) *State {
	o := testOptions()
	o.Tags = "collector-tag"
	s := New(o)
	var names [50]string
	for j := range names {
		names[j] = "metric_" + strconv.Itoa(j)
	}
	for i := range 10000 {
		host := "10." + strconv.Itoa(i>>8) + "." + strconv.Itoa(i&255) + ".1:lpar" + strconv.Itoa(i) + ".example.com"
		for j, name := range names {
			md := floatMD(90, 0, xdr.Extra{Name: "TITLE", Data: "Metric " + name},
				xdr.Extra{Name: "DESC", Data: "A benchmark metric"}, xdr.Extra{Name: "GROUP", Data: "bench"})
			apply(b, s, metadataMsg(host, name, true, md), localhost, t0)
			apply(b, s, valueMsg(host, name, true, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: float32(i+j) / 3}), localhost, t0)
		}
	}
	return s
}

// BenchmarkWriteXML10k dumps 10,000 hosts × 50 metrics (about 146 MB of XML).
func BenchmarkWriteXML10k(b *testing.B) {
	s := bigState(b)
	now := t0.Add(17 * time.Second)
	var cw countWriter
	if err := s.WriteXML(&cw, captureCluster, now); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.WriteXML(io.Discard, captureCluster, now); err != nil {
			b.Fatal(err)
		}
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
