package grid

import (
	"cmp"
	"slices"
	"time"
)

// Expire runs every cluster's expiry (stock gmond's cleanup_data: hosts
// past host_dmax, metrics past their dmax; detached clusters too, so their
// hosts do not stay forever) and gmetad's cleanup of polled clusters, and
// drops expired hosts from the index. The caller calls it every
// cleanup_threshold. It returns the hosts and metrics removed.
func (g *Grid) Expire(now time.Time) (hosts, metrics int) {
	hosts, metrics = g.expirePolled(now)
	g.mu.Lock()
	defer g.mu.Unlock()
	changed := hosts+metrics > 0
	var shrunk []*clusterEntry
	for _, e := range g.clusters {
		nh, nm := e.state.Expire(now)
		hosts, metrics = hosts+nh, metrics+nm
		changed = changed || nh+nm > 0
		if nh > 0 {
			shrunk = append(shrunk, e)
		}
	}
	g.unindexGone(shrunk)
	g.dropEmptyDetached()
	if changed {
		g.gen.Add(1)
	}
	return hosts, metrics
}

// unindexGone drops from the index the hosts the clusters in shrunk no
// longer hold.
func (g *Grid) unindexGone(shrunk []*clusterEntry) {
	if len(shrunk) == 0 {
		return
	}
	live := make(map[*clusterEntry]map[string]bool, len(shrunk))
	for _, e := range shrunk {
		keys := e.state.Keys()
		live[e] = make(map[string]bool, len(keys))
		for _, k := range keys {
			live[e][k] = true
		}
	}
	for k, h := range g.keys {
		if set, ok := live[h.owner]; ok && !set[k] {
			g.unindex(h)
		}
	}
}

// Stats returns the grid's counters.
func (g *Grid) Stats() Stats {
	g.mu.RLock()
	defer g.mu.RUnlock()
	st := Stats{Moves: g.nMoves, Conflicts: g.nConflict, NoCluster: g.noCluster.Load()}
	for _, e := range g.clusters {
		st.Clusters = append(st.Clusters, ClusterStats{Name: e.spec.Name, Port: e.spec.Port, Detached: e.detached,
			Stats: e.state.Stats(), MovesIn: e.movesIn, MovesOut: e.movesOut, Conflicts: e.conflicts})
	}
	slices.SortFunc(st.Clusters, func(a, b ClusterStats) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Port, b.Port))
	})
	for _, p := range g.polled {
		st.Polled = append(st.Polled, PolledStats{Name: p.name, Source: p.source.Name, Kind: string(p.kind),
			Dead: p.dead, Hosts: len(p.names), LastPoll: p.lastPoll})
	}
	slices.SortFunc(st.Polled, func(a, b PolledStats) int { return cmp.Compare(a.Name, b.Name) })
	return st
}
