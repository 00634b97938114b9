package loadgen

import (
	"context"
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func TestMain(m *testing.M) { m.Run() }

// TestRoundToSink sends one round of 20 hosts × 10 metrics through every
// source technique to a UDP socket and checks what a receiver gets.
func TestRoundToSink(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		heartbeat, spoof, sockets bool
	}{
		{"pktinfo", false, false, false},
		{"pktinfo+heartbeat", true, false, false},
		{"sockets+heartbeat", true, false, true},
		{"spoof+heartbeat", true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sink := listenSink(t)
			now := t0
			g, err := New(Config{
				Hosts: 20, Metrics: 10, Heartbeat: tc.heartbeat, Spoof: tc.spoof, Sockets: tc.sockets,
				Targets: []Target{{Addr: sink.LocalAddr().String()}}, Seed: 7, Now: fixedClock(&now),
				Name: func(i int) string { return fmt.Sprintf("lpar%02d", i) },
			})
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if err := g.Round(context.Background()); err != nil {
				t.Fatal(err)
			}
			per := 10
			if tc.heartbeat {
				per++
			}
			pkts := readPackets(t, sink, 20*2*per)
			byHost := splitByHost(t, g, pkts, tc.spoof)
			for i := 0; i < 20; i++ {
				checkHostRound(t, g, i, 0, byHost[i], true)
			}
			if s := g.Stats(); s.Packets != uint64(len(pkts)) || s.Rounds != 1 || s.Errors != 0 {
				t.Errorf("stats = %+v, want %d packets in 1 round", s, len(pkts))
			}

			// Metadata is re-sent only once MetadataInterval has passed.
			for _, advance := range []time.Duration{15 * time.Second, 45 * time.Second} {
				now = now.Add(advance)
				if err := g.Round(context.Background()); err != nil {
					t.Fatal(err)
				}
				meta := now.Sub(t0) >= DefaultMetadataInterval
				n := 20 * per
				if meta {
					n *= 2
				}
				byHost = splitByHost(t, g, readPackets(t, sink, n), tc.spoof)
				step := int64(g.Stats().Rounds - 1)
				for i := 0; i < 20; i++ {
					checkHostRound(t, g, i, step, byHost[i], meta)
				}
			}
		})
	}
}

// splitByHost groups packets by the host they belong to: the source address,
// or the "IP:name" spoof string, which must be the only way hosts differ.
func splitByHost(t *testing.T, g *Generator, pkts []packet, spoof bool) map[int][]xdr.Message {
	t.Helper()
	hostOf := map[netip.Addr]int{}
	for i := range g.hosts {
		hostOf[g.Addr(i)] = i
	}
	out := map[int][]xdr.Message{}
	for _, p := range pkts {
		key, wantSrc := p.from.Addr(), netip.AddrFrom4([4]byte{127, 0, 0, 1})
		if spoof {
			ip, name, _ := cutSpoof(p.msg.Host)
			key = netip.MustParseAddr(ip)
			if !p.msg.Spoof || name != g.Name(hostOf[key]) {
				t.Fatalf("spoofed packet with host %q spoof=%v", p.msg.Host, p.msg.Spoof)
			}
		} else if p.msg.Spoof {
			t.Fatalf("unexpected spoofed packet %+v", p.msg.MetricID)
		}
		i, ok := hostOf[key]
		if !ok {
			t.Fatalf("packet from unknown host %v (source %v)", key, p.from)
		}
		if spoof && p.from.Addr() != wantSrc {
			t.Errorf("spoofed packet sent from %v, want the one socket's %v", p.from, wantSrc)
		}
		out[i] = append(out[i], p.msg)
	}
	if len(out) != len(g.hosts) {
		t.Fatalf("packets from %d distinct hosts, want %d", len(out), len(g.hosts))
	}
	return out
}

func cutSpoof(s string) (ip, name string, ok bool) {
	for k := 1; k < len(s); k++ {
		if s[k] == ':' {
			return s[:k], s[k+1:], true
		}
	}
	return "", "", false
}

// checkHostRound checks host i's packets of one round, in order: heartbeat
// (if configured), then every metric, each value preceded by its metadata
// when meta is set, values rendering to what VAL and ValueAt promise.
func checkHostRound(t *testing.T, g *Generator, i int, step int64, msgs []xdr.Message, meta bool) {
	t.Helper()
	metrics := g.Metrics()
	if g.cfg.Heartbeat {
		metrics = append([]Metric{g.beat}, metrics...)
	}
	for k, m := range metrics {
		if meta {
			if len(msgs) == 0 || msgs[0].ID != xdr.IDMetadata || msgs[0].Name != m.Name() {
				t.Fatalf("host %d: want metadata of %s next, have %v", i, m.Name(), head(msgs))
			}
			if !reflect.DeepEqual(msgs[0].Metadata, m.Meta) {
				t.Errorf("host %d %s metadata = %+v, want %+v", i, m.Name(), msgs[0].Metadata, m.Meta)
			}
			msgs = msgs[1:]
		}
		if len(msgs) == 0 || msgs[0].ID != m.ID || msgs[0].Name != m.Name() || msgs[0].Value.Fmt != m.Fmt {
			t.Fatalf("host %d: want %v value of %s (%s) next, have %v", i, m.ID, m.Name(), m.Fmt, head(msgs))
		}
		v := msgs[0]
		msgs = msgs[1:]
		if g.cfg.Heartbeat && k == 0 {
			if v.Value.U != g.Heartbeat() {
				t.Errorf("host %d heartbeat = %d, want %d", i, v.Value.U, g.Heartbeat())
			}
			continue
		}
		j := k
		if g.cfg.Heartbeat {
			j--
		}
		checkVAL(t, g, i, j, step, &v)
	}
	if len(msgs) != 0 {
		t.Errorf("host %d: %d extra packets, first %v", i, len(msgs), head(msgs))
	}
}

// checkVAL checks a received value against VAL and ValueAt.
func checkVAL(t *testing.T, g *Generator, i, j int, step int64, v *xdr.Message) {
	t.Helper()
	val := xdr.RenderVAL(v.ID, &v.Value)
	if want := g.VAL(i, j, step); val != want {
		t.Errorf("host %d %s step %d: VAL %q, want %q", i, v.Name, step, val, want)
	}
	if v.ID == xdr.IDString {
		return
	}
	f, _ := v.Float()
	parsed, err := strconv.ParseFloat(val, 64)
	if want := g.ValueAt(i, j, step); f != want || err != nil || parsed != want {
		t.Errorf("host %d %s step %d: wire %v, VAL %q; ValueAt %v", i, v.Name, step, f, val, want)
	}
}

func head(msgs []xdr.Message) string {
	if len(msgs) == 0 {
		return "nothing"
	}
	return fmt.Sprintf("%v %s", msgs[0].ID, msgs[0].Name)
}

// TestRoundSplitTargets checks that hosts go only to their targets' ports
// and that a host in two targets sends every packet to both.
func TestRoundSplitTargets(t *testing.T) {
	a, b := listenSink(t), listenSink(t)
	g, err := New(Config{
		Hosts: 6, Metrics: 3, Seed: 1, Now: fixedClock(&t0),
		Targets: []Target{
			{Addr: a.LocalAddr().String(), First: 0, End: 4},
			{Addr: b.LocalAddr().String(), First: 3},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if err := g.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sink  []packet
		hosts []int
	}{
		{readPackets(t, a, 4*6), []int{0, 1, 2, 3}},
		{readPackets(t, b, 3*6), []int{3, 4, 5}},
	} {
		seen := map[netip.Addr]int{}
		for _, p := range tc.sink {
			seen[p.from.Addr()]++
		}
		for _, i := range tc.hosts {
			if seen[g.Addr(i)] != 6 {
				t.Errorf("host %d (%v) sent %d packets here, want 6; all: %v", i, g.Addr(i), seen[g.Addr(i)], seen)
			}
		}
	}
}
