package loadgen

// Interop: one round of simulated hosts, sent to a real stock gmond 3.7.2
// collector (internal/stockganglia), must show up in its XML exactly as
// real gmonds would: one HOST per source address (or spoof string), every
// metric with its metadata and the VAL that VAL promises.

import (
	"context"
	"fmt"
	"net"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const interopTimeout = 15 * time.Second

func TestInteropStockCollector(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoof bool
		base  string
	}{
		{"source-addresses", false, "127.1.0.1"},
		{"spoof", true, "127.2.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ft := &fakeTicker{c: make(chan time.Time)}
			col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: "loadgen"}})
			cfg := Config{
				Hosts: 5, Metrics: StandardMetrics + 3, Heartbeat: true, Spoof: tc.spoof, Seed: 3,
				Targets: []Target{{Addr: col.Addr}}, SourceBase: mustAddr(t, tc.base),
				Interval: 5 * time.Second, Now: fixedClock(&t0), Ticker: ft.ticker,
			}
			if tc.spoof {
				cfg.Name = func(i int) string { return fmt.Sprintf("lpar%d.example.com", i) }
			}
			g, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			doc := sendPaced(t, g, ft, col)
			c := doc.Cluster("loadgen")
			if len(c.Hosts) != 5 {
				t.Errorf("%d hosts in the XML, want 5", len(c.Hosts))
			}
			for i := 0; i < 5; i++ {
				checkStockHost(t, g, i, c.HostByIP(g.Addr(i).String()), tc.spoof)
			}
		})
	}
}

// sendPaced sends round 0 through Run, one host per tick of the fake
// ticker (host i's phase is i seconds), and waits for the collector to list
// each host complete before the next tick. A stock gmond reads one datagram
// per turn of its loop: a whole round sent at once (370 datagrams here, each
// costing about 1 KiB of socket buffer) overflows its default 208 KiB
// receive buffer and gmond never sees part of it; one host at a time fits.
// This is why Run paces.
func sendPaced(t *testing.T, g *Generator, ft *fakeTicker, col *stockganglia.Gmond) *stockganglia.Doc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := g.Run(ctx)
		done <- err
	}()
	var doc *stockganglia.Doc
	for i := range g.hosts {
		if i > 0 {
			ft.c <- t0.Add(time.Duration(i) * time.Second)
		}
		doc = col.WaitFor(t, interopTimeout, func(d *stockganglia.Doc) error {
			return hostsComplete(d, g, i+1)
		})
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st := g.Stats(); st.Errors != 0 || st.Packets != uint64(len(g.hosts)*2*(len(g.metrics)+1)) {
		t.Errorf("stats %+v", st)
	}
	return doc
}

// hostsComplete is the WaitFor predicate: the first n hosts with every metric.
func hostsComplete(d *stockganglia.Doc, g *Generator, n int) error {
	c := d.Cluster("loadgen")
	if c == nil {
		return fmt.Errorf("no cluster loadgen")
	}
	for i := 0; i < n; i++ {
		h := c.HostByIP(g.Addr(i).String())
		if h == nil {
			return fmt.Errorf("no host %v", g.Addr(i))
		}
		if len(h.Metrics) != len(g.metrics) {
			return fmt.Errorf("host %v has %d metrics of %d", g.Addr(i), len(h.Metrics), len(g.metrics))
		}
	}
	return nil
}

// checkStockHost compares one HOST element with what host i sent.
func checkStockHost(t *testing.T, g *Generator, i int, h *stockganglia.Host, spoof bool) {
	t.Helper()
	ip := g.Addr(i).String()
	// gmond names a host once, by reverse DNS of its source address, falling
	// back to the IP text; a spoofed host by the name in its spoof string.
	want := []string{g.Name(i)}
	if !spoof {
		want = []string{ip}
		if names, err := net.LookupAddr(ip); err == nil && len(names) > 0 {
			want = append(want, strings.TrimSuffix(names[0], "."))
		}
	}
	t.Logf("host %d: NAME=%q IP=%q", i, h.Name, h.IP)
	if !slices.Contains(want, h.Name) {
		t.Errorf("host %s NAME = %q, want one of %q", ip, h.Name, want)
	}
	if h.GmondStarted != int64(g.Heartbeat()) {
		t.Errorf("host %s GMOND_STARTED = %d, want the heartbeat %d", ip, h.GmondStarted, g.Heartbeat())
	}
	for j, m := range g.Metrics() {
		x := h.Metric(m.Name())
		if x == nil {
			t.Errorf("host %s: no %s", ip, m.Name())
			continue
		}
		// gmond prints the extra data in reverse wire order (PROTOCOL.md §3.3).
		var extra []stockganglia.Extra
		for _, e := range slices.Backward(m.Meta.Extra) {
			extra = append(extra, stockganglia.Extra{Name: e.Name, Val: e.Data})
		}
		wantM := stockganglia.Metric{
			Name: m.Name(), Val: g.VAL(i, j, 0), Type: m.Meta.Type, Units: m.Meta.Units,
			TN: x.TN, TMAX: int64(m.Meta.TMax), Slope: m.Meta.Slope.String(), Extra: extra,
		}
		if !equalMetric(*x, wantM) {
			t.Errorf("host %s metric\n got %+v\nwant %+v", ip, *x, wantM)
		}
	}
}

func equalMetric(a, b stockganglia.Metric) bool { return reflect.DeepEqual(a, b) }
