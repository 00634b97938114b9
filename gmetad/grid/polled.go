package grid

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/poller"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// Polled data sources (stock gmetad's data_source lines): a collector gmond
// (CLUSTER, kept in full, "authority mode") or another gmetad (GRID, kept
// only as its summary). Their hosts are not UDP hosts: they are never
// moved, and a host polled in one cluster and heard by UDP in another is
// simply listed in both.

// polledSource is one data source as its polls built it. hosts and sums
// are guarded by Grid.polledMu (SetPolled and Expire), so a big merge does
// not hold Grid.mu; the rest is published under Grid.mu.
type polledSource struct {
	name string // data source name
	kind poller.Kind

	hosts map[string]*polledHost // clusters: by HOST NAME, across polls
	sums  sumTable

	source   xmlout.Source
	dead     bool
	names    map[string]bool // HOST NAMEs listed
	lastPoll time.Time
}

func (p *polledSource) hasHost(name string) bool { return p.names[name] }

// polledHost is a polled HOST and its metrics: gmetad replaces the host's
// attributes every poll but keeps metrics that stopped appearing (or whose
// host went down) with their last values, their TN growing.
type polledHost struct {
	host    xmlout.Host
	metrics map[string]xmlout.Metric
}

// SetPolled takes the result of one successful poll of the data source
// called name. A cluster source is merged into what earlier polls left
// (PROTOCOL.md §4.4): hosts are replaced, metrics of hosts that are up
// replaced, nothing removed (that is Expire's job). Birth times are the
// poll time minus the reported TN, so the XML shows TN + the time since
// the poll (§5.2). The summary is the poller's, put into entries that
// persist across polls.
func (g *Grid) SetPolled(name string, r *poller.Report, now time.Time) {
	if r == nil || r.Kind == poller.KindCluster && r.Cluster == nil || r.Kind == poller.KindGrid && r.Grid == nil ||
		r.Kind != poller.KindCluster && r.Kind != poller.KindGrid {
		return
	}
	g.polledMu.Lock()
	defer g.polledMu.Unlock()
	g.mu.RLock()
	p := g.polled[name]
	g.mu.RUnlock()
	if p == nil || p.kind != r.Kind {
		p = &polledSource{name: name, kind: r.Kind, hosts: make(map[string]*polledHost)}
	}
	var src xmlout.Source
	if r.Kind == poller.KindCluster {
		src = g.mergeCluster(p, r)
	} else {
		src = xmlout.Source{Kind: xmlout.Grid, Name: r.Grid.Name, Authority: r.Grid.Authority, LocalTime: r.Grid.LocalTime,
			Summary: g.polledSummary(p, &r.Grid.Summary)}
	}
	names := make(map[string]bool, len(p.hosts))
	for n := range p.hosts {
		names[n] = true
	}
	g.mu.Lock()
	g.polled[name] = p
	p.source, p.dead, p.names, p.lastPoll = src, false, names, now
	g.mu.Unlock()
	g.gen.Add(1)
}

// PolledDead marks the data source called name dead after a failed poll:
// it stays in the output with its last data (its hosts go down as their
// TN grows), and it is left out of the root summary (§4.3).
func (g *Grid) PolledDead(name string, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p := g.polled[name]; p != nil && !p.dead {
		p.dead = true
		g.gen.Add(1)
	}
}

// mergeCluster folds a cluster report into p and renders the source.
func (g *Grid) mergeCluster(p *polledSource, r *poller.Report) xmlout.Source {
	c := r.Cluster
	for i := range c.Hosts {
		h := &c.Hosts[i]
		ph := p.hosts[h.Name]
		if ph == nil {
			ph = &polledHost{metrics: make(map[string]xmlout.Metric)}
			p.hosts[h.Name] = ph
		}
		ph.host = xmlout.Host{Name: h.Name, IP: h.IP, Location: h.Location, Tags: h.Tags, Reported: h.Reported,
			T0: birth(r.Time, h.TN), TMax: u32(h.TMax), DMax: u32(h.DMax), GmondStarted: uint32(h.GmondStarted)}
		if !h.Up {
			continue // gmetad ignores the METRICs of a down host
		}
		for j := range h.Metrics {
			m := &h.Metrics[j]
			x := make([]xmlout.Extra, len(m.Extra))
			for k, e := range m.Extra {
				x[k] = xmlout.Extra{Name: e.Name, Val: e.Val}
			}
			ph.metrics[m.Name] = xmlout.Metric{Name: m.Name, Val: m.Val, Type: m.Type, Units: m.Units, Slope: m.Slope,
				Source: m.Source, TMax: u32(m.TMax), DMax: u32(m.DMax), T0: birth(r.Time, m.TN), Extra: x}
		}
	}
	return xmlout.Source{Kind: xmlout.Cluster, Name: c.Name, Owner: c.Owner, LatLong: c.LatLong, URL: c.URL,
		LocalTime: c.LocalTime, Hosts: p.renderHosts(), Summary: g.polledSummary(p, &c.Summary)}
}

// renderHosts lists p's hosts by name, each with its metrics by name.
func (p *polledSource) renderHosts() []xmlout.Host {
	hosts := make([]xmlout.Host, 0, len(p.hosts))
	for _, ph := range p.hosts {
		h := ph.host
		h.Metrics = make([]xmlout.Metric, 0, len(ph.metrics))
		for _, m := range ph.metrics {
			h.Metrics = append(h.Metrics, m)
		}
		slices.SortFunc(h.Metrics, func(a, b xmlout.Metric) int { return strings.Compare(a.Name, b.Name) })
		hosts = append(hosts, h)
	}
	slices.SortFunc(hosts, func(a, b xmlout.Host) int { return strings.Compare(a.Name, b.Name) })
	return hosts
}

// polledSummary puts one poll's summary into p's persistent entries.
func (g *Grid) polledSummary(p *polledSource, s *poller.Summary) xmlout.Summary {
	tab := &p.sums
	tab.zero()
	tab.up, tab.down = int(s.Up), int(s.Down)
	for i := range s.Metrics {
		m := &s.Metrics[i]
		kind, ok := sumKind(m.Type)
		if !ok {
			continue
		}
		e := tab.entry(m.Name, func() sumEntry {
			return sumEntry{SummaryMetric: xmlout.SummaryMetric{Kind: kind, Precision: m.Precision, Units: m.Units, Slope: m.Slope}}
		})
		e.add(m.Sum, m.Num)
		for _, x := range m.Extra {
			e.addExtra(xmlout.Extra{Name: x.Name, Val: x.Val})
		}
	}
	return tab.summary()
}

// expirePolled deletes, in polled clusters, hosts and metrics whose DMAX
// has passed since their birth time (gmetad's cleanup thread, §4.7).
func (g *Grid) expirePolled(now time.Time) (hosts, metrics int) {
	g.polledMu.Lock()
	defer g.polledMu.Unlock()
	g.mu.RLock()
	var ps []*polledSource
	for _, p := range g.polled {
		if p.kind == poller.KindCluster {
			ps = append(ps, p)
		}
	}
	g.mu.RUnlock()
	for _, p := range ps {
		nh, nm := p.expire(now)
		if nh+nm == 0 {
			continue
		}
		hosts, metrics = hosts+nh, metrics+nm
		g.mu.Lock()
		p.source.Hosts = p.renderHosts()
		for n := range p.names {
			if p.hosts[n] == nil {
				delete(p.names, n)
			}
		}
		g.mu.Unlock()
	}
	return hosts, metrics
}

func (p *polledSource) expire(now time.Time) (hosts, metrics int) {
	past := func(t0 time.Time, dmax uint32) bool { return dmax > 0 && now.Sub(t0) > time.Duration(dmax)*time.Second }
	for name, ph := range p.hosts {
		if past(ph.host.T0, ph.host.DMax) {
			delete(p.hosts, name)
			hosts++
			continue
		}
		for mn, m := range ph.metrics {
			if past(m.T0, m.DMax) {
				delete(ph.metrics, mn)
				metrics++
			}
		}
	}
	return hosts, metrics
}

// birth is gmetad's t0: the poll time minus TN seconds.
func birth(at time.Time, tn int64) time.Time {
	return at.Add(-time.Duration(max(min(tn, math.MaxInt64/int64(time.Second)), 0)) * time.Second)
}

func u32(v int64) uint32 { return uint32(min(max(v, 0), math.MaxUint32)) }
