package rrdstore

import (
	"errors"
	"runtime/debug"
	"syscall"
	"time"
)

// worker flushes the entries handed to it until the work queue closes.
func (s *Store) worker() {
	defer s.workers.Done()
	debug.SetPanicOnFault(true) // see storeFile.catchFault
	for {
		e, ok := s.work.pop()
		if !ok {
			return
		}
		s.flushEntry(e)
	}
}

// flusher hands the workers the files whose queue has waited
// FlushInterval, looking a tenth of the interval (at most a second) at a
// time, so flushes follow the spread of the updates instead of coming in
// one burst per interval.
func (s *Store) flusher() {
	defer close(s.flusherDone)
	t := time.NewTicker(s.tick())
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.flushDue(s.now())
		}
	}
}

func (s *Store) tick() time.Duration {
	return min(max(s.opts.FlushInterval/10, time.Millisecond), time.Second)
}

// flushDue schedules every file that joined its shard's timer queue at
// least flushInterval before now. The timer queue is in joining order, and
// a file joins when its first pending update arrives, so no update waits
// longer than FlushInterval plus a tick (and the flushes ahead of it).
func (s *Store) flushDue(now time.Time) {
	limit := now.Add(-s.flushInterval())
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for sh.due.len() > 0 && !sh.due.peek().at.After(limit) {
			e := sh.due.pop().e
			e.timed = false
			if len(e.pend) > 0 && !e.busy {
				e.busy = true
				s.work.push(e)
			}
		}
		sh.mu.Unlock()
	}
}

// flushInterval is how long updates wait: FlushInterval, or
// OverflowFlushInterval once the Store writes more files than stay open.
func (s *Store) flushInterval() time.Duration {
	if s.known.Load() > int64(s.opts.MaxOpen) {
		return s.opts.OverflowFlushInterval
	}
	return s.opts.FlushInterval
}

// flushResult is what one flush did, for settle.
type flushResult struct {
	kept bool  // the batch is still to be written (lock held elsewhere)
	nds  int   // DS count read from the header, 0 if not read
	err  error // the first error
}

// flushEntry writes e's queue. The worker owns e (busy) and its file from
// here until settle; Update keeps queueing into the other buffer.
func (s *Store) flushEntry(e *entry) {
	sh := e.sh
	sh.mu.Lock()
	batch := e.pend
	e.pend, e.spare = e.spare[:0], nil
	e.started++
	sh.mu.Unlock()

	res := s.writeBatch(e, batch)

	sh.mu.Lock()
	dropped := s.settle(e, batch, res)
	sh.mu.Unlock()
	if dropped > 0 {
		s.report(e.path, newErr(e.path, ErrLocked, "queue over %d updates: dropped the %d oldest",
			s.opts.MaxQueued, dropped), dropped)
	}
	s.wakeWaiters()
}

// writeBatch is one locked read-modify-write of e's file with the batch.
func (s *Store) writeBatch(e *entry, batch []queued) flushResult {
	sf, err := s.checkoutLocked(e)
	if err != nil {
		return s.failBatch(e.path, batch, err)
	}
	r := sf.r
	if err := sf.load(); err != nil {
		r.unlock()
		s.cache.drop(sf)
		return s.failBatch(e.path, batch, err)
	}
	s.stats.flushes.Add(1)
	applied, first := s.applyBatch(e.path, r, batch)
	if err := s.writeOut(e, sf, len(batch)); err != nil {
		applied, first = 0, errors.Join(first, err)
	}
	s.stats.applied.Add(uint64(applied))
	s.stats.failed.Add(uint64(len(batch) - applied))
	s.stats.pending.Add(-int64(len(batch)))
	return flushResult{nds: len(r.hdr.ds), err: first}
}

// writeOut writes what the batch changed, unlocks, and returns the file to
// the cache. After an error the rows and the header may be out of step:
// the file is closed so that the next flush reads it afresh, all that can
// be done (librrd cannot do more either).
func (s *Store) writeOut(e *entry, sf *storeFile, updates int) error {
	n := sf.r.pendingBytes()
	err := sf.flush()
	if err == nil {
		err = sf.r.unlock()
	}
	if err != nil {
		s.report(e.path, err, updates)
		s.cache.drop(sf)
		return err
	}
	s.stats.bytes.Add(uint64(n))
	s.cache.put(e, sf)
	return nil
}

// checkoutLocked gives the worker e's open file with its write lock held.
// The identity check is repeated under the lock: a file renamed over the
// path (Merge, Create, rrdtool create) between checkout and lock would
// otherwise take this batch into the replaced, unlinked inode.
func (s *Store) checkoutLocked(e *entry) (*storeFile, error) {
	for attempt := 0; ; attempt++ {
		sf, err := s.checkout(e)
		if err != nil {
			return nil, err
		}
		if err := sf.r.lock(); err != nil {
			s.cache.put(e, sf)
			s.stats.lockFails.Add(1)
			return nil, err
		}
		if !sf.replaced() || attempt == 2 {
			return sf, nil
		}
		sf.r.unlock()
		s.cache.put(e, sf) // the next checkout sees the rename and reopens
	}
}

// checkout gives the worker e's open file, reopening it when path names
// another file now (Create and rrdtool create rename a new file over it),
// and opening it when it is not cached.
func (s *Store) checkout(e *entry) (*storeFile, error) {
	sf := s.cache.take(e)
	if sf != nil {
		if !sf.replaced() {
			sf.reused = true
			return sf, nil
		}
		s.cache.drop(sf)
		s.cache.take(e) // reserves the slot for the new file
	}
	sf, err := openStoreFile(e.path)
	if err != nil {
		s.cache.drop(nil)
		return nil, err
	}
	s.stats.opens.Add(1)
	return sf, nil
}

// applyBatch applies the batch in order. Each queued call acts like one
// rrd_update call: its first failing argument drops the rest of it, and
// what it changed before failing stays, as librrd writes it.
func (s *Store) applyBatch(path string, r *rrdFile, batch []queued) (applied int, first error) {
	skip := false
	for _, q := range batch {
		if q.cont && skip {
			continue
		}
		err := r.apply(q.arg, q.at)
		skip = err != nil
		if err == nil {
			applied++
			continue
		}
		if first == nil {
			first = err
		}
		s.report(path, err, 1)
	}
	return applied, first
}

// failBatch accounts for a batch that was not applied: kept for the next
// flush when the cause may pass (another process holds the lock, out of
// descriptors), dropped otherwise (file missing, not an RRD).
func (s *Store) failBatch(path string, batch []queued, err error) flushResult {
	kept := transient(err)
	if !kept {
		s.stats.dropped.Add(uint64(len(batch)))
		s.stats.pending.Add(-int64(len(batch)))
	}
	s.report(path, err, len(batch))
	return flushResult{kept: kept, err: err}
}

func transient(err error) bool {
	return errors.Is(err, ErrLocked) || errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}

// settle returns e from its worker (sh.mu held): a kept batch goes back in
// front of what was queued meanwhile, within MaxQueued (it returns how
// many it dropped); then e is flushed again at once if a waiter or a full
// queue asks for it, or joins the timer queue.
func (s *Store) settle(e *entry, batch []queued, res flushResult) (dropped int) {
	if res.nds > 0 {
		e.nds = res.nds
	}
	if res.kept {
		queuedMeanwhile := e.pend
		e.pend = append(batch, queuedMeanwhile...)
		batch = queuedMeanwhile
		e.since = s.now() // retry after a full interval, not in a loop
		dropped = s.capQueue(e)
	}
	clear(batch)
	if cap(batch) <= 4*s.opts.MaxPending {
		e.spare = batch[:0] // a huge batch is not kept for reuse
	}
	e.finished, e.lastErr, e.busy = e.finished+1, res.err, false
	if len(e.pend) == 0 {
		return dropped
	}
	full := len(e.pend) >= s.opts.MaxPending && !res.kept
	if e.want > e.finished || full || (!res.kept && !e.since.After(s.now().Add(-s.opts.FlushInterval))) {
		e.busy = true
		s.work.push(e)
		return dropped
	}
	if !e.timed {
		e.timed = true
		e.sh.due.push(dueItem{e: e, at: e.since})
	}
	return dropped
}

// capQueue drops the oldest updates beyond MaxQueued and returns how many.
func (s *Store) capQueue(e *entry) int {
	over := len(e.pend) - s.opts.MaxQueued
	if over <= 0 {
		return 0
	}
	n := copy(e.pend, e.pend[over:])
	clear(e.pend[n:])
	e.pend = e.pend[:n]
	s.stats.dropped.Add(uint64(over))
	s.stats.pending.Add(-int64(over))
	return over
}

// pendingBytes is what flush will write (with pwrite, or stores into the
// mapping): the recorded rows and, if anything changed, the live block.
func (r *rrdFile) pendingBytes() int {
	if !r.dirty {
		return 0
	}
	n := len(r.raw)
	for _, sg := range r.rows.segs {
		n += sg.hi - sg.lo
	}
	return n
}
