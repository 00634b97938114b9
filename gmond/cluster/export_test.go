package cluster

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// roundTrip exports s, goes through JSON and imports into a fresh State.
func roundTrip(t *testing.T, s *State, now time.Time) (*State, []byte) {
	t.Helper()
	b, err := json.Marshal(s.Export())
	if err != nil {
		t.Fatal(err)
	}
	var back []HostDump
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	r := New(s.Options())
	if n := r.Import(back, now); n != len(back) {
		t.Errorf("Import: %d of %d hosts", n, len(back))
	}
	return r, b
}

// TestExportImportXML: Export → JSON → Import gives the same XML, for the
// interop sequence (every value kind, extras, heartbeat, location,
// spoofed and odd names) and for the hostile state (bytes that are not
// UTF-8, controls, markup).
func TestExportImportXML(t *testing.T) {
	interop := New(testOptions())
	for i, p := range interopPackets() {
		apply(t, interop, p.msg, p.src, t0.Add(sec(float64(i)/10)))
	}
	for _, tc := range []struct {
		name string
		s    *State
	}{{"interop", interop}, {"hostile", hostileState(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			now := t0.Add(sec(30))
			r, js := roundTrip(t, tc.s, now)
			want, got := dump(t, tc.s, interopCluster, now), dump(t, r, interopCluster, now)
			if !bytes.Equal(want, got) {
				t.Errorf("XML after the round trip differs\n want %s\n got  %s\n json %s", body(want), body(got), js)
			}
			if a, b := tc.s.Stats(), r.Stats(); a.Hosts != b.Hosts || a.Metrics != b.Metrics {
				t.Errorf("stats %+v, after import %+v", a, b)
			}
			if !reflect.DeepEqual(tc.s.Export(), r.Export()) {
				t.Errorf("a second Export differs")
			}
		})
	}
}

// TestImportKeepsBehaviour: after an import, a value for a metric that had
// metadata needs none, one that had none still asks for it, and a
// heartbeat-only host keeps GMOND_STARTED.
func TestImportKeepsBehaviour(t *testing.T) {
	s := New(testOptions())
	loadHost(t, s, lpar, 0)
	apply(t, s, valueMsg(lpar, "orphan", true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 3}), localhost, t0)
	r, _ := roundTrip(t, s, t0.Add(sec(5)))
	if res := apply(t, r, valueMsg(lpar, "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 7}), localhost, t0.Add(sec(6))); res.NeedMetadata || res.NewHost {
		t.Errorf("known metric after import: %+v", res)
	}
	if res := apply(t, r, valueMsg(lpar, "orphan", true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 4}), localhost, t0.Add(sec(6))); !res.NeedMetadata {
		t.Errorf("orphan after import: %+v, want a metadata request", res)
	}
	h, ok := r.Lookup("lpar1")
	if !ok || h.GmondStarted != 1000 || h.Location != "rack1" || !h.Reported.Equal(t0.Add(sec(6))) {
		t.Errorf("imported host: %+v", h)
	}
}

// TestImportRules: expired hosts are left out, future times are clamped,
// and an import over an existing host merges (newer wins).
func TestImportRules(t *testing.T) {
	o := testOptions()
	o.HostDMax = 100
	now := t0.Add(sec(1000))
	dumps := []HostDump{
		{Key: "10.0.0.1", Name: "old", LastHeard: t0},                    // silent 1000 s > dmax
		{Key: "10.0.0.2", Name: "future", LastHeard: now.Add(time.Hour)}, // clock went back
		{Key: "", Name: "nokey", LastHeard: now},
		{Key: "10.0.0.3", LastHeard: now, Metrics: []MetricDump{{Name: "m", Value: &ValueDump{ID: xdr.IDString, VAL: "v", Time: now}}}},
	}
	s := New(o)
	apply(t, s, valueMsg("10.0.0.3:kept-name", "m", true, xdr.IDString, xdr.Value{Fmt: "%s", Str: "newer"}), localhost, now.Add(sec(1)))
	if n := s.Import(dumps, now); n != 2 {
		t.Errorf("imported %d hosts, want 2", n)
	}
	if got := s.Keys(); !slices.Equal(got, []string{"10.0.0.2", "10.0.0.3"}) {
		t.Errorf("keys %q", got)
	}
	if tm, ok := s.LastHeard("10.0.0.2"); !ok || !tm.Equal(now) {
		t.Errorf("future host heard %v %v, want clamped to now", tm, ok)
	}
	d := s.Export()[1]
	if d.Name != "kept-name" || d.Metrics[0].Value.VAL != "newer" {
		t.Errorf("merged host %+v %+v", d, d.Metrics[0].Value)
	}
	if _, ok := s.LastHeard("10.0.0.9"); ok {
		t.Errorf("LastHeard of an unknown key")
	}
}

// TestRekey: a record taken under one key is put back under another.
func TestRekey(t *testing.T) {
	a, b := New(testOptions()), New(testOptions())
	loadHost(t, a, lpar, 0)
	h, _ := a.Take("10.0.0.1")
	h.Rekey("10.0.0.99")
	b.Put(h)
	v, ok := b.Lookup("lpar1")
	if !ok || v.Key != "10.0.0.99" || len(v.Metrics) != 1 {
		t.Errorf("rekeyed host %+v", v)
	}
	if res := apply(t, b, valueMsg("10.0.0.99:lpar1", "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 3}), localhost, t0); res.NewHost || res.NeedMetadata {
		t.Errorf("packet under the new key: %+v", res)
	}
}

// TestDumpJSON: the JSON keeps non-UTF-8 bytes and non-finite numbers.
func TestDumpJSON(t *testing.T) {
	d := HostDump{Key: "10.0.0.1", Name: "h\xe9\xff", LastHeard: t0, Metrics: []MetricDump{
		{Name: "nan", Value: &ValueDump{ID: xdr.IDDouble, VAL: "nan", Number: math.NaN(), Numeric: true, Time: t0}},
		{Name: "inf", Value: &ValueDump{ID: xdr.IDDouble, VAL: "inf", Number: math.Inf(-1), Numeric: true, Time: t0}},
		{Name: "m", Meta: &MetadataDump{Type: "float", Units: "\x80", Extra: []xdr.Extra{{Name: "GROUP", Data: "é"}}, Time: t0}},
	}}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"name":{"base64":"aOn/"}`) || !strings.Contains(string(b), `"number":"-Inf"`) {
		t.Errorf("JSON %s", b)
	}
	var back HostDump
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Name != d.Name || back.Metrics[2].Meta.Units != "\x80" || back.Metrics[2].Meta.Extra[0].Data != "é" ||
		!math.IsNaN(back.Metrics[0].Value.Number) || !math.IsInf(back.Metrics[1].Value.Number, -1) || !back.LastHeard.Equal(t0) {
		t.Errorf("back %+v", back)
	}
	for _, bad := range []string{`{"key":{"base64":"!"}}`, `{"key":"k","metrics":[{"name":"m","value":{"number":"x"}}]}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestVisit: Visit shows what Hosts shows.
func TestVisit(t *testing.T) {
	s := New(testOptions())
	for i, p := range interopPackets() {
		apply(t, s, p.msg, p.src, t0.Add(sec(float64(i)/10)))
	}
	var got []HostView
	s.Visit(func(v *HostView) bool {
		c := *v
		c.Metrics = slices.Clone(v.Metrics)
		got = append(got, c)
		return true
	})
	if want := s.Hosts(); !reflect.DeepEqual(got, want) || len(want) < 3 {
		t.Errorf("Visit\n got  %+v\n want %+v", got, want)
	}
	n := 0
	s.Visit(func(*HostView) bool { n++; return false })
	if n != 1 {
		t.Errorf("Visit went on after false: %d", n)
	}
}
