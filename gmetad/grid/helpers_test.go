package grid

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// t0 is an arbitrary wall-clock origin; tests move time by hand.
var t0 = time.Unix(1795303135, 0)

func at(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// The three managed systems of the LPM tests.
var threeClusters = []ClusterSpec{
	{Name: "P550-DC1-R01", Port: 8301},
	{Name: "P770-DC1-R05", Port: 8302},
	{Name: "P780-DC2-R11", Port: 8303},
}

const (
	clA, clB, clC = "P550-DC1-R01", "P770-DC1-R05", "P780-DC2-R11"
)

// names is the reverse DNS of the tests.
var names = map[netip.Addr]string{
	netip.MustParseAddr("127.0.0.1"): "localhost",
	netip.MustParseAddr("10.0.0.1"):  "lpar1.example.com",
	netip.MustParseAddr("10.0.0.2"):  "lpar2.example.com",
	netip.MustParseAddr("10.0.0.3"):  "lpar3.example.com",
	netip.MustParseAddr("10.0.1.1"):  "lpar1.example.com", // lpar1's address after a move
}

func testNamer(ip netip.Addr) string { return names[ip] }

func testOptions() Options {
	o := DefaultOptions()
	o.GridName, o.Authority = "Test Grid", "http://test/ganglia/"
	o.SnapshotMaxAge = 0
	o.Namer = testNamer
	return o
}

// newGrid returns a grid with threeClusters.
func newGrid(t testing.TB, o Options) *Grid {
	t.Helper()
	g := New(o)
	g.SetClusters(threeClusters)
	return g
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func metadata(name, typ string, tmax, dmax uint32, extra ...xdr.Extra) *xdr.Message {
	return &xdr.Message{ID: xdr.IDMetadata, MetricID: xdr.MetricID{Host: "ignored", Name: name},
		Metadata: xdr.Metadata{Type: typ, Name: name, Units: "u", Slope: xdr.SlopeBoth, TMax: tmax, DMax: dmax, Extra: extra}}
}

// gmetricValue is a value as gmetric sends it: a string.
func gmetricValue(name, val string) *xdr.Message {
	return &xdr.Message{ID: xdr.IDString, MetricID: xdr.MetricID{Host: "ignored", Name: name}, Value: xdr.Value{Fmt: "%s", Str: val}}
}

func floatValue(name string, v float32) *xdr.Message {
	return &xdr.Message{ID: xdr.IDFloat, MetricID: xdr.MetricID{Host: "ignored", Name: name}, Value: xdr.Value{Fmt: "%.2f", F32: v}}
}

// spoofed returns m sent as "ip:name".
func spoofed(m *xdr.Message, host string) *xdr.Message {
	c := *m
	c.Host, c.Spoof = host, true
	return &c
}

// handle applies m and fails on anything but a clean apply.
func handle(t testing.TB, g *Grid, port int, m *xdr.Message, src netip.Addr, now time.Time) HandleResult {
	t.Helper()
	r := g.Handle(port, m, src, now)
	if r.Conflict || r.NoCluster || r.Dropped != 0 {
		t.Fatalf("Handle(%d, %s/%s from %v at %v): %+v", port, m.Host, m.Name, src, now.Sub(t0), r)
	}
	return r
}

// report sends metadata and a value of cpu_user and load_one from src.
func report(t testing.TB, g *Grid, port int, src netip.Addr, now time.Time, cpu, load float32) {
	t.Helper()
	handle(t, g, port, metadata("cpu_user", "float", 90, 0, xdr.Extra{Name: "GROUP", Data: "cpu"}), src, now)
	handle(t, g, port, floatValue("cpu_user", cpu), src, now)
	handle(t, g, port, metadata("load_one", "float", 70, 0, xdr.Extra{Name: "GROUP", Data: "load"}), src, now)
	handle(t, g, port, floatValue("load_one", load), src, now)
}

func source(t testing.TB, s *xmlout.Snapshot, name string) *xmlout.Source {
	t.Helper()
	for i := range s.Sources {
		if s.Sources[i].Name == name {
			return &s.Sources[i]
		}
	}
	t.Fatalf("no source %q in the snapshot", name)
	return nil
}

func hasSource(s *xmlout.Snapshot, name string) bool {
	for i := range s.Sources {
		if s.Sources[i].Name == name {
			return true
		}
	}
	return false
}

func findHost(src *xmlout.Source, name string) *xmlout.Host {
	for i := range src.Hosts {
		if src.Hosts[i].Name == name {
			return &src.Hosts[i]
		}
	}
	return nil
}

func findMetric(h *xmlout.Host, name string) *xmlout.Metric {
	for i := range h.Metrics {
		if h.Metrics[i].Name == name {
			return &h.Metrics[i]
		}
	}
	return nil
}

func sumOf(s *xmlout.Summary, name string) *xmlout.SummaryMetric {
	for i := range s.Metrics {
		if s.Metrics[i].Name == name {
			return &s.Metrics[i]
		}
	}
	return nil
}

// checkSum checks one METRICS entry as printed: SUM text and NUM.
func checkSum(t testing.TB, s *xmlout.Summary, name, sum string, num uint32) {
	t.Helper()
	m := sumOf(s, name)
	if m == nil {
		t.Errorf("no summary of %s", name)
		return
	}
	if got := xmlout.FormatSum(*m); got != sum || m.Num != num {
		t.Errorf("summary of %s: SUM %s NUM %d, want %s %d", name, got, m.Num, sum, num)
	}
}

// full is the xml_port document of s at now.
func full(t testing.TB, s *xmlout.Snapshot, now time.Time) string {
	t.Helper()
	var b bytes.Buffer
	if err := xmlout.WriteFull(&b, s, now); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if i := strings.Index(out, "]>\n"); i >= 0 {
		return out[i+3:]
	}
	return out
}
