package grid

import (
	"cmp"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Grid is gmetad's whole state: one cluster per managed-system port, the
// polled data sources, the index of which cluster holds which host, the
// move and conflict history, and the summaries. It is safe for concurrent
// use and starts no goroutines.
//
// Locking: mu guards the cluster table and the host index. Packets for a
// host in the cluster of their own port (all but a handful) take it shared
// and go straight to that cluster's State, which has its own lock, so
// ports are handled in parallel. New hosts, moves, conflicts, expiry and
// configuration take it exclusively. Snapshot builds hold snapMu and read
// the States without mu.
type Grid struct {
	opts       Options
	log        *slog.Logger
	maxNameLen int

	mu        sync.RWMutex
	ports     map[int]*clusterEntry // configured clusters by port
	clusters  []*clusterEntry       // configured and detached
	keys      map[string]*hostEntry // every UDP host by key
	names     map[string][]*hostEntry
	polled    map[string]*polledSource // by data source name
	moves     ring[Move]
	conflicts ring[*Conflict]
	nMoves    uint64
	nConflict uint64
	// pendingAddr and pendingName carry the name the grid chose for a new
	// host into its State's Namer; set and read under mu held exclusively.
	pendingAddr netip.Addr
	pendingName string

	polledMu sync.Mutex // serialises SetPolled and the polled part of Expire

	noCluster atomic.Uint64
	gen       atomic.Uint64 // bumped by every change the XML must show at once

	snapMu  sync.Mutex
	snap    *xmlout.Snapshot
	snapAt  time.Time
	snapGen uint64
	builds  uint64
	extras  map[*xdr.Extra]*extraMemo
	root    sumTable
}

// clusterEntry is one cluster: its State survives renames, port changes
// and removal (then it is detached: out of the output, hosts kept).
type clusterEntry struct {
	spec     ClusterSpec
	state    *cluster.State
	detached bool

	movesIn, movesOut, conflicts uint64 // under Grid.mu held exclusively

	// the snapshot builder's, under snapMu
	sums  sumTable
	names map[string]*nameInfo
	hosts map[string]*hostMemo
}

// hostEntry is the index record of one UDP host.
type hostEntry struct {
	key, name  string
	owner      *clusterEntry
	lastChange int64     // unix ns of the last move or conflict, 0 if none
	event      *Conflict // the latest conflict event, counted into
}

// New returns a grid with no clusters; call SetClusters.
func New(opts Options) *Grid {
	g := &Grid{
		opts:   opts,
		log:    opts.Logger,
		ports:  make(map[int]*clusterEntry),
		keys:   make(map[string]*hostEntry),
		names:  make(map[string][]*hostEntry),
		polled: make(map[string]*polledSource),
		extras: make(map[*xdr.Extra]*extraMemo),
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	g.maxNameLen = opts.Cluster.MaxNameLen
	if g.maxNameLen <= 0 {
		g.maxNameLen = cluster.DefaultMaxNameLen
	}
	g.moves.max = max(opts.MoveHistory, 0)
	g.conflicts.max = g.moves.max
	return g
}

// newState makes a cluster's State from the template. Its Namer hands out
// the name Handle chose before taking the lock (reverse DNS must not run
// under it); Handle only lets a State create hosts under mu held
// exclusively, with pendingAddr set.
func (g *Grid) newState() *cluster.State {
	o := g.opts.Cluster
	o.Namer = func(ip netip.Addr) string {
		if ip == g.pendingAddr {
			return g.pendingName
		}
		return ""
	}
	return cluster.New(o)
}

// SetClusters makes specs the configured clusters (gmetad start and every
// mapping reload) and returns what changed. A cluster is known by its
// port first: a port already configured, or detached, keeps its State and
// hosts even when its name changed. A new port whose name belongs to a
// cluster that lost its port takes that cluster over (a managed system
// given a new port). Any other new port gets an empty cluster. Ports no
// longer in specs are detached: they leave the output, but their hosts
// stay indexed, so a host that shows up on another port moves there with
// its metadata at once (no conflict: a detached port hears nothing), and
// re-adding the port restores the cluster.
func (g *Grid) SetClusters(specs []ClusterSpec) []ClusterChange {
	g.mu.Lock()
	defer g.mu.Unlock()
	specs = slices.Clone(specs)
	slices.SortFunc(specs, func(a, b ClusterSpec) int { return cmp.Compare(a.Port, b.Port) })
	r := reload{claimed: make(map[*clusterEntry]bool), next: make(map[int]*clusterEntry, len(specs)),
		wanted: make(map[int]bool, len(specs))}
	for _, sp := range specs {
		r.wanted[sp.Port] = true
	}
	var unmatched []ClusterSpec
	for _, sp := range specs { // by port: configured, then detached
		e := g.ports[sp.Port]
		if e == nil {
			e = g.find(r.claimed, func(e *clusterEntry) bool { return e.detached && e.spec.Port == sp.Port })
		}
		if e == nil {
			unmatched = append(unmatched, sp)
			continue
		}
		r.claim(e, sp)
		r.changes = g.reuse(r.changes, e, sp)
	}
	for _, sp := range unmatched {
		g.claimByName(&r, sp)
	}
	for _, e := range g.clusters {
		if !r.claimed[e] && !e.detached {
			e.detached = true
			r.changes = append(r.changes, ClusterChange{Kind: ClusterRemoved, Port: e.spec.Port, Name: e.spec.Name,
				Hosts: e.state.Stats().Hosts})
		}
	}
	g.ports = r.next
	g.dropEmptyDetached()
	g.gen.Add(1)
	return r.changes
}

// reload is SetClusters' work in progress.
type reload struct {
	wanted  map[int]bool // the ports of the new specs
	claimed map[*clusterEntry]bool
	next    map[int]*clusterEntry
	changes []ClusterChange
}

func (r *reload) claim(e *clusterEntry, sp ClusterSpec) {
	r.claimed[e], r.next[sp.Port] = true, e
}

// claimByName gives a new port the cluster of its name whose port went
// away, or a new cluster.
func (g *Grid) claimByName(r *reload, sp ClusterSpec) {
	e := g.find(r.claimed, func(e *clusterEntry) bool {
		return e.spec.Name == sp.Name && (e.detached || !r.wanted[e.spec.Port])
	})
	if e == nil {
		e = &clusterEntry{state: g.newState()}
		g.clusters = append(g.clusters, e)
		r.changes = append(r.changes, ClusterChange{Kind: ClusterAdded, Port: sp.Port, Name: sp.Name})
	} else {
		r.changes = append(r.changes, ClusterChange{Kind: ClusterPortChanged, Port: sp.Port, Name: sp.Name,
			OldPort: e.spec.Port, Hosts: e.state.Stats().Hosts})
	}
	e.spec, e.detached = sp, false
	r.claim(e, sp)
}

// find returns the first unclaimed cluster that ok accepts.
func (g *Grid) find(claimed map[*clusterEntry]bool, ok func(*clusterEntry) bool) *clusterEntry {
	for _, e := range g.clusters {
		if !claimed[e] && ok(e) {
			return e
		}
	}
	return nil
}

// reuse gives e, found by port, the spec sp and reports the change.
func (g *Grid) reuse(changes []ClusterChange, e *clusterEntry, sp ClusterSpec) []ClusterChange {
	old := e.spec
	ch := ClusterChange{Port: sp.Port, Name: sp.Name, Hosts: e.state.Stats().Hosts}
	if old.Name != sp.Name {
		ch.Kind, ch.OldName = ClusterRenamed, old.Name
	}
	if e.detached {
		ch.Kind = ClusterRestored
	}
	e.spec, e.detached = sp, false
	if ch.Kind != "" {
		changes = append(changes, ch)
	}
	return changes
}

// dropEmptyDetached forgets detached clusters that hold no host any more.
func (g *Grid) dropEmptyDetached() {
	g.clusters = slices.DeleteFunc(g.clusters, func(e *clusterEntry) bool {
		return e.detached && e.state.Stats().Hosts == 0
	})
}

// Clusters returns the configured clusters, by port.
func (g *Grid) Clusters() []ClusterSpec {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]ClusterSpec, 0, len(g.ports))
	for _, e := range g.ports {
		out = append(out, e.spec)
	}
	slices.SortFunc(out, func(a, b ClusterSpec) int { return cmp.Compare(a.Port, b.Port) })
	return out
}

// Locate returns the names of the clusters that list a host named name:
// normally one; a polled cluster may list it too.
func (g *Grid) Locate(name string) []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	var out []string
	for _, h := range g.names[name] {
		if !h.owner.detached {
			out = append(out, h.owner.spec.Name)
		}
	}
	for _, p := range g.polled {
		if p.hasHost(name) {
			out = append(out, p.source.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ring keeps the last max items.
type ring[T any] struct {
	max   int
	items []T
	start int
}

func (r *ring[T]) push(v T) {
	switch {
	case r.max <= 0:
	case len(r.items) < r.max:
		r.items = append(r.items, v)
	default:
		r.items[r.start] = v
		r.start = (r.start + 1) % r.max
	}
}

// all returns the items, oldest first.
func (r *ring[T]) all() []T {
	out := make([]T, 0, len(r.items))
	out = append(out, r.items[r.start:]...)
	return append(out, r.items[:r.start]...)
}

func (r *ring[T]) reset(items []T) {
	r.items, r.start = nil, 0
	if r.max <= 0 {
		return
	}
	if len(items) > r.max {
		items = items[len(items)-r.max:]
	}
	r.items = slices.Clone(items)
}
