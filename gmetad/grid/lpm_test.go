package grid

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestLPMMoves: a host sends to 8301, then 8302, then 8303. It moves at its
// first packet on each new port, leaves the old cluster's XML and summary
// at once, keeps its metadata (both metrics listed in 8302 after one value
// without metadata), and the moves are recorded with their times.
func TestLPMMoves(t *testing.T) {
	var logs bytes.Buffer
	o := testOptions()
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	g := newGrid(t, o)
	lpar, other := addr("10.0.0.1"), addr("10.0.0.2")
	report(t, g, 8301, lpar, at(0), 10, 1.5)
	report(t, g, 8301, other, at(0), 20, 0.5)

	s := g.Snapshot(at(1))
	checkSum(t, &source(t, s, clA).Summary, "cpu_user", "30.00", 2)

	r := handle(t, g, 8302, floatValue("cpu_user", 12), lpar, at(10))
	if !r.Moved || r.MovedFrom != clA || r.Cluster != clB || r.NeedMetadata || r.NewHost {
		t.Fatalf("first packet on 8302: %+v", r)
	}
	s = g.Snapshot(at(10))
	a, b := source(t, s, clA), source(t, s, clB)
	if findHost(a, "lpar1.example.com") != nil {
		t.Errorf("lpar1 still listed in %s", clA)
	}
	h := findHost(b, "lpar1.example.com")
	if h == nil {
		t.Fatalf("lpar1 not in %s: %+v", clB, b.Hosts)
	}
	if cpu, load := findMetric(h, "cpu_user"), findMetric(h, "load_one"); cpu == nil || cpu.Val != "12.00" || load == nil ||
		load.Val != "1.50" || len(cpu.Extra) != 1 || h.IP != "10.0.0.1" {
		t.Errorf("moved host %+v", h)
	}
	checkSum(t, &a.Summary, "cpu_user", "20.00", 1)
	checkSum(t, &b.Summary, "cpu_user", "12.00", 1)
	checkSum(t, &b.Summary, "load_one", "1.50", 1)
	checkSum(t, &s.Summary, "cpu_user", "32.00", 2)
	if a.Summary.Up != 1 || b.Summary.Up != 1 || s.Summary.Up != 2 {
		t.Errorf("HOSTS UP %d %d root %d", a.Summary.Up, b.Summary.Up, s.Summary.Up)
	}

	for i := 20; i <= 50; i += 10 { // the LPAR keeps sending to its new port
		handle(t, g, 8302, floatValue("cpu_user", 13), lpar, at(float64(i)))
	}
	r = handle(t, g, 8303, floatValue("cpu_user", 14), lpar, at(200))
	if !r.Moved || r.MovedFrom != clB {
		t.Fatalf("first packet on 8303: %+v", r)
	}
	s = g.Snapshot(at(200))
	if findHost(source(t, s, clB), "lpar1.example.com") != nil || findHost(source(t, s, clC), "lpar1.example.com") == nil {
		t.Errorf("after the second move: %s %+v, %s %+v", clB, source(t, s, clB).Hosts, clC, source(t, s, clC).Hosts)
	}
	checkSum(t, &source(t, s, clC).Summary, "cpu_user", "14.00", 1)
	if m := sumOf(&source(t, s, clB).Summary, "cpu_user"); m == nil || m.Num != 0 || m.Sum != 0 {
		t.Errorf("%s keeps a zero entry (Q12), got %+v", clB, m)
	}

	want := []Move{
		{Time: at(10), Host: "lpar1.example.com", Key: "10.0.0.1", From: clA, To: clB},
		{Time: at(200), Host: "lpar1.example.com", Key: "10.0.0.1", From: clB, To: clC},
	}
	if got := g.Moves(); !equalMoves(got, want) {
		t.Errorf("Moves() = %+v, want %+v", got, want)
	}
	st := g.Stats()
	if st.Moves != 2 || st.Conflicts != 0 {
		t.Errorf("stats %+v", st)
	}
	for _, c := range st.Clusters {
		if c.Name == clB && (c.MovesIn != 1 || c.MovesOut != 1 || c.Hosts != 0) {
			t.Errorf("%s stats %+v", clB, c)
		}
	}
	if n := strings.Count(logs.String(), "host moved"); n != 2 || !strings.Contains(logs.String(), "from="+clA+" to="+clB) {
		t.Errorf("log: %s", logs.String())
	}
}

func equalMoves(a, b []Move) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.Time.Equal(y.Time) {
			return false
		}
		x.Time, y.Time = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}

// TestConflictNoFlapping: two agents send for one host to 8301 and 8302
// alternately every 10 s for 5 minutes. The host moves once (its first
// packet on 8302), then every packet on 8301 is a conflict, reported as one
// event per window; when 8302 falls silent for a window, 8301 wins.
func TestConflictNoFlapping(t *testing.T) {
	g := newGrid(t, testOptions())
	lpar := addr("10.0.0.1")
	var conflicts int
	for s := 0; s <= 300; s += 10 {
		port := 8301
		if s/10%2 == 1 {
			port = 8302
		}
		r := g.Handle(port, floatValue("cpu_user", float32(s)), lpar, at(float64(s)))
		if r.Conflict {
			conflicts++
			if port != 8301 || r.Cluster != "" {
				t.Errorf("t=%d: conflict on %d: %+v", s, port, r)
			}
		}
	}
	if mv := g.Moves(); len(mv) != 1 || mv[0].To != clB || !mv[0].Time.Equal(at(10)) {
		t.Fatalf("moves %+v, want one to %s at 10 s", mv, clB)
	}
	if conflicts != 15 {
		t.Errorf("%d conflicts, want 15 (every 8301 packet after the move)", conflicts)
	}
	evs := g.Conflicts()
	if len(evs) != 5 {
		t.Errorf("%d conflict events, want one per 60 s window: %+v", len(evs), evs)
	}
	var packets uint64
	for _, ev := range evs {
		packets += ev.Packets
		if ev.Owner != clB || ev.Refused != clA || ev.Host != "lpar1.example.com" {
			t.Errorf("event %+v", ev)
		}
	}
	if packets != 15 || g.Stats().Conflicts != 15 {
		t.Errorf("events count %d packets, stats %d", packets, g.Stats().Conflicts)
	}
	if !evs[0].First.Equal(at(20)) || !evs[0].Last.Equal(at(60)) {
		t.Errorf("first event %v..%v", evs[0].First.Sub(t0), evs[0].Last.Sub(t0))
	}

	// 8302 (the owner) was last heard at 290 s: 8301 wins at 350 s.
	for s := 310; s < 350; s += 10 {
		if r := g.Handle(8301, floatValue("cpu_user", 1), lpar, at(float64(s))); !r.Conflict {
			t.Fatalf("t=%d: %+v, want a conflict while 8302 was heard within the window", s, r)
		}
	}
	r := g.Handle(8301, floatValue("cpu_user", 1), lpar, at(350))
	if !r.Moved || r.MovedFrom != clB {
		t.Fatalf("t=350: %+v, want the move back", r)
	}
	if mv := g.Moves(); len(mv) != 2 || mv[1].To != clA {
		t.Errorf("moves %+v", mv)
	}
}

// TestConflictOwnerSilent: the non-owner side keeps a host only while the
// owner is heard; a genuine LPM with the old side silent moves once.
func TestConflictGenuineLPM(t *testing.T) {
	g := newGrid(t, testOptions())
	lpar := addr("10.0.0.1")
	for s := 0; s < 100; s += 10 {
		handle(t, g, 8301, floatValue("cpu_user", 1), lpar, at(float64(s)))
	}
	for s := 100; s < 400; s += 10 {
		handle(t, g, 8302, floatValue("cpu_user", 1), lpar, at(float64(s)))
	}
	if mv := g.Moves(); len(mv) != 1 || g.Stats().Conflicts != 0 {
		t.Errorf("moves %+v conflicts %d", mv, g.Stats().Conflicts)
	}
	// A late datagram on the old port right after a move is a conflict,
	// not a move back.
	handle(t, g, 8303, floatValue("cpu_user", 1), lpar, at(460)) // 8302 silent since 390: moves
	if r := g.Handle(8302, floatValue("cpu_user", 1), lpar, at(461)); !r.Conflict {
		t.Errorf("late packet on the old port: %+v", r)
	}
}

// TestSameNameNewAddress: an LPAR that comes back on another port under a
// new address is moved (re-keyed, metadata kept) when the old address is
// silent, and is a conflict while the old address still sends.
func TestSameNameNewAddress(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string // sources, or spoof strings
		spoof    bool
	}{
		{"reverse DNS", "10.0.0.1", "10.0.1.1", false},
		{"spoofed", "10.9.0.1:lpar9", "10.9.0.2:lpar9", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGrid(t, testOptions())
			send := func(port int, id string, m *xdr.Message, now time.Time) HandleResult {
				if tc.spoof {
					return g.Handle(port, spoofed(m, id), addr("127.0.0.1"), now)
				}
				return g.Handle(port, m, addr(id), now)
			}
			send(8301, tc.old, metadata("cpu_user", "float", 90, 0), at(0))
			send(8301, tc.old, floatValue("cpu_user", 5), at(0))
			send(8301, tc.old, floatValue("cpu_user", 6), at(30))

			if r := send(8302, tc.new, floatValue("cpu_user", 7), at(60)); !r.Conflict {
				t.Fatalf("new address while the old one sends: %+v, want a conflict", r)
			}
			if st := g.Stats(); st.Conflicts != 1 || len(g.Conflicts()) != 1 {
				t.Errorf("stats %+v", st)
			}
			r := send(8302, tc.new, floatValue("cpu_user", 8), at(91))
			if !r.Moved || r.MovedFrom != clA || r.NeedMetadata || r.NewHost {
				t.Fatalf("new address, old silent: %+v, want a move", r)
			}
			s := g.Snapshot(at(92))
			if len(source(t, s, clA).Hosts) != 0 || len(source(t, s, clB).Hosts) != 1 {
				t.Fatalf("hosts %+v / %+v", source(t, s, clA).Hosts, source(t, s, clB).Hosts)
			}
			h := source(t, s, clB).Hosts[0]
			newKey, _, _ := strings.Cut(tc.new, ":")
			oldKey, _, _ := strings.Cut(tc.old, ":")
			if h.IP != newKey || findMetric(&h, "cpu_user") == nil || findMetric(&h, "cpu_user").Val != "8.00" {
				t.Errorf("host %+v", h)
			}
			if mv := g.Moves(); len(mv) != 1 || mv[0].Key != newKey || mv[0].OldKey != oldKey {
				t.Errorf("moves %+v", mv)
			}
			// The old address is no longer indexed: if it sends again it
			// is a new key with the same name, heard by the new owner.
			if r := send(8301, tc.old, floatValue("cpu_user", 9), at(95)); !r.Conflict {
				t.Errorf("old address after the move: %+v, want a conflict", r)
			}
		})
	}
}

// TestSameNameSameCluster: two addresses with one name in one cluster stay
// two hosts, as in stock gmond.
func TestSameNameSameCluster(t *testing.T) {
	g := newGrid(t, testOptions())
	handle(t, g, 8301, gmetricValue("x", "1"), addr("10.0.0.1"), at(0))
	handle(t, g, 8301, gmetricValue("x", "1"), addr("10.0.1.1"), at(1))
	if n := len(source(t, g.Snapshot(at(2)), clA).Hosts); n != 2 || len(g.Moves()) != 0 {
		t.Errorf("%d hosts, moves %+v", n, g.Moves())
	}
}

// TestNoClusterAndDrops: a port without a cluster is counted; a packet the
// cluster refuses is reported with the cluster's reason and moves nothing.
func TestNoClusterAndDrops(t *testing.T) {
	g := newGrid(t, testOptions())
	if r := g.Handle(9999, gmetricValue("x", "1"), addr("10.0.0.1"), at(0)); !r.NoCluster {
		t.Errorf("unknown port: %+v", r)
	}
	bad := spoofed(gmetricValue("x", "1"), "nocolon")
	if r := g.Handle(8301, bad, addr("10.0.0.1"), at(0)); r.Dropped == 0 || r.Cluster != clA {
		t.Errorf("bad spoof: %+v", r)
	}
	long := gmetricValue(strings.Repeat("m", 300), "1")
	if r := g.Handle(8302, long, addr("10.0.0.1"), at(0)); r.Dropped == 0 {
		t.Errorf("long name: %+v", r)
	}
	st := g.Stats()
	if st.NoCluster != 1 || len(g.Snapshot(at(1)).Sources[0].Hosts) != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestMetadataRequest: a value without metadata for a new host asks for it,
// with the request stock would send.
func TestMetadataRequest(t *testing.T) {
	g := newGrid(t, testOptions())
	r := g.Handle(8301, gmetricValue("orphan", "1"), addr("127.0.0.1"), at(0))
	if !r.NeedMetadata || r.Request != (xdr.MetricID{Host: "localhost", Name: "orphan"}) || !r.NewHost {
		t.Errorf("%+v", r)
	}
}
