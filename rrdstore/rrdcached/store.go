package rrdcached

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// Defaults of StoreOptions.
const (
	// DefaultFlushInterval is how long an update may wait in the Store
	// before it goes to the daemon. The daemon holds values far longer
	// (its -w), so this only bounds what a crash of gmetad loses and how
	// late readers going through the daemon (rrdtool --daemon) see them.
	DefaultFlushInterval = time.Second
	// DefaultMaxQueued bounds the updates held while the daemon cannot
	// be reached. An update costs about 150 bytes queued (its line and
	// its file name), so this is about 45 MB: 45 s of an outage at
	// 100,000 files polled every 15 s, minutes at common sizes.
	DefaultMaxQueued = 300_000
	// DefaultCloseTimeout bounds Close when its context has no deadline.
	DefaultCloseTimeout = 10 * time.Second
)

// StoreOptions configures OpenStore; zero fields take the defaults.
type StoreOptions struct {
	// BaseDir is the local path of the daemon's -b directory, normally
	// gmetad's rrd_rootdir (see the package documentation).
	BaseDir string
	// FlushInterval is how long an update may stay queued before it is
	// sent; a full block goes at once. Default DefaultFlushInterval.
	FlushInterval time.Duration
	// MaxQueued caps the updates held (queued or being sent) while the
	// daemon is slow or away; beyond it the oldest blocks are dropped and
	// counted. Default DefaultMaxQueued, at least 2 × BatchLines.
	MaxQueued int
	// BatchLines is the size of a BATCH block. Default DefaultBatchLines.
	BatchLines int
	// Timeout bounds each exchange with the daemon (Options.Timeout).
	Timeout time.Duration
	// Logger receives throttled warnings (refused updates, an unreachable
	// daemon, drops); nil discards them.
	Logger *slog.Logger
}

func (o StoreOptions) withDefaults() StoreOptions {
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.BatchLines <= 0 {
		o.BatchLines = DefaultBatchLines
	}
	if o.MaxQueued <= 0 {
		o.MaxQueued = DefaultMaxQueued
	}
	// The block being sent and the block being filled must both fit, or
	// the cap would drop the newest updates instead of the oldest.
	o.MaxQueued = max(o.MaxQueued, 2*o.BatchLines)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Store sends a persister's RRD updates to rrdcached, the way stock gmetad
// does when RRDCACHED_ADDRESS or rrdcached_address is set, so that sites
// already running the daemon keep it. *Store has the methods Create,
// Update, Flush, FlushAll and Close of *rrdstore.Store with the same
// signatures; a consumer declares the small interface it needs and takes
// either.
//
// Update never waits for the network: it encodes one UPDATE line into a
// bounded in-memory queue, and a background sender delivers the queue in
// BATCH blocks every FlushInterval, or at once when a block is full. Lines
// reach the daemon in the order they were queued. When the daemon cannot
// be reached the sender keeps the block and retries with a growing pause
// (a block whose delivery was cut off is sent again: the daemon refuses the
// lines it already took as "illegal attempt to update", which are counted
// as Duplicates), while further updates queue up to MaxQueued; beyond that
// the oldest blocks are dropped and counted.
//
// The daemon checks only that a file exists and that each time is after
// the last one it accepted; its refusals come back in the BATCH summary,
// are counted, and are logged at most once per file and minute. Bad values
// show only when the daemon writes the file, in its own log (RRD-FORMAT.md
// §5.4), as with stock gmetad.
//
// Paths are local file names, as for rrdstore.Store (relative ones are
// taken from the working directory); they are sent as the Client sends
// them, mapped through BaseDir, so the daemon must serve the directory
// they are in. Each distinct path's daemon name is cached.
//
// A Store is safe for concurrent use.
type Store struct {
	opts     StoreOptions
	data     *Client // the sender's connection, for BATCH blocks
	ctl      *Client // FLUSH and FLUSHALL: a slow write holds up no block
	log      *slog.Logger
	refusals throttle // per file
	notices  throttle // per kind of trouble

	createMu sync.Mutex // one local create at a time

	mu       sync.Mutex
	names    map[string]string // caller's path → escaped daemon name
	queue    []*block          // oldest first; the last one is being filled
	inflight *block            // taken by the sender
	spare    []*block
	lines    int    // lines queued and in flight
	seq      uint64 // number of the last line queued
	flushTo  uint64 // lines up to here go without waiting for a full block
	closing  bool
	changed  chan struct{} // closed and replaced when lines are handled

	kick   chan struct{} // wakes the sender
	abort  chan struct{} // closed when Close gives up
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the sender has returned
	closed atomic.Bool

	// Owned by the sender.
	lastConn  net.Conn
	failing   int
	downSince time.Time

	stats counters
}

type counters struct {
	queued, sent, refused, duplicates, dropped, failures, reconnects atomic.Uint64
	pending                                                          atomic.Int64
}

// OpenStore connects to the daemon at addr ("" means RRDCACHED_ADDRESS,
// and an error matching ErrNoAddress when that is empty too) and starts
// the sender. It connects now, within ctx, so that a wrong address or a
// daemon that is down shows at start-up; later losses are retried. It
// holds two connections: one for the blocks, one for FLUSH.
func OpenStore(ctx context.Context, addr string, opts StoreOptions) (*Store, error) {
	opts = opts.withDefaults()
	copts := Options{Timeout: opts.Timeout, BaseDir: opts.BaseDir}
	data, err := Dial(ctx, addr, copts)
	if err != nil {
		return nil, err
	}
	ctl, err := Dial(ctx, addr, copts)
	if err != nil {
		data.Close()
		return nil, err
	}
	s := &Store{opts: opts, data: data, ctl: ctl, log: opts.Logger,
		refusals: throttle{every: time.Minute, now: time.Now},
		notices:  throttle{every: time.Minute, now: time.Now},
		names:    make(map[string]string), changed: make(chan struct{}),
		kick: make(chan struct{}, 1), abort: make(chan struct{}), done: make(chan struct{}),
		lastConn: data.liveConn()}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.run()
	return s, nil
}

// Create makes the file at path unless it exists, like stock gmetad in
// rrdcached mode: the file is written locally by rrdstore.Create, not
// through the daemon's CREATE, because gmetad decides to create by
// stat()ing the local path, so the daemon must serve these same files
// anyway (its -b is BaseDir). Before the file is written a FORGET for it
// is queued, ahead of any update that follows, so that values or a
// last-update time the daemon still holds for an earlier file of that name
// (deleted meanwhile) neither land in the new one nor refuse its updates;
// librrd's own create does the same when it talks to a daemon.
func (s *Store) Create(path string, spec rrdstore.Spec, opt rrdstore.CreateOptions) error {
	if s.closed.Load() {
		return closedErr(path)
	}
	s.createMu.Lock()
	defer s.createMu.Unlock()
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return closedErr(path)
	}
	dropped, err := s.appendLine("FORGET", path, nil)
	s.mu.Unlock()
	if dropped > 0 {
		s.dropped(dropped, "queue full")
	}
	if err != nil {
		return err
	}
	return rrdstore.Create(path, spec, opt)
}

// Update queues one "UPDATE path args..." line, with args in rrdtool
// syntax ("TIME:v1[:v2]"). It returns an error only for what cannot be
// sent at all (an empty or unencodable field, a line longer than MaxLine,
// over TCP a path outside BaseDir) or after Close; the daemon's verdict
// comes later, in Stats and the log.
func (s *Store) Update(path string, args ...string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: UPDATE %s without values", ErrBadField, path)
	}
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return closedErr(path)
	}
	dropped, err := s.appendLine("UPDATE", path, args)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.stats.queued.Add(1)
	if dropped > 0 {
		s.dropped(dropped, "queue full")
	}
	return nil
}

// Flush sends every update queued before the call, then asks the daemon
// to write path (FLUSH) and returns once the file is on disk, so that
// readers of the file itself see the updates. It waits for the daemon as
// long as ctx allows.
func (s *Store) Flush(ctx context.Context, path string) error {
	if err := s.sendQueued(ctx, path); err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	return s.ctl.Flush(ctx, abs)
}

// FlushAll sends every update queued before the call, then asks the
// daemon to write all it holds (FLUSHALL). The daemon starts the writes
// and answers at once; it offers no way to wait for them.
func (s *Store) FlushAll(ctx context.Context) error {
	if err := s.sendQueued(ctx, ""); err != nil {
		return err
	}
	return s.ctl.FlushAll(ctx)
}

// Close sends everything queued, waiting for the daemon as long as ctx
// allows (DefaultCloseTimeout without a deadline), then closes the
// connections; what could not be sent is counted as dropped and reported.
// It does not make the daemon write its cache to disk: like stock gmetad,
// it leaves that to rrdcached's timers and to its shutdown with -F, and
// the values are in its journal meanwhile if it runs with -j.
func (s *Store) Close(ctx context.Context) error {
	if !s.closed.CompareAndSwap(false, true) {
		return closedErr("")
	}
	s.mu.Lock()
	s.closing = true
	s.flushTo = s.seq
	s.mu.Unlock()
	s.wake()
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultCloseTimeout)
		defer cancel()
	}
	var cause error
	select {
	case <-s.done:
	case <-ctx.Done():
		cause = context.Cause(ctx)
		close(s.abort)
		s.cancel() // interrupts a block in flight, which goes back to the queue
		<-s.done
	}
	s.cancel()
	s.data.Close()
	s.ctl.Close()
	lost := s.discardQueue()
	if lost == 0 {
		return nil
	}
	s.log.Error("rrdcached: updates lost at close", "updates", lost, "err", cause)
	return fmt.Errorf("rrdcached: close: %d updates not sent: %w", lost, cause)
}

// StoreStats are a Store's counters since OpenStore. An update is one
// Update call: one UPDATE line, whatever the number of its arguments.
type StoreStats struct {
	Queued     uint64 // accepted by Update
	Sent       uint64 // delivered in a BATCH the daemon answered (refused ones included)
	Refused    uint64 // refused by the daemon: time not after the last, no such file, ...
	Duplicates uint64 // refused as not after the last in a block sent again after a cut-off delivery: already applied
	Dropped    uint64 // never delivered: over MaxQueued, BATCH refused, or left when Close gave up
	Failures   uint64 // deliveries that failed for want of a working connection
	Reconnects uint64 // connections to the daemon after the first
	Pending    int64  // queued or being sent now
}

// Stats returns the counters.
func (s *Store) Stats() StoreStats {
	c := &s.stats
	return StoreStats{Queued: c.queued.Load(), Sent: c.sent.Load(), Refused: c.refused.Load(),
		Duplicates: c.duplicates.Load(), Dropped: c.dropped.Load(), Failures: c.failures.Load(),
		Reconnects: c.reconnects.Load(), Pending: c.pending.Load()}
}

// closedErr is what a Store returns after Close: the same error as
// rrdstore.Store's, so callers test errors.Is(err, rrdstore.ErrClosed)
// whichever they hold.
func closedErr(path string) error {
	return &rrdstore.Error{Path: path, Kind: rrdstore.ErrClosed}
}
