package schedule

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// onceAhead is how far stock gmond pushes a collect_once group's next
// collection: a year, which in practice means never again.
const onceAhead = 365 * 24 * time.Hour

// minWait is stock's floor for the next wake-up when something is already
// due: process_collection_groups never schedules into the past.
const minWait = time.Second

// maxPending bounds queued metadata requests; past it the scheduler simply
// resends all metadata, which answers every request at once.
const maxPending = 256

// Metric is one metric entry of a collection_group.
type Metric struct {
	// Name binds the offered metric of exactly that name.
	Name string
	// Match, when not empty, is a Go regular expression (stock name_match)
	// that binds every offered metric whose name it matches; Name is then
	// ignored.
	Match string
	// ValueThreshold, when not negative, sends the whole group at once
	// when a numeric value moves at least this much between two
	// collections. Stock's "disabled" is -1.
	ValueThreshold float64
	// Title is sent as the TITLE extra element. For a Match entry, \1 to
	// \9 are replaced by the submatches of the metric's name, as stock
	// does. Empty sends the metric name, as stock does.
	Title string
}

// Group is one collection_group.
type Group struct {
	// Once collects the group at start-up only (collect_once).
	Once bool
	// Every is collect_every; Threshold is time_threshold, the longest a
	// group goes unsent.
	Every, Threshold time.Duration
	Metrics          []Metric
}

// Options configure a Scheduler.
type Options struct {
	Groups     []Group
	Collectors []metric.Collector
	// SendMetadataInterval re-sends a metric's metadata with its value
	// once the last copy is older than this; 0 sends it only at start and
	// on request.
	SendMetadataInterval time.Duration
	// Host is the sender's host name put in every message (os.Hostname).
	Host string
	// OverrideHostname and OverrideIP are globals.override_*: when
	// OverrideHostname is set every message is spoofed as
	// "OverrideIP:OverrideHostname" (PROTOCOL.md §1.10).
	OverrideHostname, OverrideIP string
	// Send receives every packet, in order. pkt is reused after Send
	// returns, so Send must copy it to keep it.
	Send func(pkt []byte)
	// Logger receives binding, collector and encoding problems; nil
	// discards them.
	Logger *slog.Logger
}

// Stats counts what the scheduler did since New.
type Stats struct {
	Collected uint64 // Collect calls made on collectors
	Sent      uint64 // packets handed to Send
	Metadata  uint64 // metadata packets among Sent
	Errors    uint64 // failed Collect calls and packets that could not be encoded
}

// Scheduler runs the collection groups. Tick, ResetBaselines and Listing
// serialise on one lock; RequestMetadata, ResendMetadata, SetHost and Next
// never wait for a running Tick, so a receive loop may call them while a
// Tick is inside Send.
type Scheduler struct {
	send       func([]byte)
	logger     *slog.Logger
	throttle   *logthrottle.Throttle
	mdInterval time.Duration
	spoof      bool

	mu      sync.Mutex // guards everything below up to pend
	host    string
	missing []string // configured names nothing offered at the last bind, for one log line
	groups  []*group
	colls   []*collState
	offers  []offer
	offIdx  map[string]int
	badDef  map[string]bool // metrics whose type has no value message, logged once
	gen     uint64          // Tick counter; memoises one Collect per collector per Tick
	now     time.Time       // of the running or last Tick
	buf     []byte          // the one packet buffer
	names   []string        // scratch for drained requests

	pend pending

	collected, sent, metadata, errs atomic.Uint64
}

// pending is what other goroutines hand to the next Tick, and what Next
// reads, under a lock that Tick never holds while calling out.
type pending struct {
	mu        sync.Mutex
	known     map[string]struct{} // names bound in some group
	names     []string
	all       bool
	recollect bool
	host      string
	hostSet   bool
	start     time.Time // New's time; Next until the first Tick
	ticked    bool
	last      time.Time // the last Tick's time
	earliest  time.Time // earliest next collect or send after it
}

// group is one collection group's configuration and schedule.
type group struct {
	num         int // 1-based position in the configuration, for logs
	cfg         Group
	entries     []entry
	metrics     []*bound          // send order: entries in order, matches in offer order
	byName      map[string]*bound // metrics by name
	colls       []int             // collectors the group needs, each once
	nextCollect time.Time
	nextSend    time.Time
}

// entry is one configured metric; a Match entry may bind many metrics.
type entry struct {
	cfg     Metric
	re      *regexp.Regexp
	missing bool // "not offered" was logged and still holds
}

// bound is one metric bound to a collector within a group.
type bound struct {
	name    string
	coll    int
	def     metric.Def
	title   string
	md      xdr.Metadata
	vt      float64
	numeric bool

	val    metric.Value // last value read
	hasVal bool
	fresh  bool // val came from the group's last collection

	mdSent time.Time
	mdOK   bool // metadata sent at mdSent
	mdBad  bool // metadata does not encode; not retried until something changes
}

// collState is one collector with what the scheduler knows of it.
type collState struct {
	c        metric.Collector
	name     string
	defs     []metric.Def
	gen      uint64
	readings []metric.Reading
	lastErr  string
}

// offer is one metric a collector offers, first collector first.
type offer struct {
	name string
	coll int
	def  int
}

// New checks opts, binds the configured metrics to the collectors' metrics
// and schedules every group for collection and sending at now, as stock
// gmond does at start-up. It calls Defs on each collector but not Collect.
func New(opts Options, now time.Time) (*Scheduler, error) {
	if opts.Send == nil {
		return nil, errors.New("schedule: Options.Send is nil")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{
		send: opts.Send, logger: logger, mdInterval: opts.SendMetadataInterval,
		host: opts.Host, now: now, badDef: map[string]bool{},
		buf: make([]byte, 0, xdr.MaxPacket),
	}
	s.throttle = logthrottle.New(logger, 10*time.Minute).WithClock(func() time.Time { return s.now })
	if opts.OverrideHostname != "" {
		ip := opts.OverrideIP
		if ip == "" {
			ip = opts.OverrideHostname
		}
		s.host, s.spoof = ip+":"+opts.OverrideHostname, true
	}
	for i, c := range opts.Collectors {
		if c == nil {
			return nil, fmt.Errorf("schedule: collector %d is nil", i)
		}
		s.colls = append(s.colls, &collState{c: c, name: c.Name(), defs: c.Defs()})
	}
	for gi, gc := range opts.Groups {
		g, err := newGroup(gi+1, gc)
		if err != nil {
			return nil, err
		}
		s.groups = append(s.groups, g)
	}
	s.pend.start = now
	s.bind(true)
	return s, nil
}

func newGroup(num int, gc Group) (*group, error) {
	g := &group{num: num, cfg: gc}
	for mi, m := range gc.Metrics {
		e := entry{cfg: m}
		switch {
		case m.Match != "":
			re, err := regexp.Compile(m.Match)
			if err != nil {
				return nil, fmt.Errorf("schedule: collection_group %d metric %d: name_match: %w", num, mi+1, err)
			}
			if err := checkTitle(m.Title, re.NumSubexp()); err != nil {
				return nil, fmt.Errorf("schedule: collection_group %d metric %d: title: %w", num, mi+1, err)
			}
			e.re = re
		case m.Name == "":
			return nil, fmt.Errorf("schedule: collection_group %d metric %d: no name or name_match", num, mi+1)
		}
		g.entries = append(g.entries, e)
	}
	return g, nil
}

// Next returns when Tick should run next: the earliest next collection or
// send of any group. Before the first Tick that is New's time (everything
// is due at start-up). When something is already due, such as a metadata
// request, it is the last Tick's time plus one second, never earlier: stock
// gmond's floor, which also bounds how often requests can make it send.
func (s *Scheduler) Next() time.Time {
	p := &s.pend
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ticked {
		return p.start
	}
	if len(p.names) > 0 || p.all || !p.earliest.After(p.last) {
		return p.last.Add(minWait)
	}
	return p.earliest
}

// Stats returns the counters; safe to call at any time.
func (s *Scheduler) Stats() Stats {
	return Stats{
		Collected: s.collected.Load(), Sent: s.sent.Load(),
		Metadata: s.metadata.Load(), Errors: s.errs.Load(),
	}
}
