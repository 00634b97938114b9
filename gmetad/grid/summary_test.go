package grid

import (
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// gmetric sends metric name of type typ with value val for spoofed host
// "ip:name", as gmetric -S does: metadata, then a string value.
func gmetric(t testing.TB, g *Grid, port int, host, name, typ, val string, dmax uint32, extra ...xdr.Extra) {
	t.Helper()
	src := addr("127.0.0.1")
	handle(t, g, port, spoofed(metadata(name, typ, 60, dmax, extra...), host), src, at(0).Add(0))
	handle(t, g, port, spoofed(gmetricValue(name, val), host), src, at(0))
}

// gmetricAt is gmetric at a given time.
func gmetricAt(t testing.TB, g *Grid, port int, host, name, typ, val string, s float64, extra ...xdr.Extra) {
	t.Helper()
	src := addr("127.0.0.1")
	handle(t, g, port, spoofed(metadata(name, typ, 60, 0, extra...), host), src, at(s))
	handle(t, g, port, spoofed(gmetricValue(name, val), host), src, at(s))
}

// TestSummaries: SUM/NUM by kind, sticky precision, EXTRA_DATA, the
// metrics that are never summed, down hosts, zero entries, unsummarized
// prefixes, and the root as the sum of the clusters.
func TestSummaries(t *testing.T) {
	o := testOptions()
	o.Unsummarized = []string{"disk_"}
	o.SkipSflowVM = true
	g := newGrid(t, o)
	group := xdr.Extra{Name: "GROUP", Data: "load"}
	for i, h := range []struct{ host, procs, mem, load string }{
		{"10.1.0.1:h1", "3", "1000", "0.50"},
		{"10.1.0.2:h2", "4", "2000", "1.25"},
		{"10.1.0.3:h3", "5", "4000", "2"},
	} {
		s := float64(i) * 20 // h1 at 0, h2 at 20, h3 at 40
		gmetricAt(t, g, 8301, h.host, "procs", "int32", h.procs, s)
		gmetricAt(t, g, 8301, h.host, "mem", "uint32", h.mem, s)
		gmetricAt(t, g, 8301, h.host, "load", "float", h.load, s, group, xdr.Extra{Name: "SPOOF_HOST", Data: h.host},
			xdr.Extra{Name: "TITLE", Data: "Load"})
		gmetricAt(t, g, 8301, h.host, "os", "string", "Linux", s)
		gmetricAt(t, g, 8301, h.host, "boot", "timestamp", "1795300000", s)
		gmetricAt(t, g, 8301, h.host, "disk_free", "double", "10", s)
		gmetricAt(t, g, 8301, h.host, "sflow.vcpu", "double", "10", s)
		gmetricAt(t, g, 8301, h.host, "sflow.cpu", "double", "10", s)
	}
	gmetricAt(t, g, 8301, "10.1.0.2:h2", "load", "float", "1.25", 20, xdr.Extra{Name: "group", Data: "LOAD"})
	gmetricAt(t, g, 8301, "10.1.0.1:h1", "big", "double", "1.5e10", 0)
	gmetricAt(t, g, 8302, "10.2.0.1:h4", "procs", "int8", "-2", 0)

	s := g.Snapshot(at(50))
	a, b := &source(t, s, clA).Summary, &source(t, s, clB).Summary
	checkSum(t, a, "procs", "12", 3)
	checkSum(t, a, "mem", "7000", 3)
	checkSum(t, a, "load", "3.75", 3) // precision 2 from "0.50", the first VAL seen
	checkSum(t, a, "big", "15000000000.0000", 1)
	checkSum(t, a, "sflow.cpu", "30", 3) // precision 0 from "10"
	for _, name := range []string{"os", "boot"} {
		if sumOf(a, name) != nil {
			t.Errorf("%s is summarised", name)
		}
	}
	// Stock 3.7.2 lists unsummarized metrics in the XML and only writes
	// no summary RRD for them.
	checkSum(t, a, "disk_free", "30", 3)
	checkSum(t, a, "sflow.vcpu", "30", 3)
	for name, want := range map[string]bool{"disk_free": true, "disk_freex": true, "sflow.vcpu": true, "sflow.cpu": false, "load": false, "vcpu": false} {
		if got := g.Unsummarized(name); got != want {
			t.Errorf("Unsummarized(%q) = %v", name, got)
		}
	}
	if m := sumOf(a, "procs"); m.Kind != xmlout.Int || m.Units != "u" || m.Slope != "both" {
		t.Errorf("procs entry %+v", m)
	}
	if m := sumOf(a, "mem"); m.Kind != xmlout.UInt {
		t.Errorf("mem entry %+v", m)
	}
	wantExtra := []xmlout.Extra{{Name: "TITLE", Val: "Load"}, {Name: "GROUP", Val: "load"}}
	if m := sumOf(a, "load"); m.Kind != xmlout.Float || m.Precision != 2 || !equalExtras(m.Extra, wantExtra) {
		t.Errorf("load entry %+v", m)
	}
	if a.Up != 3 || a.Down != 0 || s.Summary.Up != 4 {
		t.Errorf("HOSTS %+v root %d", a, s.Summary.Up)
	}
	checkSum(t, &s.Summary, "procs", "10", 4)
	if m := sumOf(&s.Summary, "load"); m == nil || len(m.Extra) != 0 || m.Precision != 2 {
		t.Errorf("root load %+v: the root prints no EXTRA_DATA", m)
	}

	// At 130 s h1 (heard at 0) is down: 130 ≥ 4 × 20; h4 too, so its
	// cluster keeps zero entries; precision stays sticky.
	gmetricAt(t, g, 8301, "10.1.0.2:h2", "load", "float", "1.250", 100)
	gmetricAt(t, g, 8301, "10.1.0.3:h3", "procs", "int32", "5", 100)
	s = g.Snapshot(at(130))
	a, b = &source(t, s, clA).Summary, &source(t, s, clB).Summary
	checkSum(t, a, "procs", "9", 2)
	checkSum(t, a, "load", "3.25", 2)
	checkSum(t, a, "big", "0.0000", 0)
	checkSum(t, b, "procs", "0", 0)
	if a.Up != 2 || a.Down != 1 || b.Up != 0 || b.Down != 1 || s.Summary.Up != 2 || s.Summary.Down != 2 {
		t.Errorf("HOSTS A %d/%d B %d/%d root %d/%d", a.Up, a.Down, b.Up, b.Down, s.Summary.Up, s.Summary.Down)
	}
	checkSum(t, &s.Summary, "procs", "9", 2)
}

// TestRootSummarized: summarized_metrics limits the root summary only.
func TestRootSummarized(t *testing.T) {
	o := testOptions()
	o.Summarized = []string{"load"}
	g := newGrid(t, o)
	gmetric(t, g, 8301, "10.1.0.1:h1", "load", "float", "1.5", 0)
	gmetric(t, g, 8301, "10.1.0.1:h1", "procs", "int32", "3", 0)
	gmetric(t, g, 8302, "10.1.0.2:h2", "load", "float", "2.5", 0)
	s := g.Snapshot(at(1))
	checkSum(t, &source(t, s, clA).Summary, "procs", "3", 1)
	checkSum(t, &s.Summary, "load", "4.0", 2)
	if sumOf(&s.Summary, "procs") != nil || s.Summary.Up != 2 {
		t.Errorf("root %+v", s.Summary)
	}
}

// TestSummaryExpiredMetric: a metric past its DMAX is not summed (nor
// printed).
func TestSummaryExpiredMetric(t *testing.T) {
	g := newGrid(t, testOptions())
	gmetric(t, g, 8301, "10.1.0.1:h1", "short", "float", "1.5", 10)
	gmetricAt(t, g, 8301, "10.1.0.1:h1", "long", "float", "1.5", 15)
	checkSum(t, &source(t, g.Snapshot(at(5)), clA).Summary, "short", "1.5", 1)
	s := g.Snapshot(at(20))
	checkSum(t, &source(t, s, clA).Summary, "long", "1.5", 1)
	checkSum(t, &source(t, s, clA).Summary, "short", "0.0", 0)
}

// TestHostUpRule: TN < 4 × TMAX; with host_tmax 0, gmetad's 60 s rule.
func TestHostUpRule(t *testing.T) {
	for _, tc := range []struct {
		tmax uint32
		tn   float64
		up   bool
	}{
		{20, 79.9, true}, {20, 80, false}, {0, 59.9, true}, {0, 60, false}, {0, -59, true}, {1, 3, true},
	} {
		if got := hostUp(at(tc.tn), at(0), tc.tmax); got != tc.up {
			t.Errorf("tmax %d tn %v: up %v, want %v", tc.tmax, tc.tn, got, tc.up)
		}
	}
}

func equalExtras(a, b []xmlout.Extra) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
