package rrdstore

import (
	"errors"
	"hash/maphash"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is matched (errors.Is) by what a Store returns after Close.
var ErrClosed = errors.New("rrdstore: store closed")

// Defaults of StoreOptions.
const (
	// DefaultFlushInterval bounds how long an update waits in memory, and so
	// what kill -9 loses (see Store): with gmetad's 15 s step, at most the
	// last reading of each file. A longer interval would batch more
	// readings per file, but with the file kept open and mapped a flush of
	// one reading costs only about 4 µs of CPU (librrd: 25–30 µs per
	// update), while ganglia-web, which reads the files directly, would
	// draw graphs that lag by the interval.
	DefaultFlushInterval = 5 * time.Second
	// DefaultOverflowFlushInterval is OverflowFlushInterval's default in
	// gmetad (the Store's own default is FlushInterval: no switch). A file
	// that does not stay open costs an open, a header read and a close per
	// flush, about 8 µs of CPU (BenchmarkStoreOverflow); a minute of
	// readings per flush spreads that over four 15 s steps, the write-behind
	// of rrdcached -w 60 that large stock sites run.
	DefaultOverflowFlushInterval = 60 * time.Second
	// DefaultMaxPending: a file holding this many queued updates is flushed
	// at once, which bounds both the memory of a fast writer and how long a
	// flush holds the file's lock (about 100 ns per update) against readers.
	DefaultMaxPending = 256
	// maxOpenCeiling caps the default MaxOpen: beyond a few thousand files
	// the gain of a cached descriptor is small next to the kernel memory.
	maxOpenCeiling = 4096
	shardCount     = 64
)

// StoreOptions configures OpenStore; zero fields take the defaults.
type StoreOptions struct {
	// MaxOpen is the most files kept open, each with a descriptor and (on
	// Linux) a mapping. Default: half the soft RLIMIT_NOFILE, a quarter of
	// vm.max_map_count, at most 4096; at least the number of workers.
	MaxOpen int
	// FlushInterval is how long an update may stay queued before the
	// background flusher writes it (plus the flusher's tick, a tenth of it,
	// and the time the workers are behind): what kill -9 may lose. Default
	// DefaultFlushInterval.
	FlushInterval time.Duration
	// OverflowFlushInterval replaces FlushInterval while the Store has
	// been given updates for more files than MaxOpen, so that flushes
	// cannot keep them open. Zero, or less than FlushInterval, means
	// FlushInterval always.
	OverflowFlushInterval time.Duration
	// MaxPending queued updates make a file flush early. Default
	// DefaultMaxPending.
	MaxPending int
	// MaxQueued caps the queue of a file whose flushes fail for a while (a
	// lock held by another process): the oldest updates beyond it are
	// dropped and counted. Default 16 × MaxPending.
	MaxQueued int
	// Workers flush files in parallel. Default GOMAXPROCS.
	Workers int
	// Logger receives throttled warnings about failed updates; nil
	// discards them.
	Logger *slog.Logger
	// Now is the clock for queue ages and for "N" and negative update
	// times; nil means time.Now.
	Now func() time.Time
	// OnError, if set, is called from a flush worker for every failed
	// update call (and every batch dropped or kept back), with no lock of
	// the Store held. It must return quickly and must not call Flush,
	// FlushAll or Close, which wait for the workers.
	OnError func(path string, err error)
}

// Store writes RRD files for a long-running writer such as gmetad. Update
// only queues; flush workers apply each file's queue in one locked
// read-modify-write (lock, re-read the header, apply every update in
// order, write the changed rows and the live header block, unlock) on a
// file kept open, and mapped on Linux, in a bounded LRU (see storeFile).
// The files stay what rrdtool update would have written for the same
// calls in the same order.
//
// Updates are in memory until flushed. Close writes them all: call it on
// SIGTERM. After kill -9 every file still opens in rrdtool, and what is
// lost is the updates queued in the last FlushInterval + FlushInterval/10
// (the flusher's tick, at most 1 s), plus however long the workers were
// behind: 5.5 s with the defaults (OverflowFlushInterval instead of
// FlushInterval for a Store of more files than MaxOpen). A flush cut short by the kill may leave
// some of its rows stored (in the slots of the oldest data, since rows go
// first) and the live block part old, part new, every number whole: the
// file opens, and librrd, which writes through a mapping too, can leave
// the same.
// Written means in the page cache, as with librrd: nothing is fsynced, so
// a crash of the machine can lose what the kernel had not written back.
//
// A Store is safe for concurrent use. Do not write the same files through
// the package-level Update or rrdcached meanwhile: the queue would apply
// after them, and fail as updates in the past.
type Store struct {
	opts   StoreOptions
	now    func() time.Time
	seed   maphash.Seed
	shards [shardCount]shard
	cache  fileCache
	work   workQueue
	log    errLog

	closed      atomic.Bool
	stop        chan struct{} // stops the flusher
	flusherDone chan struct{}
	closeDone   chan struct{} // closed when Close has stopped the workers
	workers     sync.WaitGroup
	flushMu     sync.Mutex    // guards flushed
	flushed     chan struct{} // closed and replaced after flushes while waiters > 0
	waiters     atomic.Int32

	stats storeCounters
	known atomic.Int64 // paths ever given to Update: an entry each
}

// shard holds the entries of 1/shardCount of the paths. Its mutex guards
// the map, the timer queue and every queue field of its entries.
type shard struct {
	mu       sync.Mutex
	files    map[string]*entry
	due      queue[dueItem] // entries with queued updates, oldest first
	createMu sync.Mutex     // serialises Store.Create
}

// dueItem is an entry in a shard's timer queue since at.
type dueItem struct {
	e  *entry
	at time.Time
}

// entry is one file's queue and, while idle, its cached open file.
type entry struct {
	path string
	sh   *shard

	// Guarded by sh.mu.
	pend     []queued
	spare    []queued // the other buffer: flushes swap them
	since    time.Time
	nds      int    // DS count from the last load, 0 if unknown
	started  uint64 // flushes begun
	finished uint64 // flushes finished
	want     uint64 // a waiter needs finished >= want
	busy     bool   // a worker owns the entry: queued for or in a flush
	timed    bool   // in sh.due
	lastErr  error  // of the last flush

	// Guarded by the cache mutex while idle; owned by the worker when busy.
	file       *storeFile
	prev, next *entry
}

// queued is one update argument. at is the queue time for arguments whose
// time depends on it (N, negative), so a late flush applies them as an
// immediate update would have; cont marks the later arguments of one call.
type queued struct {
	arg  string
	at   time.Time
	cont bool
}

type storeCounters struct {
	queued, rejected, applied, failed, dropped atomic.Uint64
	flushes, lockFails, bytes, opens, evicts   atomic.Uint64
	pending                                    atomic.Int64
}

// OpenStore starts a Store: its flush workers and background flusher run
// until Close.
func OpenStore(opts StoreOptions) (*Store, error) {
	if err := abiError(""); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	s := &Store{opts: opts, now: opts.Now, seed: maphash.MakeSeed(), stop: make(chan struct{}),
		flusherDone: make(chan struct{}), closeDone: make(chan struct{}), flushed: make(chan struct{})}
	for i := range s.shards {
		s.shards[i].files = make(map[string]*entry)
	}
	s.cache.init(opts.MaxOpen, &s.stats)
	s.work.init()
	s.log.init(opts.Logger, s.now)
	s.workers.Add(opts.Workers)
	for range opts.Workers {
		go s.worker()
	}
	go s.flusher()
	return s, nil
}

func (s *Store) shardOf(path string) *shard {
	return &s.shards[maphash.String(s.seed, path)%shardCount]
}

func (o StoreOptions) withDefaults() StoreOptions {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxOpen <= 0 {
		o.MaxOpen = min(openFileLimit()/2, mapLimit(), maxOpenCeiling)
	}
	// Each worker holds one file while it flushes: with fewer slots than
	// workers the cache could not stay within MaxOpen.
	o.Workers = max(1, min(o.Workers, o.MaxOpen))
	o.MaxOpen = max(o.MaxOpen, o.Workers)
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	o.OverflowFlushInterval = max(o.OverflowFlushInterval, o.FlushInterval)
	if o.MaxPending <= 0 {
		o.MaxPending = DefaultMaxPending
	}
	if o.MaxQueued < o.MaxPending {
		o.MaxQueued = 16 * o.MaxPending
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// StoreStats are a Store's counters since OpenStore, for /metrics.
type StoreStats struct {
	Queued       uint64 // update arguments accepted by Update
	Rejected     uint64 // refused by Update (DS count) or after Close
	Applied      uint64 // written to their file
	Failed       uint64 // refused at flush time (librrd's errors), or lost by a failed write
	Dropped      uint64 // discarded unapplied: file missing or unreadable, queue over MaxQueued
	Flushes      uint64 // locked read-modify-writes of a file
	LockFailures uint64 // flushes put off because another process held the lock
	BytesWritten uint64 // data rows and live header blocks written (pwrite, or stores into the mapping)
	Opens        uint64 // files opened
	Evictions    uint64 // files closed to stay within MaxOpen
	OpenFiles    int    // descriptors open now
	Pending      int64  // update arguments queued now
}

// Stats returns the counters.
func (s *Store) Stats() StoreStats {
	c := &s.stats
	return StoreStats{Queued: c.queued.Load(), Rejected: c.rejected.Load(), Applied: c.applied.Load(),
		Failed: c.failed.Load(), Dropped: c.dropped.Load(), Flushes: c.flushes.Load(),
		LockFailures: c.lockFails.Load(), BytesWritten: c.bytes.Load(), Opens: c.opens.Load(),
		Evictions: c.evicts.Load(), OpenFiles: s.cache.openCount(), Pending: c.pending.Load()}
}
