package grid

import (
	"cmp"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
)

// GridDump is the grid's state for the state file: every cluster's hosts
// (detached clusters too), the move history and the conflict events.
// Polled sources are not kept: the next poll brings them back. It marshals
// to JSON; host dumps keep their bytes (see cluster.HostDump), the host
// names in moves and conflicts are informational and go through JSON as
// plain strings.
type GridDump struct {
	Clusters  []ClusterDump `json:"clusters"`
	Moves     []Move        `json:"moves,omitempty"`
	Conflicts []Conflict    `json:"conflicts,omitempty"`
}

// ClusterDump is one cluster of a GridDump.
type ClusterDump struct {
	Name     string             `json:"name"`
	Port     int                `json:"port"`
	Detached bool               `json:"detached,omitempty"`
	Hosts    []cluster.HostDump `json:"hosts"`
}

// Export returns the grid's state, clusters by name.
func (g *Grid) Export() GridDump {
	g.mu.RLock()
	defer g.mu.RUnlock()
	d := GridDump{Moves: g.moves.all()}
	for _, ev := range g.conflicts.all() {
		d.Conflicts = append(d.Conflicts, *ev)
	}
	for _, e := range g.clusters {
		d.Clusters = append(d.Clusters, ClusterDump{Name: e.spec.Name, Port: e.spec.Port, Detached: e.detached,
			Hosts: e.state.Export()})
	}
	slices.SortFunc(d.Clusters, func(a, b ClusterDump) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Port, b.Port))
	})
	return d
}

// Import loads a state file's dump, normally right after SetClusters and
// before the receivers start. Clusters are matched by name (the mapping
// may have given them new ports; Q8: a cluster is its name): a dumped
// cluster that is configured under its name gets its hosts back; one that
// is not becomes detached, so its hosts keep their metadata and history if
// they show up on another port. A host found twice (in the dump, or
// already in the grid) is kept where it was heard from last. Hosts past
// host_dmax at now are left out (cluster.State.Import). It returns the
// number of hosts imported.
func (g *Grid) Import(d GridDump, now time.Time) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := 0
	for i := range d.Clusters {
		cd := &d.Clusters[i]
		e := g.importTarget(cd)
		for j := range cd.Hosts {
			if g.importHost(e, &cd.Hosts[j], now) {
				n++
			}
		}
	}
	g.dropEmptyDetached()
	g.moves.reset(d.Moves)
	evs := make([]*Conflict, len(d.Conflicts))
	for i := range d.Conflicts {
		ev := d.Conflicts[i]
		evs[i] = &ev
	}
	g.conflicts.reset(evs)
	g.noteChanges(d.Moves, d.Conflicts)
	g.gen.Add(1)
	return n
}

// importTarget finds or makes the cluster a dumped cluster goes into.
func (g *Grid) importTarget(cd *ClusterDump) *clusterEntry {
	var detached *clusterEntry
	for _, e := range g.clusters {
		switch {
		case e.spec.Name != cd.Name:
		case !e.detached:
			return e
		case e.spec.Port == cd.Port:
			detached = e
		}
	}
	if detached == nil {
		detached = &clusterEntry{spec: ClusterSpec{Name: cd.Name, Port: cd.Port}, state: g.newState(), detached: true}
		g.clusters = append(g.clusters, detached)
	}
	return detached
}

// importHost adds one dumped host to e, unless a newer record of its key
// is elsewhere.
func (g *Grid) importHost(e *clusterEntry, hd *cluster.HostDump, now time.Time) bool {
	if h := g.keys[hd.Key]; h != nil && h.owner != e {
		heard, _ := h.owner.state.LastHeard(h.key)
		if !hd.LastHeard.After(heard) {
			return false
		}
		h.owner.state.Take(h.key)
		g.unindex(h)
	}
	if e.state.Import([]cluster.HostDump{*hd}, now) == 0 {
		return false
	}
	if g.keys[hd.Key] == nil {
		name := hd.Name
		if name == "" {
			name = hd.Key
		}
		g.index(&hostEntry{key: hd.Key, name: name, owner: e})
	}
	return true
}
