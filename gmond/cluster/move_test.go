package cluster

import (
	"net/netip"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const lpar = "10.0.0.1:lpar1"

func loadHost(t *testing.T, s *State, host string, at int) {
	t.Helper()
	now := t0.Add(sec(float64(at)))
	apply(t, s, metadataMsg(host, "cpu", true, floatMD(90, 0, xdr.Extra{Name: "GROUP", Data: "cpu"})), localhost, now)
	apply(t, s, valueMsg(host, "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 1.5}), localhost, now)
	apply(t, s, valueMsg(host, "heartbeat", true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1000}), localhost, now)
	apply(t, s, valueMsg(host, "location", true, xdr.IDString, xdr.Value{Fmt: "%s", Str: "rack1"}), localhost, now)
}

// TestTakePutKeepsMetadata: a host moved to another State keeps its
// metadata, so its next value there is listed at once, with no request.
func TestTakePutKeepsMetadata(t *testing.T) {
	a, b := New(testOptions()), New(testOptions())
	loadHost(t, a, lpar, 0)
	h, ok := a.Take("10.0.0.1")
	if !ok || h.Key() != "10.0.0.1" || h.Name() != "lpar1" {
		t.Fatalf("Take: %v %v", h, ok)
	}
	if _, ok := a.Take("10.0.0.1"); ok {
		t.Errorf("second Take found the host again")
	}
	if st := a.Stats(); st.Hosts != 0 || st.Metrics != 0 {
		t.Errorf("after Take: %+v", st)
	}
	b.Put(h)
	r := apply(t, b, valueMsg(lpar, "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 2.5}), localhost, t0.Add(sec(10)))
	if r.NeedMetadata || r.NewHost {
		t.Errorf("after Put: %+v, want the existing host with its metadata", r)
	}
	c := parse(t, b, t0.Add(sec(10)))
	if len(c.Hosts) != 1 {
		t.Fatalf("hosts: %+v", c.Hosts)
	}
	host := c.Hosts[0]
	m := host.Metric("cpu")
	if m == nil || m.Val != "2.5" || m.TMAX != 90 || len(m.Extra) != 1 || host.Location != "rack1" || host.GmondStarted != 1000 {
		t.Errorf("moved host: %+v", host)
	}
	if len(parse(t, a, t0).Hosts) != 0 {
		t.Errorf("the old cluster still lists the host")
	}
	if st := b.Stats(); st.Hosts != 1 || st.Metrics != 3 {
		t.Errorf("stats after Put: %+v", st)
	}
}

// TestPutMerges: the first packet after a move creates the host in the new
// cluster before gmetad moves the old record there; Put merges the two and
// the newer data wins.
func TestPutMerges(t *testing.T) {
	a, b := New(testOptions()), New(testOptions())
	loadHost(t, a, lpar, 0)
	apply(t, a, metadataMsg(lpar, "old_only", true, floatMD(60, 0)), localhost, t0)
	apply(t, a, valueMsg(lpar, "old_only", true, xdr.IDUInt, xdr.Value{Fmt: "%u", U: 1}), localhost, t0)
	r := apply(t, b, valueMsg(lpar, "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 9.5}), localhost, t0.Add(sec(20)))
	if !r.NewHost || !r.NeedMetadata {
		t.Fatalf("first packet in the new cluster: %+v", r)
	}
	apply(t, b, valueMsg(lpar, "location", true, xdr.IDString, xdr.Value{Fmt: "%s", Str: "rack2"}), localhost, t0.Add(sec(20)))
	h, _ := a.Take(r.Key)
	b.Put(h)
	c := parse(t, b, t0.Add(sec(20)))
	if len(c.Hosts) != 1 {
		t.Fatalf("hosts after merge: %d", len(c.Hosts))
	}
	host := c.Hosts[0]
	if host.Location != "rack2" || host.TN != 0 || host.GmondStarted != 1000 {
		t.Errorf("merged host: %+v", host)
	}
	if m := host.Metric("cpu"); m == nil || m.Val != "9.5" || m.TMAX != 90 {
		t.Errorf("cpu: %+v, want the new value with the old metadata", m)
	}
	if host.Metric("old_only") == nil {
		t.Errorf("old_only lost in the merge")
	}
	if st := b.Stats(); st.Hosts != 1 || st.Metrics != 4 {
		t.Errorf("stats after merge: %+v", st)
	}
}

func TestLookupAndViews(t *testing.T) {
	s := New(testOptions())
	loadHost(t, s, "10.0.0.2:twin", 0)
	loadHost(t, s, "10.0.0.3:twin", 5)
	loadHost(t, s, "10.0.0.1:alpha", 1)
	if _, ok := s.Lookup("nobody"); ok {
		t.Errorf("Lookup found nobody")
	}
	v, ok := s.Lookup("twin")
	if !ok || v.Key != "10.0.0.3" {
		t.Errorf("Lookup(twin) = %q %v, want the one heard last, 10.0.0.3", v.Key, ok)
	}
	var keys []string
	for _, h := range s.Hosts() {
		keys = append(keys, h.Key)
	}
	if want := []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}; !slices.Equal(keys, want) {
		t.Errorf("Hosts() order %q, want %q (by name, then key)", keys, want)
	}
	v, _ = s.Lookup("alpha")
	want := MetricView{Name: "cpu", VAL: "1.5", Type: "float", Units: "%", Slope: xdr.SlopeBoth, TMax: 90,
		Value: 1.5, Numeric: true, Reported: t0.Add(sec(1)), MetadataTime: t0.Add(sec(1))}
	if len(v.Metrics) != 1 || v.Location != "rack1" || v.GmondStarted != 1000 || !v.Reported.Equal(t0.Add(sec(1))) {
		t.Fatalf("view: %+v", v)
	}
	got := v.Metrics[0]
	if len(got.Extra) != 1 || got.Extra[0].Data != "cpu" {
		t.Errorf("Extra %+v", got.Extra)
	}
	got.Extra = nil
	if !got.Reported.Equal(want.Reported) || !got.MetadataTime.Equal(want.MetadataTime) {
		t.Errorf("times %v %v", got.Reported, got.MetadataTime)
	}
	got.Reported, got.MetadataTime, want.Reported, want.MetadataTime = t0, t0, t0, t0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MetricView %+v, want %+v", got, want)
	}
	// A view is a copy: later values do not change it.
	apply(t, s, valueMsg("10.0.0.1:alpha", "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: 7.25}), localhost, t0)
	if v.Metrics[0].VAL != "1.5" {
		t.Errorf("view changed under Apply: %q", v.Metrics[0].VAL)
	}
	n := 0
	s.Range(func(HostView) bool { n++; return false })
	if n != 1 {
		t.Errorf("Range went on after false: %d calls", n)
	}
}

// TestConcurrentUse runs Apply, WriteXML, Range, Take/Put and Expire at
// once; run with -race.
func TestConcurrentUse(t *testing.T) {
	a, b := New(testOptions()), New(testOptions())
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var m xdr.Message
			for i := range 300 {
				host := netip.AddrFrom4([4]byte{10, 0, byte(g), byte(i % 7)}).String() + ":h"
				m = *valueMsg(host, "cpu", true, xdr.IDFloat, xdr.Value{Fmt: "%.1f", F32: float32(i)})
				a.Apply(&m, localhost, t0.Add(sec(float64(i))))
				a.Apply(metadataMsg(host, "cpu", true, floatMD(60, 30)), localhost, t0)
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			doc := dump(t, a, ClusterInfo{}, t0)
			if err := wellFormed(doc); err != nil {
				t.Error(err)
				return
			}
			a.Range(func(v HostView) bool { return len(v.Metrics) < 100 })
		}
	})
	wg.Go(func() {
		for i := range 200 {
			key := netip.AddrFrom4([4]byte{10, 0, byte(i % 4), byte(i % 7)}).String()
			if h, ok := a.Take(key); ok {
				b.Put(h)
			}
			if h, ok := b.Take(key); ok && i%2 == 0 {
				a.Put(h)
			}
			a.Expire(t0.Add(sec(100)))
		}
	})
	wg.Wait()
	if sa, sb := a.Stats(), b.Stats(); sa.Hosts+sb.Hosts == 0 || sa.Hosts+sb.Hosts > 28 {
		t.Errorf("hosts: %d + %d", sa.Hosts, sb.Hosts)
	}
}
