package cluster

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func TestHeartbeatAndLocation(t *testing.T) {
	uintMD := xdr.Metadata{Type: "uint32", Slope: xdr.SlopeUnspecified, TMax: 20}
	strMD := xdr.Metadata{Type: "string", Units: "(x,y,z)", Slope: xdr.SlopeUnspecified, TMax: 1200}
	for _, tc := range []struct {
		what     string
		msgs     []*xdr.Message
		started  int64
		location string
	}{
		{"nothing", nil, 0, "unspecified"},
		{"uint heartbeat", []*xdr.Message{
			metadataMsg("x", "heartbeat", false, uintMD),
			valueMsg("x", "heartbeat", false, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1795303137}),
		}, 1795303137, "unspecified"},
		{"any case, no metadata", []*xdr.Message{
			valueMsg("x", "HeartBeat", false, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 42}),
		}, 42, "unspecified"},
		{"gmetric string heartbeat is parsed (Q5)", []*xdr.Message{
			metadataMsg("x", "heartbeat", false, uintMD),
			valueMsg("x", "heartbeat", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: " 1795000000"}),
		}, 1795000000, "unspecified"},
		{"string heartbeat that is no number", []*xdr.Message{
			valueMsg("x", "heartbeat", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: "soon"}),
		}, 0, "unspecified"},
		{"double heartbeat", []*xdr.Message{
			valueMsg("x", "heartbeat", false, xdr.IDDouble, xdr.Value{Fmt: "%f", F64: 1e9 + 0.7}),
		}, 1e9, "unspecified"},
		{"location", []*xdr.Message{
			metadataMsg("x", "location", false, strMD),
			valueMsg("x", "location", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: "8231-E2D_06AB35T"}),
		}, 0, "8231-E2D_06AB35T"},
		{"location, latest wins, cut at NUL", []*xdr.Message{
			valueMsg("x", "Location", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: "old"}),
			valueMsg("x", "LOCATION", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: "1,2,3\x00junk"}),
		}, 0, "1,2,3"},
		{"numeric location prints its VAL", []*xdr.Message{
			valueMsg("x", "location", false, xdr.IDUInt, xdr.Value{Fmt: "rack %u", U: 7}),
		}, 0, "rack 7"},
	} {
		s := New(testOptions())
		apply(t, s, metadataMsg("x", "load_one", false, floatMD(70, 0)), localhost, t0)
		apply(t, s, valueMsg("x", "load_one", false, xdr.IDFloat, xdr.Value{Fmt: "%.2f", F32: 0.5}), localhost, t0)
		for _, m := range tc.msgs {
			apply(t, s, m, localhost, t0)
		}
		h := parse(t, s, t0).Host("localhost")
		if h.GmondStarted != tc.started || h.Location != tc.location {
			t.Errorf("%s: GMOND_STARTED %d LOCATION %q, want %d %q", tc.what, h.GmondStarted, h.Location, tc.started, tc.location)
		}
		if got := metricNames(h); got != "load_one" {
			t.Errorf("%s: metrics %q, want only load_one (heartbeat and location are never listed)", tc.what, got)
		}
	}
}

func TestLimits(t *testing.T) {
	o := testOptions()
	o.MaxHosts, o.MaxMetricsPerHost, o.MaxNameLen = 2, 3, 16
	s := New(o)
	val := xdr.Value{Fmt: "%u", U: 1}
	for i, tc := range []struct {
		host, name string
		want       Drop
	}{
		{"10.0.0.1:a", "m1", DropNone},
		{"10.0.0.2:b", "m1", DropNone},
		{"10.0.0.3:c", "m1", DropTooManyHosts},
		{"10.0.0.1:a", "m2", DropNone},
		{"10.0.0.1:a", "m3", DropNone},
		{"10.0.0.1:a", "m4", DropTooManyMetrics},
		{"10.0.0.1:a", "m1", DropNone}, // known metrics still update
		{"10.0.0.1:a", strings.Repeat("n", 17), DropNameTooLong},
		{"10.0.0.1:" + strings.Repeat("h", 17), "m1", DropNameTooLong},
		{strings.Repeat("1", 17) + ":h", "m1", DropNameTooLong},
		{"10.0.0.4:d", strings.Repeat("n", 4096), DropNameTooLong},
	} {
		r := s.Apply(valueMsg(tc.host, tc.name, true, xdr.IDUInt, val), localhost, t0)
		if r.Dropped != tc.want {
			t.Errorf("#%d %s/%.20s: %v, want %v", i, tc.host, tc.name, r.Dropped, tc.want)
		}
	}
	st := s.Stats()
	if st.Hosts != 2 || st.Metrics != 4 || st.Values != 5 || st.Dropped[DropTooManyHosts] != 1 ||
		st.Dropped[DropTooManyMetrics] != 1 || st.Dropped[DropNameTooLong] != 4 {
		t.Errorf("stats %+v", st)
	}
	big := xdr.Metadata{Type: "string", Extra: []xdr.Extra{{Name: "DESC", Data: strings.Repeat("d", xdr.MaxPacket)}}}
	if r := s.Apply(metadataMsg("10.0.0.1:a", "m1", true, big), localhost, t0); r.Dropped != DropOversize {
		t.Errorf("oversize metadata: %v", r.Dropped)
	}
	if r := s.Apply(&xdr.Message{ID: 7}, localhost, t0); r.Dropped != DropUnknownID {
		t.Errorf("unknown id: %v", r.Dropped)
	}
	if r := s.Apply(valueMsg("x", "m", false, xdr.IDUInt, val), netip.Addr{}, t0); r.Dropped != DropBadSource {
		t.Errorf("no source: %v", r.Dropped)
	}
	if DropTooManyMetrics.String() != "too_many_metrics" || Drop(200).String() != "unknown" {
		t.Errorf("Drop.String")
	}
}

func TestStats(t *testing.T) {
	s := New(testOptions())
	apply(t, s, metadataMsg("x", "m", false, floatMD(60, 0)), localhost, t0)
	apply(t, s, valueMsg("x", "m", false, xdr.IDFloat, xdr.Value{Fmt: "%.1f"}), localhost, t0)
	apply(t, s, valueMsg("x", "heartbeat", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), localhost, t0)
	s.Apply(metadataMsg("bad", "m", true, floatMD(60, 0)), localhost, t0)
	st := s.Stats()
	want := Stats{Metadata: 1, Values: 2, Hosts: 1, Metrics: 2}
	want.Dropped[DropBadSpoof] = 1
	if st != want {
		t.Errorf("Stats() = %+v, want %+v", st, want)
	}
}

// TestValueUpdateAllocs: updating a known metric copies nothing, whatever
// the value, as long as its VAL fits the stored buffer.
func TestValueUpdateAllocs(t *testing.T) {
	s := New(testOptions())
	md := metadataMsg("10.0.0.1:lpar", "cpu_user", true, floatMD(90, 0, xdr.Extra{Name: "GROUP", Data: "cpu"}))
	apply(t, s, md, localhost, t0)
	v := valueMsg("10.0.0.1:lpar", "cpu_user", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f"})
	apply(t, s, v, localhost, t0)
	plain := valueMsg("vm", "a:b", false, xdr.IDDouble, xdr.Value{Fmt: "%.3f"})
	apply(t, s, plain, localhost, t0)
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		i++
		v.Value.F32 = float32(i) / 7
		plain.Value.F64 = float64(i) * 1.5
		s.Apply(v, localhost, t0.Add(time.Duration(i)))
		s.Apply(plain, localhost, t0.Add(time.Duration(i)))
		s.Apply(md, localhost, t0.Add(time.Duration(i))) // same metadata again
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per update, want 0", allocs)
	}
}
