package grid

import (
	"cmp"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/internal/cnum"
)

// Snapshot returns the grid as the XML servers and the persister see it at
// now: our GRID, the root summary and every source sorted by name (the
// configured clusters with their hosts and summaries, the polled clusters
// and grids). The view is immutable and shared: calls within
// Options.SnapshotMaxAge of the last build get the same one, unless a
// host moved, the clusters changed or a poll arrived since. TN values are
// computed by the writers at request time from the birth times, so only
// the summaries and HOSTS UP/DOWN are as old as the view.
func (g *Grid) Snapshot(now time.Time) *xmlout.Snapshot {
	g.snapMu.Lock()
	defer g.snapMu.Unlock()
	gen := g.gen.Load()
	if s := g.snap; s != nil && g.snapGen == gen && !now.Before(g.snapAt) && now.Sub(g.snapAt) < g.opts.SnapshotMaxAge {
		return s
	}
	s := g.build(now)
	g.snap, g.snapAt, g.snapGen = s, now, gen
	return s
}

// buildSource is what build needs of one source, copied under mu.
type buildSource struct {
	udp    *clusterEntry
	spec   ClusterSpec
	polled xmlout.Source
	dead   bool
}

func (g *Grid) build(now time.Time) *xmlout.Snapshot {
	g.mu.RLock()
	srcs := make([]buildSource, 0, len(g.ports)+len(g.polled))
	for _, e := range g.ports {
		srcs = append(srcs, buildSource{udp: e, spec: e.spec})
	}
	for _, p := range g.polled {
		srcs = append(srcs, buildSource{polled: p.source, dead: p.dead})
	}
	g.mu.RUnlock()

	g.builds++
	snap := &xmlout.Snapshot{
		Grid:    xmlout.GridInfo{Name: g.opts.GridName, Authority: g.opts.Authority},
		Sources: make([]xmlout.Source, len(srcs)),
	}
	for i := range srcs {
		if srcs[i].udp != nil {
			snap.Sources[i] = g.buildCluster(srcs[i].udp, srcs[i].spec, now)
		} else {
			snap.Sources[i] = srcs[i].polled
		}
	}
	g.root.zero()
	for i := range srcs {
		if !srcs[i].dead {
			g.addToRoot(&snap.Sources[i].Summary)
		}
	}
	snap.Summary = g.root.summary()
	slices.SortStableFunc(snap.Sources, func(a, b xmlout.Source) int { return cmp.Compare(a.Name, b.Name) })
	g.sweepExtras()
	return snap
}

// buildCluster renders one configured cluster and computes its summary
// over the hosts that are up now.
func (g *Grid) buildCluster(e *clusterEntry, spec ClusterSpec, now time.Time) xmlout.Source {
	co := e.state.Options()
	src := xmlout.Source{Kind: xmlout.Cluster, Name: spec.Name, Owner: spec.Owner, LatLong: spec.LatLong,
		URL: spec.URL, LocalTime: now.Unix()}
	e.sums.zero()
	src.Hosts = make([]xmlout.Host, 0, e.state.Stats().Hosts)
	e.state.Visit(func(v *cluster.HostView) bool {
		up := hostUp(now, v.Reported, co.HostTMax)
		h := xmlout.Host{Name: v.Name, IP: v.Key, Location: v.Location, Tags: co.Tags,
			Reported: v.Reported.Unix(), T0: v.Reported, TMax: co.HostTMax, DMax: co.HostDMax,
			GmondStarted: uint32(v.GmondStarted), Metrics: make([]xmlout.Metric, len(v.Metrics))}
		hm := e.hostMemo(v.Key, g.builds)
		for i := range v.Metrics {
			m := &v.Metrics[i]
			info, memo := g.resolve(e, hm, i, m)
			h.Metrics[i] = xmlout.Metric{Name: m.Name, Val: m.VAL, Type: m.Type, Units: m.Units,
				Slope: m.Slope.String(), Source: "gmond", TMax: m.TMax, DMax: m.DMax, T0: m.Reported, Extra: memo.out}
			if up {
				g.sumMetric(e, info, m, memo, now)
			}
		}
		hm.trim(len(v.Metrics))
		if up {
			e.sums.up++
		} else {
			e.sums.down++
		}
		src.Hosts = append(src.Hosts, h)
		return true
	})
	src.Summary = e.sums.summary()
	e.sweep(g.builds)
	return src
}

// hostUp is gmetad's alive rule for a host a gmond reports (PROTOCOL.md
// §2.6): TN < 4 × TMAX in whole seconds, or with TMAX 0 a report within
// 60 s of the cluster's LOCALTIME.
func hostUp(now, reported time.Time, tmax uint32) bool {
	if tmax == 0 {
		d := now.Unix() - reported.Unix()
		return d > -60 && d < 60
	}
	return int64(now.Sub(reported)/time.Second) < 4*int64(tmax)
}

// sumMetric adds one metric of a host that is up to its cluster's
// summary, as gmetad's startElement_METRIC does: numeric types only, not
// past DMAX.
func (g *Grid) sumMetric(c *clusterEntry, info *nameInfo, m *cluster.MetricView, memo *extraMemo, now time.Time) {
	kind, ok := sumKind(m.Type)
	if !ok || m.DMax > 0 && int64(now.Sub(m.Reported)/time.Second) > int64(m.DMax) {
		return
	}
	e := info.sum
	if e == nil {
		e = c.sums.entry(m.Name, func() sumEntry {
			return sumEntry{SummaryMetric: xmlout.SummaryMetric{Kind: kind, Precision: cnum.Precision(m.VAL),
				Units: m.Units, Slope: m.Slope.String()}}
		})
		info.sum = e
	}
	e.add(cnum.Strtod(m.VAL), 1)
	if len(memo.out) > 0 && memo.mergedInto != e {
		for _, x := range memo.out {
			e.addExtra(x)
		}
		memo.mergedInto = e
	}
}

// addToRoot adds a live source's summary to the root summary (gmetad's
// root thread): its HOSTS and every entry, only summarized_metrics when
// set. Root entries take their kind and precision from the first source
// that had the name and carry no EXTRA_DATA, as stock prints them.
func (g *Grid) addToRoot(s *xmlout.Summary) {
	g.root.up += s.Up
	g.root.down += s.Down
	for i := range s.Metrics {
		m := &s.Metrics[i]
		if !g.rootSummarized(m.Name) {
			continue
		}
		e := g.root.entry(m.Name, func() sumEntry {
			return sumEntry{SummaryMetric: xmlout.SummaryMetric{Kind: m.Kind, Precision: m.Precision, Units: m.Units, Slope: m.Slope}}
		})
		e.add(m.Sum, m.Num)
	}
}
