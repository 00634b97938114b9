package cluster

import (
	"slices"
	"strings"
	"sync"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// State is one cluster as a stock collector gmond keeps it: hosts keyed by
// IP text (or spoofed IP), each with its metrics' last metadata and last
// value. It is safe for concurrent use. One mutex guards everything, but the
// readers (WriteXML, Range) take it once per host, never for the whole
// cluster, so a slow XML client does not stall the receive path.
//
// Hosts are kept sorted by (name, key) and a host's metrics by their stored
// name: WriteXML and Range use that order. It is stable, unlike stock's hash
// order, but consumers must not depend on any order (PROTOCOL.md §3.3).
type State struct {
	opts Options

	mu      sync.Mutex
	hosts   map[string]*HostRecord // by key
	order   []*HostRecord          // sorted by (name, key)
	metrics int                    // metric entries over all hosts
	stats   counters
	nameBuf []byte // sanitised-name scratch, under mu
}

// HostRecord is everything a State holds about one host: identity, last
// heard time, location, heartbeat and every metric with its metadata. Take
// hands one out and Put takes it back (into the same or another State); in
// between it belongs to the caller, who must not use it after Put.
type HostRecord struct {
	key  string // table key and XML IP: source IP text or spoofed IP
	name string // XML NAME, decided once at creation

	lastHeard   int64 // unix ns of the last accepted packet
	location    string
	hasLocation bool
	locTime     int64
	started     int64 // GMOND_STARTED
	startedTime int64

	metrics map[string]*metric
	order   []*metric // sorted by key
}

// Key returns the host's table key, printed as the HOST IP attribute: the
// source address text, or the IP part of a spoof string.
func (h *HostRecord) Key() string { return h.key }

// Name returns the host's name, printed as the HOST NAME attribute.
func (h *HostRecord) Name() string { return h.name }

// metric is what stock keeps in a host's two hash tables under one name:
// the last metadata and the last value.
type metric struct {
	key    string // stored name: after the ':'→'_' of non-spoofed names (Q2)
	name   string // printed NAME: key up to a spoof name's second part (§1.10)
	hidden bool   // heartbeat or location: never printed (§2.8)

	meta     *metadata // nil until a gmetadata_full arrived; never mutated
	metaTime int64

	hasValue bool
	id       xdr.MsgID
	val      []byte // rendered VAL, unescaped; rewritten in place
	num      float64
	numeric  bool
	valTime  int64
}

// metadata is a stored gmetadata_full. It is immutable once stored, so views
// may share it; a new message replaces it wholesale.
type metadata struct {
	typ, units string
	slope      xdr.Slope
	tmax, dmax uint32
	extra      []xdr.Extra // wire order
}

// counters are the Stats the receive path updates, under State.mu.
type counters struct {
	metadata, values, requests uint64
	dropped                    [NumDrops]uint64
}

// New returns an empty cluster state.
func New(opts Options) *State {
	return &State{opts: opts.withDefaults(), hosts: make(map[string]*HostRecord)}
}

// Options returns the options the state runs with, limits filled in.
func (s *State) Options() Options { return s.opts }

func newHost(key, name string) *HostRecord {
	return &HostRecord{key: key, name: name, metrics: make(map[string]*metric)}
}

// compareHosts orders hosts by name, then key (names may repeat, §2.5).
func compareHosts(a, b *HostRecord) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return strings.Compare(a.key, b.key)
}

// insertHost adds h to the table; the caller holds mu.
func (s *State) insertHost(h *HostRecord) {
	s.hosts[h.key] = h
	i, _ := slices.BinarySearchFunc(s.order, h, compareHosts)
	s.order = slices.Insert(s.order, i, h)
	s.metrics += len(h.metrics)
}

// removeHost deletes h from the table; the caller holds mu.
func (s *State) removeHost(h *HostRecord) {
	delete(s.hosts, h.key)
	if i, ok := slices.BinarySearchFunc(s.order, h, compareHosts); ok {
		s.order = slices.Delete(s.order, i, i+1)
	}
	s.metrics -= len(h.metrics)
}

func compareMetrics(a, b *metric) int { return strings.Compare(a.key, b.key) }

// addMetric files mt under h.
func (h *HostRecord) addMetric(mt *metric) {
	h.metrics[mt.key] = mt
	i, _ := slices.BinarySearchFunc(h.order, mt, compareMetrics)
	h.order = slices.Insert(h.order, i, mt)
}

func newMetric(key string) *metric {
	name := displayName(key)
	return &metric{
		key:    key,
		name:   name,
		hidden: strings.EqualFold(name, "heartbeat") || strings.EqualFold(name, "location"),
	}
}

// displayName is the NAME gmond prints for a stored name. Spoofed names
// "X:Y" print as X: get_metric_names splits at the first ':' that is not the
// first character. Non-spoofed names had their ':' replaced, so the rule
// needs no spoof flag.
func displayName(key string) string {
	if len(key) > 1 {
		if i := strings.IndexByte(key[1:], ':'); i >= 0 {
			return key[:i+1]
		}
	}
	return key
}

// visible reports whether gmond prints mt: it needs both a metadata and a
// value message, and is not heartbeat or location.
func (mt *metric) visible() bool { return mt.meta != nil && mt.hasValue && !mt.hidden }

// Stats are a State's counters.
type Stats struct {
	// Metadata, Values and Requests count the packets Apply accepted, by
	// kind: gmetadata_full, the seven value messages, gmetadata_request.
	Metadata, Values, Requests uint64
	// Dropped counts the packets Apply refused, indexed by Drop.
	Dropped [NumDrops]uint64
	// Hosts and Metrics are the entries held now. Metrics counts every
	// stored name, also those not printed (heartbeat, location, a value
	// still waiting for its metadata).
	Hosts, Metrics int
}

// Stats returns the state's counters.
func (s *State) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Stats{
		Metadata: s.stats.metadata, Values: s.stats.values, Requests: s.stats.requests,
		Dropped: s.stats.dropped, Hosts: len(s.hosts), Metrics: s.metrics,
	}
}

// Drop says why Apply refused a packet.
type Drop uint8

// The reasons Apply drops a packet. Stock gmond has only the first two
// (counted as "ignored" and "failed"); the limits are ours.
const (
	DropNone           Drop = iota // accepted
	DropUnknownID                  // not one of the ids 128–136
	DropBadSource                  // no valid source address for a non-spoofed packet
	DropBadSpoof                   // spoof set, host not "IP:name" (§1.10)
	DropNameTooLong                // host or metric name longer than MaxNameLen
	DropTooManyHosts               // would create a host past MaxHosts
	DropTooManyMetrics             // would create a metric past MaxMetricsPerHost
	DropOversize                   // more data than one datagram can carry
	NumDrops                       // number of Drop values
)

var dropNames = [NumDrops]string{
	"none", "unknown_id", "bad_source", "bad_spoof", "name_too_long", "too_many_hosts", "too_many_metrics", "oversize",
}

// String returns the reason in snake_case, for logs and metrics.
func (d Drop) String() string {
	if d < NumDrops {
		return dropNames[d]
	}
	return "unknown"
}
