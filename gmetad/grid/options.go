package grid

import (
	"log/slog"
	"net/netip"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
)

// Options configure a Grid. Start from DefaultOptions: in the zero value
// every window and history is zero (no conflicts, no moves remembered, no
// snapshot cache).
type Options struct {
	// GridName and Authority are gmetad.conf gridname and authority: our
	// GRID element's NAME and AUTHORITY.
	GridName, Authority string

	// Cluster is the template of every cluster's State (host_tmax,
	// host_dmax, hostname_from_packet, limits, tags). Its Namer is
	// replaced: the grid names new hosts with Namer below.
	Cluster cluster.Options

	// ConflictWindow is lpm_conflict_window: how recent both the owner's
	// last packet and the host's last move or conflict must be for a
	// packet from another cluster to be a conflict instead of a move.
	ConflictWindow time.Duration

	// MoveHistory is move_history: how many moves, and how many conflict
	// events, are remembered.
	MoveHistory int

	// Unsummarized are unsummarized_metrics prefixes and SkipSflowVM is
	// unsummarized_sflow_vm_metrics: as in stock gmetad 3.7.2 they only
	// keep summary RRDs from being written (see Grid.Unsummarized); the
	// XML summaries list those metrics. Summarized is summarized_metrics:
	// when set, only these names are added to the root summary.
	Unsummarized, Summarized []string
	SkipSflowVM              bool

	// SnapshotMaxAge is how long Snapshot may hand out the same view, so
	// that many XML clients share one build. A move, a cluster change or
	// a poll result ends it at once. Zero builds a view per call.
	SnapshotMaxAge time.Duration

	// Logger receives moves (Info) and conflicts (Warn, one line per host
	// and ConflictWindow). nil discards.
	Logger *slog.Logger

	// Namer names a new host from its source address (reverse DNS, see
	// cluster.NewNamer). It is called without any lock held, once per new host.
	// nil names hosts by their IP text.
	Namer func(netip.Addr) string
}

// Defaults of the ganglia-lpm directives that Options carry.
const (
	DefaultConflictWindow = 60 * time.Second
	DefaultMoveHistory    = 1000
	DefaultSnapshotMaxAge = time.Second
)

// DefaultOptions returns the options of gmetad's default configuration:
// stock gmond's collector defaults for every cluster, a 60 s conflict
// window, 1000 moves remembered and a 1 s snapshot cache.
func DefaultOptions() Options {
	return Options{
		GridName:       "unspecified",
		Cluster:        cluster.DefaultOptions(),
		ConflictWindow: DefaultConflictWindow,
		MoveHistory:    DefaultMoveHistory,
		SnapshotMaxAge: DefaultSnapshotMaxAge,
	}
}

// ClusterSpec is one cluster the grid receives on its own UDP port: a
// managed system of the mapping (mapping.ClusterPort). Owner, LatLong and
// URL are printed in the CLUSTER element; empty prints "unspecified".
type ClusterSpec struct {
	Name                string
	Port                int
	Owner, LatLong, URL string
}

// ClusterChange is one thing SetClusters changed, for the log.
type ClusterChange struct {
	Kind ChangeKind
	Port int
	// Name is the cluster's name after the change; OldName and OldPort
	// are set for renames and port changes.
	Name    string
	OldName string
	OldPort int
	Hosts   int // hosts the cluster holds
}

// ChangeKind says what SetClusters did with one cluster.
type ChangeKind string

// The changes SetClusters reports.
const (
	ClusterAdded       ChangeKind = "added"        // a new port, with a new empty cluster
	ClusterRestored    ChangeKind = "restored"     // a detached cluster is back, hosts and all
	ClusterRenamed     ChangeKind = "renamed"      // same port, new name: same hosts
	ClusterPortChanged ChangeKind = "port_changed" // same name, new port: same hosts
	ClusterRemoved     ChangeKind = "removed"      // out of the output; its hosts are kept detached
)

// HandleResult is what Handle did with one packet. The embedded
// cluster.Result says what the cluster did with it (nothing when the
// packet was refused here); NeedMetadata with Request asks the caller to
// send an xdr metadata request back to the packet's source address and
// port, as a stock collector does (PROTOCOL.md §1.7).
type HandleResult struct {
	cluster.Result
	Cluster string // the cluster that took the packet ("" when refused)
	// NoCluster is set when no cluster listens on the port.
	NoCluster bool
	// Conflict is set when the packet was dropped because another cluster
	// holds the host and is still hearing it (see the package doc).
	Conflict bool
	// Moved is set when the packet moved its host here; MovedFrom names
	// the cluster it came from.
	Moved     bool
	MovedFrom string
}

// Move is one host moving between clusters.
type Move struct {
	Time time.Time `json:"time"`
	Host string    `json:"host"` // HOST NAME
	Key  string    `json:"key"`  // HOST IP after the move
	// OldKey is set when the host came back under another address.
	OldKey string `json:"old_key,omitempty"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// Conflict is one conflict event: packets for a host that another cluster
// holds and still hears. Packets arriving within ConflictWindow of First
// for the same host and clusters are counted into one event.
type Conflict struct {
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Host  string    `json:"host"`
	Key   string    `json:"key"` // the key of the refused packets
	// Owner keeps the host; Refused is the cluster whose packets were
	// dropped.
	Owner   string `json:"owner"`
	Refused string `json:"refused"`
	Packets uint64 `json:"packets"`
}

// Stats are the grid's counters.
type Stats struct {
	Clusters []ClusterStats // by name; detached clusters too
	Polled   []PolledStats  // by data source name
	// Moves and Conflicts count every move and every packet refused as a
	// conflict; NoCluster the packets for a port without a cluster.
	Moves, Conflicts, NoCluster uint64
}

// ClusterStats are one cluster's counters: its State's (packets by kind,
// drops by reason, hosts and metrics held) and the LPM ones.
type ClusterStats struct {
	Name     string
	Port     int
	Detached bool // its port is no longer configured
	cluster.Stats
	MovesIn, MovesOut uint64
	// Conflicts counts the packets this cluster's port received for a
	// host another cluster keeps.
	Conflicts uint64
}

// PolledStats describe one polled data source.
type PolledStats struct {
	Name     string // data source name
	Source   string // CLUSTER or GRID NAME it reported
	Kind     string // "cluster" or "grid"
	Dead     bool
	Hosts    int
	LastPoll time.Time
}
