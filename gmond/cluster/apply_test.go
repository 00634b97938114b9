package cluster

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// parse dumps s at now and parses the document.
func parse(t *testing.T, s *State, now time.Time) *stockganglia.Cluster {
	t.Helper()
	doc := dump(t, s, ClusterInfo{Name: "test"}, now)
	checkWellFormed(t, doc)
	d, err := stockganglia.ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &d.Clusters[0]
}

func sec(n float64) time.Duration { return time.Duration(n * float64(time.Second)) }

func TestTimesAndMaxima(t *testing.T) {
	o := testOptions()
	o.HostTMax, o.HostDMax = 30, 600
	s := New(o)
	apply(t, s, metadataMsg("x", "cpu", false, floatMD(90, 3600)), localhost, t0)
	apply(t, s, valueMsg("x", "cpu", false, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 6.5}), localhost, t0.Add(sec(0.9)))
	apply(t, s, metadataMsg("x", "other", false, floatMD(5, 0)), localhost, t0.Add(sec(5.5)))

	for _, tc := range []struct {
		at              time.Duration
		hostTN, metTN   int64
		reported, local int64
	}{
		{sec(5.5), 0, 4, t0.Unix() + 5, t0.Unix() + 5},
		{sec(6.49), 0, 5, t0.Unix() + 5, t0.Unix() + 6},
		{sec(14.4), 8, 13, t0.Unix() + 5, t0.Unix() + 14},
	} {
		c := parse(t, s, t0.Add(tc.at))
		h := c.Host("localhost")
		m := h.Metric("cpu")
		if c.LocalTime != tc.local || h.Reported != tc.reported || h.TN != tc.hostTN || m.TN != tc.metTN {
			t.Errorf("at +%v: LOCALTIME %d REPORTED %d TN %d metric TN %d, want %d %d %d %d", tc.at,
				c.LocalTime, h.Reported, h.TN, m.TN, tc.local, tc.reported, tc.hostTN, tc.metTN)
		}
		if h.TMAX != 30 || h.DMAX != 600 || m.TMAX != 90 || m.DMAX != 3600 {
			t.Errorf("TMAX/DMAX host %d/%d metric %d/%d, want 30/600 90/3600", h.TMAX, h.DMAX, m.TMAX, m.DMAX)
		}
		if h.Metric("other") != nil {
			t.Errorf("metric with metadata but no value is listed")
		}
	}
}

func TestHostExpiry(t *testing.T) {
	for _, tc := range []struct {
		dmax  uint32
		after time.Duration
		gone  bool
	}{
		{100, sec(100), false}, // stock: now - last > dmax, strictly
		{100, sec(100) + 1, true},
		{0, 1000 * time.Hour, false}, // host_dmax 0: never
	} {
		o := testOptions()
		o.HostDMax = tc.dmax
		s := New(o)
		apply(t, s, metadataMsg("x", "m", false, floatMD(60, 0)), localhost, t0.Add(-time.Hour))
		apply(t, s, valueMsg("x", "m", false, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 1}), localhost, t0)
		hosts, metrics := s.Expire(t0.Add(tc.after))
		if gone := hosts == 1; gone != tc.gone || metrics != 0 {
			t.Errorf("dmax %d after %v: removed %d hosts %d metrics, want host gone=%v", tc.dmax, tc.after, hosts, metrics, tc.gone)
		}
		if st := s.Stats(); (st.Hosts == 0) != tc.gone || (st.Metrics == 0) != tc.gone {
			t.Errorf("dmax %d after %v: stats %+v", tc.dmax, tc.after, st)
		}
	}
}

// TestMetricExpiry: a metric's age counts from the later of its metadata
// and its value (Q6), and only metadata dmax > 0 expires it.
func TestMetricExpiry(t *testing.T) {
	s := New(testOptions())
	apply(t, s, metadataMsg("x", "fresh_value", false, floatMD(60, 60)), localhost, t0)
	apply(t, s, metadataMsg("x", "stale", false, floatMD(60, 60)), localhost, t0)
	apply(t, s, metadataMsg("x", "forever", false, floatMD(60, 0)), localhost, t0)
	for _, name := range []string{"fresh_value", "stale", "forever"} {
		apply(t, s, valueMsg("x", name, false, xdr.IDFloat, xdr.Value{Fmt: "%.0f", F32: 1}), localhost, t0)
	}
	apply(t, s, valueMsg("x", "fresh_value", false, xdr.IDFloat, xdr.Value{Fmt: "%.0f", F32: 2}), localhost, t0.Add(sec(50)))

	if h, m := s.Expire(t0.Add(sec(60))); h != 0 || m != 0 {
		t.Fatalf("at +60s removed %d hosts %d metrics, want none (age must exceed dmax)", h, m)
	}
	if h, m := s.Expire(t0.Add(sec(61))); h != 0 || m != 1 {
		t.Fatalf("at +61s removed %d hosts %d metrics, want the stale metric", h, m)
	}
	c := parse(t, s, t0.Add(sec(61)))
	got := metricNames(c.Host("localhost"))
	if got != "forever fresh_value" {
		t.Errorf("after expiry: metrics %q, want forever and fresh_value (stock would drop fresh_value too: Q6)", got)
	}
	if _, m := s.Expire(t0.Add(sec(111))); m != 1 {
		t.Errorf("at +111s removed %d metrics, want fresh_value", m)
	}
	if st := s.Stats(); st.Metrics != 1 {
		t.Errorf("Stats().Metrics = %d, want 1", st.Metrics)
	}
}

func metricNames(h *stockganglia.Host) string {
	var names []string
	for _, m := range h.Metrics {
		names = append(names, m.Name)
	}
	return strings.Join(names, " ")
}

func TestSpoofParsing(t *testing.T) {
	for _, tc := range []struct {
		host      string
		drop      bool
		key, name string
	}{
		{"10.0.0.5:web5", false, "10.0.0.5", "web5"},
		{"a:b:c", false, "a", "b:c"},                 // first ':' splits
		{":a:b", false, ":a", "b"},                   // ...that is not the first character
		{"a::", false, "a", ":"},                     //
		{"lpar01:lpar01", false, "lpar01", "lpar01"}, // override_hostname without override_ip
		{":x", true, "", ""},                         // no ':' after the first character
		{"x:", true, "", ""},                         // empty name
		{"::", true, "", ""},                         // empty name
		{"nocolon", true, "", ""},
		{"", true, "", ""},
		{":", true, "", ""},
	} {
		s := New(testOptions())
		r := s.Apply(metadataMsg(tc.host, "m", true, floatMD(60, 0)), localhost, t0)
		if tc.drop {
			if r.Dropped != DropBadSpoof || s.Stats().Dropped[DropBadSpoof] != 1 || s.Stats().Hosts != 0 {
				t.Errorf("spoof %q: %+v, want dropped as bad_spoof", tc.host, r)
			}
			continue
		}
		if r.Dropped != DropNone || r.Key != tc.key || r.Host != tc.name || !r.NewHost {
			t.Errorf("spoof %q: key %q name %q (%v), want %q %q", tc.host, r.Key, r.Host, r.Dropped, tc.key, tc.name)
		}
	}
}

func TestMetricNames(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoof bool
		want  string
	}{
		{"disk:sda:util", false, "disk_sda_util"}, // every ':' → '_' (Q2)
		{"a-b.c d/\xe9", false, "a-b.c d/é"},      // nothing else changes (the broken rule); bytes are Latin-1
		{"X:Y", true, "X"},                        // spoofed: the part before ':' is shown
		{"X:Y:Z", true, "X"},                      //
		{":x", true, ":x"},                        // ...but not a leading ':'
		{"x:", true, "x"},                         //
		{"plain", true, "plain"},                  //
	} {
		s := New(testOptions())
		host := "x"
		if tc.spoof {
			host = "10.0.0.9:h9"
		}
		apply(t, s, metadataMsg(host, tc.name, tc.spoof, floatMD(60, 0)), localhost, t0)
		r := apply(t, s, valueMsg(host, tc.name, tc.spoof, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 1}), localhost, t0)
		if r.NeedMetadata {
			t.Errorf("%q: value did not find the metadata stored under the same name", tc.name)
		}
		c := parse(t, s, t0)
		if got := metricNames(&c.Hosts[0]); got != tc.want {
			t.Errorf("name %q spoof %v: NAME %q, want %q", tc.name, tc.spoof, got, tc.want)
		}
	}
}

// TestSpoofedNamesKeepTheirKey: "X:a" and "X:b" are two stored metrics that
// both print as X, as in stock.
func TestSpoofedNamesKeepTheirKey(t *testing.T) {
	s := New(testOptions())
	for i, name := range []string{"X:a", "X:b"} {
		apply(t, s, metadataMsg("1.2.3.4:h", name, true, floatMD(60, 0)), localhost, t0)
		apply(t, s, valueMsg("1.2.3.4:h", name, true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: uint32(i)}), localhost, t0)
	}
	if got := metricNames(&parse(t, s, t0).Hosts[0]); got != "X X" {
		t.Errorf("metrics %q, want X X", got)
	}
}

func TestNeedMetadata(t *testing.T) {
	s := New(testOptions())
	r := apply(t, s, valueMsg("vm", "orphan", false, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1}), localhost, t0)
	want := xdr.MetricID{Host: "localhost", Name: "orphan"}
	if !r.NeedMetadata || r.Request != want {
		t.Errorf("orphan value: NeedMetadata %v Request %+v, want %+v (§1.7 observed)", r.NeedMetadata, r.Request, want)
	}
	r = apply(t, s, valueMsg("10.9.9.9:spoofy", "orphan2", true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1}), localhost, t0)
	want = xdr.MetricID{Host: "10.9.9.9:spoofy", Name: "orphan2", Spoof: true}
	if !r.NeedMetadata || r.Request != want {
		t.Errorf("spoofed orphan: NeedMetadata %v Request %+v, want %+v", r.NeedMetadata, r.Request, want)
	}
	r = apply(t, s, valueMsg("vm", "a:b", false, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1}), localhost, t0)
	if want := (xdr.MetricID{Host: "localhost", Name: "a_b"}); r.Request != want {
		t.Errorf("request for a:b: %+v, want the stored name %+v", r.Request, want)
	}
	if len(parse(t, s, t0).Hosts[0].Metrics) != 0 {
		t.Errorf("values without metadata are listed")
	}
	apply(t, s, metadataMsg("vm", "orphan", false, floatMD(60, 0)), localhost, t0)
	if r := apply(t, s, valueMsg("vm", "orphan", false, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 2}), localhost, t0); r.NeedMetadata {
		t.Errorf("NeedMetadata after the metadata arrived")
	}
	if got := metricNames(parse(t, s, t0).Host("localhost")); got != "orphan" {
		t.Errorf("metrics %q, want orphan once both parts are stored", got)
	}
}

func TestMetadataRequest(t *testing.T) {
	s := New(testOptions())
	r := apply(t, s, &xdr.Message{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Host: "peer", Name: "cpu:x"}}, localhost, t0)
	if !r.Requested || r.RequestedName != "cpu_x" || !r.NewHost || r.Host != "localhost" {
		t.Errorf("request: %+v", r)
	}
	r = apply(t, s, &xdr.Message{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Host: "1.1.1.1:spoofed", Name: "n:h", Spoof: true}}, localhost, t0.Add(sec(3)))
	if !r.Requested || r.RequestedName != "n:h" || r.Key != "1.1.1.1" {
		t.Errorf("spoofed request: %+v", r)
	}
	c := parse(t, s, t0.Add(sec(3)))
	if len(c.Hosts) != 2 || c.Host("spoofed").TN != 0 || c.Host("localhost").TN != 3 {
		t.Errorf("requests must create and refresh hosts like any packet: %+v", c.Hosts)
	}
	if st := s.Stats(); st.Requests != 2 || st.Metrics != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestMetadataReplacedWholesale(t *testing.T) {
	s := New(testOptions())
	apply(t, s, metadataMsg("x", "m", false, floatMD(60, 0, xdr.Extra{Name: "GROUP", Data: "a"}, xdr.Extra{Name: "TITLE", Data: "T"})), localhost, t0)
	apply(t, s, valueMsg("x", "m", false, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 1}), localhost, t0)
	md := xdr.Metadata{Type: "double", Units: "GB", Slope: xdr.SlopeDerivative, TMax: 5, DMax: 7, Extra: []xdr.Extra{{Name: "DESC", Data: "d"}}}
	apply(t, s, metadataMsg("x", "m", false, md), localhost, t0)
	m := parse(t, s, t0).Hosts[0].Metrics[0]
	if m.Type != "double" || m.Units != "GB" || m.Slope != "derivative" || m.TMAX != 5 || m.DMAX != 7 ||
		len(m.Extra) != 1 || m.Extra[0] != (stockganglia.Extra{Name: "DESC", Val: "d"}) {
		t.Errorf("after new metadata: %+v", m)
	}
}

func TestNamedOnce(t *testing.T) {
	calls := 0
	o := testOptions()
	o.Namer = func(ip netip.Addr) string {
		calls++
		return "host-" + ip.String()
	}
	s := New(o)
	for i := range 3 {
		apply(t, s, valueMsg("claims-to-be-"+string(rune('a'+i)), "m", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), otherIP, t0)
	}
	if r := apply(t, s, valueMsg("x", "m", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), netip.MustParseAddr("::ffff:192.0.2.7"), t0); r.Key != "192.0.2.7" || r.NewHost {
		t.Errorf("IPv4-mapped source: key %q new %v, want the IPv4 host", r.Key, r.NewHost)
	}
	if calls != 1 {
		t.Errorf("Namer called %d times, want once per host", calls)
	}
	if h := parse(t, s, t0).Hosts[0]; h.Name != "host-192.0.2.7" || h.IP != "192.0.2.7" {
		t.Errorf("host %q/%q", h.Name, h.IP)
	}

	o.HostnameFromPacket = true
	s = New(o)
	apply(t, s, valueMsg("lpar7", "m", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), otherIP, t0)
	apply(t, s, valueMsg("renamed", "m", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), otherIP, t0)
	if h := parse(t, s, t0).Hosts[0]; h.Name != "lpar7" {
		t.Errorf("HostnameFromPacket: NAME %q, want the first packet's lpar7", h.Name)
	}

	o.Namer = nil
	o.HostnameFromPacket = false
	s = New(o)
	apply(t, s, valueMsg("x", "m", false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), otherIP, t0)
	if h := parse(t, s, t0).Hosts[0]; h.Name != "192.0.2.7" {
		t.Errorf("no Namer: NAME %q, want the IP text", h.Name)
	}
}
