package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/web"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/xmlserve"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/rrdcached"
)

// bindWeb binds web_address ("" = off) for the web interface, with the
// XML ports' ACL: loopback and trusted_hosts, everyone with all_trusted.
// Nothing is served yet.
func (a *app) bindWeb(allow func(netip.Addr) bool) error {
	if a.cfg.WebAddress == "" {
		return nil
	}
	root := ""
	if a.cfg.WriteRRDs {
		root = a.cfg.RRDRootDir
	}
	srv, err := web.New(a.cfg.WebAddress, web.Options{Source: &webSource{a: a}, RRDRoot: root,
		LPARDir: lparDir(a.mapping), FlushRRD: a.flushRRD, Now: a.env.now, Logger: a.log, Allow: allow})
	if err != nil {
		return fmt.Errorf("web_address: %w", err)
	}
	a.web = srv
	return nil
}

// flushRRD writes what our store still buffers for path before the web
// interface reads it; with rrdcached or no RRDs there is nothing to do.
func (a *app) flushRRD(ctx context.Context, path string) error {
	if a.store == nil {
		return nil
	}
	return a.store.Flush(ctx, path)
}

// serveWeb serves the web interface until shutdown.
func (a *app) serveWeb() {
	if a.web == nil {
		return
	}
	a.serveWG.Add(1)
	go func() {
		defer a.serveWG.Done()
		if err := a.web.Serve(a.serveCtx); err != nil {
			a.log.Error("web server stopped", "addr", a.web.Addr().String(), "err", err)
		}
	}()
}

// webURL is where the log says the web interface is.
func (a *app) webURL() string {
	if a.web == nil {
		return "off"
	}
	return "http://" + a.web.Addr().String() + "/"
}

// counted wraps an XML port's handler so that Health can tell how many
// answers are being written now.
func (a *app) counted(h xmlserve.HandlerFunc) xmlserve.HandlerFunc {
	return func(ctx context.Context, w io.Writer, request string, remote netip.AddrPort) error {
		a.counters.xmlActive.Add(1)
		defer a.counters.xmlActive.Add(-1)
		return h(ctx, w, request, remote)
	}
}

// webSource is the running gmetad as the web interface reads it.
type webSource struct {
	a      *app
	report treeCheckCache
}

// Snapshot is the grid the XML ports serve.
func (s *webSource) Snapshot(now time.Time) *xmlout.Snapshot { return s.a.grid.Snapshot(now) }

// Moves is the grid's move history, oldest first.
func (s *webSource) Moves() []grid.Move { return s.a.grid.Moves() }

// Health gathers the counters of every stage.
func (s *webSource) Health() web.Health {
	a := s.a
	c := &a.counters
	h := web.Health{Started: a.started, Ports: a.portHealth(), RRD: a.rrdHealth(a.env.now()),
		XMLClients: uint64(max(0, c.xmlActive.Load())), XMLRequests: c.xmlReqs.Load() + c.interReqs.Load()}
	if a.cfg.CheckReport != "" {
		h.TreeCheck = s.report.get(a.cfg.CheckReport)
	}
	return h
}

// portHealth is every managed system's receiver, by port.
func (a *app) portHealth() []web.PortHealth {
	clusters := map[int]grid.ClusterStats{}
	for _, cs := range a.grid.Stats().Clusters {
		if !cs.Detached {
			clusters[cs.Port] = cs
		}
	}
	a.mu.Lock()
	out := make([]web.PortHealth, 0, len(a.ports))
	for port, pl := range a.ports {
		rs, cs := pl.udp.Stats(), clusters[port]
		out = append(out, web.PortHealth{Port: port, Cluster: cs.Name, Packets: rs.Packets, Bytes: rs.Bytes,
			DecodeErrors: pl.decodeErrors.Load(), Denied: rs.Denied, Oversize: rs.Oversize, Hosts: uint64(cs.Hosts)})
	}
	a.mu.Unlock()
	slices.SortFunc(out, func(x, y web.PortHealth) int { return x.Port - y.Port })
	return out
}

// rrdHealth is the RRD writer's state; zero with write_rrds off. Errors
// add the persister's (creations, updates refused, tree) and the
// writer's (updates that failed or were dropped later); the queue is the
// updates the writer holds; the lag is the time since the step last
// written.
func (a *app) rrdHealth(now time.Time) web.RRDHealth {
	if a.persister == nil {
		return web.RRDHealth{}
	}
	ps := a.persister.Stats()
	r := web.RRDHealth{Updates: ps.Updates, Errors: ps.CreateErrors + ps.UpdateErrors + ps.TreeErrors,
		SkippedSteps: ps.Skipped, LastStep: ps.LastStepTime}
	pending, failed := writerStats(a.writer)
	r.QueueDepth, r.Errors = int(pending), r.Errors+failed
	if !ps.LastStepTime.IsZero() {
		r.Lag = max(0, now.Sub(ps.LastStepTime))
	}
	return r
}

// writerStats are the updates a writer holds and those it lost.
func writerStats(w persist.Writer) (pending int64, failed uint64) {
	switch w := w.(type) {
	case *rrdstore.Store:
		st := w.Stats()
		return st.Pending, st.Failed + st.Dropped
	case *rrdcached.Store:
		st := w.Stats()
		return st.Pending, st.Refused - st.Duplicates + st.Dropped
	}
	return 0, 0
}

// treeCheckCache reads check_report again only when the file changed:
// every /metrics scrape and health page asks.
type treeCheckCache struct {
	mu   sync.Mutex
	mod  time.Time
	size int64
	last *web.TreeCheck
}

func (c *treeCheckCache) get(path string) *web.TreeCheck {
	fi, statErr := os.Stat(path)
	c.mu.Lock()
	defer c.mu.Unlock()
	if statErr == nil && c.last != nil && c.last.Err == "" && fi.ModTime().Equal(c.mod) && fi.Size() == c.size {
		return c.last
	}
	// The error is in the result's Err, which the Health page shows.
	tc, _ := web.ReadTreeCheck(path)
	if statErr == nil {
		c.mod, c.size = fi.ModTime(), fi.Size()
	}
	c.last = tc
	return tc
}
