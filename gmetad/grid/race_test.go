package grid

import (
	"fmt"
	"io"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// checkIndex verifies the grid's invariant: every host of every cluster is
// indexed once, under the cluster that holds it, and nothing else is.
func checkIndex(t *testing.T, g *Grid) {
	t.Helper()
	g.mu.RLock()
	defer g.mu.RUnlock()
	n := 0
	for _, e := range g.clusters {
		for _, k := range e.state.Keys() {
			n++
			if h := g.keys[k]; h == nil || h.owner != e {
				t.Errorf("key %s of %s indexed as %+v", k, e.spec.Name, h)
			}
		}
	}
	names := 0
	for _, list := range g.names {
		names += len(list)
	}
	if n != len(g.keys) || n != names {
		t.Errorf("%d hosts in the clusters, %d keys and %d names indexed", n, len(g.keys), names)
	}
}

// TestConcurrent: packets on several ports (new hosts, moves, conflicts)
// while snapshots, expiry, exports, polls and reloads run. Run with -race.
func TestConcurrent(t *testing.T) {
	o := testOptions()
	o.Cluster.HostDMax = 2 // hosts come and go
	o.ConflictWindow = 50 * time.Millisecond
	g := newGrid(t, o)
	var clock atomic.Int64
	now := func() time.Time { return t0.Add(time.Duration(clock.Add(int64(100 * time.Microsecond)))) }
	const senders, hosts, packets = 6, 40, 500
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := range senders {
		wg.Go(func() {
			var m xdr.Message
			for i := range packets {
				h := (i*7 + w) % hosts
				src := netip.AddrFrom4([4]byte{10, 1, byte(h / 200), byte(h % 200)})
				port := 8301 + (i/50+w)%3
				if i%10 == 0 {
					m = *metadata(fmt.Sprint("m", i%5), "float", 60, 0)
				} else {
					m = *floatValue(fmt.Sprint("m", i%5), float32(i))
				}
				if i%13 == 0 {
					m.Host, m.Spoof = fmt.Sprintf("10.2.0.%d:shared%d", h%4, h%3), true
				}
				g.Handle(port, &m, src, now())
			}
		})
	}
	var readers sync.WaitGroup
	loop := func(fn func()) {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
					fn()
				}
			}
		})
	}
	loop(func() {
		at := now()
		_ = xmlout.WriteFull(io.Discard, g.Snapshot(at), at)
	})
	loop(func() { g.Expire(now()) })
	loop(func() { _, _, _, _ = g.Stats(), g.Moves(), g.Conflicts(), g.Export() })
	rep := parseTestdata(t, "gmond-dump-1")
	loop(func() {
		g.SetPolled("ds", rep, now())
		g.PolledDead("ds", now())
		g.SetClusters(append(threeClusters, ClusterSpec{Name: "extra", Port: 8304}))
		g.SetClusters(threeClusters)
		_ = g.Locate("shared1")
	})
	wg.Wait()
	close(done)
	readers.Wait()
	checkIndex(t, g)
	st := g.Stats()
	t.Logf("moves %d conflicts %d hosts %+v", st.Moves, st.Conflicts, st.Clusters)
	if st.Moves == 0 || st.Conflicts == 0 {
		t.Errorf("the test made no moves or no conflicts: %+v", st)
	}
}
