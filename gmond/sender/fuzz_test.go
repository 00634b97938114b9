package sender

import (
	"net/netip"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// FuzzHandle: every datagram read from a send socket moves exactly one
// counter, never panics, and only a decodable request reaches OnRequest.
func FuzzHandle(f *testing.F) {
	req, _ := xdr.AppendRequest(nil, xdr.MetricID{Host: "localhost", Name: "cpu_used"})
	spoofed, _ := xdr.AppendRequest(nil, xdr.MetricID{Host: "10.9.9.9:spoofy", Name: "orphan2", Spoof: true})
	val, _ := xdr.AppendValue(nil, xdr.IDUInt, xdr.MetricID{Host: "h", Name: "m"}, &xdr.Value{Fmt: "%u", U: 1})
	for _, seed := range [][]byte{req, spoofed, val, req[:7], {}, {0, 0, 0, 0x88}} {
		f.Add(seed)
	}
	var got []xdr.MetricID
	// A negative ErrorInterval logs every malformed datagram, so that the
	// coverage of a call does not depend on the time since the last one.
	s, err := New(Options{ErrorInterval: -1, OnRequest: func(id xdr.MetricID) { got = append(got, id) }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, pkt []byte) {
		got = got[:0]
		before := s.Stats()
		s.handle(pkt, netip.AddrPort{}, "fuzz")
		after := s.Stats()
		req, dropped := after.Requests-before.Requests, after.Dropped-before.Dropped
		if req+dropped != 1 || after.Malformed-before.Malformed > dropped {
			t.Fatalf("counters moved from %+v to %+v", before, after)
		}
		m, err := xdr.Decode(pkt)
		isReq := err == nil && m.ID == xdr.IDMetadataRequest
		if isReq != (req == 1) || (err != nil) != (after.Malformed > before.Malformed) {
			t.Fatalf("decode %v (id %v) but counters %+v -> %+v", err, m.ID, before, after)
		}
		if isReq && (len(got) != 1 || got[0] != m.MetricID) {
			t.Fatalf("OnRequest got %+v, want %+v", got, m.MetricID)
		}
		if !isReq && len(got) != 0 {
			t.Fatalf("OnRequest called for a non-request: %+v", got)
		}
	})
}
