package persist

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// ErrClosed is returned by Sync and Close after Close.
var ErrClosed = errors.New("persist: closed")

// Writer is the RRD backend: *rrdstore.Store, or a store that sends the
// updates to rrdcached. Create must leave an existing file alone. Update
// may keep the argument strings but must not keep the args slice, which
// the persister reuses (like io.Writer's p).
type Writer interface {
	Create(path string, spec rrdstore.Spec, opt rrdstore.CreateOptions) error
	Update(path string, args ...string) error
	FlushAll(ctx context.Context) error
	Close(ctx context.Context) error
}

// Defaults of Options.
const (
	// DefaultStep is gmetad's data_source interval when none is given,
	// and the step of our own UDP clusters.
	DefaultStep = 15 * time.Second
	// rootStep is the step of root summary files whatever the poll
	// intervals (PROTOCOL.md §7 Q9).
	rootStep = 15
	// maxQueueLen bounds the snapshots waiting for the worker: each holds
	// the whole grid, so a backlog would cost memory and only delay the
	// newest data further.
	maxQueueLen = 2
	// logEvery is the period of the throttled warnings.
	logEvery = time.Minute
)

// Options configure New. Writer and one of Root and Tree are required.
type Options struct {
	// Root is the rrd_rootdir; the persister opens a Tree on it with
	// TreeOptions and closes it in Close. Ignored when Tree is set.
	Root string
	// TreeOptions are used to open the tree on Root; nil means
	// rrdstore.DefaultTreeOptions() (LPARS, case-sensitive host names).
	TreeOptions *rrdstore.TreeOptions
	// Tree is a tree the caller opened and keeps (and closes).
	Tree *rrdstore.Tree
	// Writer creates and updates the files; Close closes it.
	Writer Writer
	// Step is the step of new host and cluster summary files: the
	// data_source interval. Default DefaultStep.
	Step time.Duration
	// StepOf, if set, gives the step of a source by its CLUSTER or GRID
	// NAME (a polled data_source with its own interval); 0 means Step.
	StepOf func(source string) time.Duration
	// RRAs of new files (gmetad.conf RRAs); nil means rrdstore.GmetadRRAs.
	RRAs []rrdstore.RRA
	// Unsummarized are gmetad.conf unsummarized_metrics: metric names
	// starting with one of them get no summary files.
	Unsummarized []string
	// QueueLen is how many snapshots may wait while the worker is busy: 1
	// (the default) or 2. When full, the oldest waiting one is dropped.
	QueueLen int
	// Logger receives throttled warnings; nil discards them.
	Logger *slog.Logger
	// Now is the clock for step durations and log throttling; nil means
	// time.Now.
	Now func() time.Time
}

// Persister writes snapshots into the RRD tree from one background worker.
// Its methods are safe for concurrent use.
type Persister struct {
	opts    Options
	tree    *rrdstore.Tree
	ownTree bool
	log     *logthrottle.Throttle
	w       *worker // owned by the worker goroutine

	mu      sync.Mutex
	waiting []job
	seq     uint64        // jobs accepted
	done    uint64        // highest seq finished
	doneCh  chan struct{} // closed and replaced whenever done advances
	closed  bool

	wake   chan struct{} // capacity 1: "look at waiting"
	exited chan struct{} // closed when the worker returns
	abort  atomic.Bool   // Close's context ended: stop between hosts

	stats counters
}

// job is one snapshot handed to Persist.
type job struct {
	snap *xmlout.Snapshot
	now  time.Time // the step's time: TN, DMAX, root summary time
	at   time.Time // Options.Now when accepted, for the lag
	seq  uint64
}

// New opens the tree if needed and starts the worker.
func New(opts Options) (*Persister, error) {
	if opts.Writer == nil {
		return nil, errors.New("persist: no Writer")
	}
	opts = opts.withDefaults()
	p := &Persister{opts: opts, tree: opts.Tree, doneCh: make(chan struct{}),
		wake: make(chan struct{}, 1), exited: make(chan struct{}),
		log: logthrottle.New(opts.Logger, logEvery).WithClock(opts.Now)}
	if p.tree == nil {
		if opts.Root == "" {
			return nil, errors.New("persist: neither Root nor Tree")
		}
		to := rrdstore.DefaultTreeOptions()
		if opts.TreeOptions != nil {
			to = *opts.TreeOptions
		}
		if to.Logger == nil {
			to.Logger = opts.Logger
		}
		t, err := rrdstore.OpenTree(opts.Root, to)
		if err != nil {
			return nil, err
		}
		p.tree, p.ownTree = t, true
	}
	p.waiting = make([]job, 0, opts.QueueLen)
	p.w = newWorker(p)
	go p.run()
	return p, nil
}

func (o Options) withDefaults() Options {
	if o.Step <= 0 {
		o.Step = DefaultStep
	}
	o.QueueLen = min(max(o.QueueLen, 1), maxQueueLen)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Persist hands a snapshot to the worker and returns at once; now is the
// step's time. When QueueLen snapshots already wait, the oldest of them is
// dropped and counted in Stats.Skipped: a slow disk costs steps, never
// memory. s must not change afterwards (xmlout.Snapshot is immutable).
func (p *Persister) Persist(s *xmlout.Snapshot, now time.Time) {
	if s == nil {
		return
	}
	at := p.opts.Now()
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.stats.skipped.Add(1)
		return
	}
	if len(p.waiting) == cap(p.waiting) {
		n := copy(p.waiting, p.waiting[1:])
		p.waiting[n] = job{} // let the dropped snapshot go
		p.waiting = p.waiting[:n]
		p.stats.skipped.Add(1)
	}
	p.seq++
	p.waiting = append(p.waiting, job{snap: s, now: now, at: at, seq: p.seq})
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run is the worker: it persists waiting snapshots oldest first until
// Close, and then the ones still waiting.
func (p *Persister) run() {
	defer close(p.exited)
	for {
		j, ok := p.next()
		if !ok {
			return
		}
		p.w.step(j)
		p.finish(j.seq)
	}
}

// next takes the oldest waiting job, sleeping until there is one; false
// after Close once nothing is left (or at once when Close gave up).
func (p *Persister) next() (job, bool) {
	for {
		p.mu.Lock()
		if p.abort.Load() && len(p.waiting) > 0 {
			p.stats.skipped.Add(uint64(len(p.waiting)))
			clear(p.waiting)
			p.waiting = p.waiting[:0]
		}
		if len(p.waiting) > 0 {
			j := p.waiting[0]
			n := copy(p.waiting, p.waiting[1:])
			p.waiting[n] = job{}
			p.waiting = p.waiting[:n]
			p.mu.Unlock()
			return j, true
		}
		closed := p.closed
		p.mu.Unlock()
		if closed {
			return job{}, false
		}
		<-p.wake
	}
}

// finish records that every job up to seq is done and wakes Sync.
func (p *Persister) finish(seq uint64) {
	p.mu.Lock()
	p.done = seq
	close(p.doneCh)
	p.doneCh = make(chan struct{})
	p.mu.Unlock()
}

// Sync waits until every snapshot handed to Persist before the call has
// been persisted (or skipped), then has the Writer write everything it
// holds (FlushAll): afterwards the files show the last step.
func (p *Persister) Sync(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	target := p.seq
	p.mu.Unlock()
	for {
		p.mu.Lock()
		done, ch := p.done, p.doneCh
		p.mu.Unlock()
		if done >= target {
			break
		}
		select {
		case <-ch:
		case <-p.exited:
			return ErrClosed
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return p.opts.Writer.FlushAll(ctx)
}

// Close stops accepting snapshots, lets the worker finish the current one
// and those waiting, then closes the Writer, which writes everything it
// holds: call it on SIGTERM. If ctx ends first, the worker stops between
// two hosts and the waiting snapshots are dropped, but the Writer is still
// closed with ctx.
func (p *Persister) Close(ctx context.Context) error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	select {
	case <-p.exited:
	case <-ctx.Done():
		p.abort.Store(true)
		<-p.exited
	}
	err := p.opts.Writer.Close(ctx)
	p.log.Flush(ctx)
	if p.ownTree {
		err = errors.Join(err, p.tree.Close())
	}
	return err
}
