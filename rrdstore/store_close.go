package rrdstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// closeRetryFor is how long Close keeps retrying files locked by another
// process when its context has no deadline: rrdtool readers hold the lock
// for milliseconds, so a lock held longer belongs to a writer that will
// not let go soon.
const closeRetryFor = 2 * time.Second

// maxReportedFiles bounds the per-file errors FlushAll joins.
const maxReportedFiles = 8

// target is a flush a caller waits for: the want-th flush of e.
type target struct {
	e    *entry
	want uint64
}

// FlushAll writes every update queued before the call and waits for it.
// It returns ctx's error if ctx ends first, else the errors of the files
// whose flush failed (with ErrLocked the updates stay queued).
func (s *Store) FlushAll(ctx context.Context) error {
	if s.closed.Load() {
		return &Error{Kind: ErrClosed}
	}
	return s.flushAll(ctx)
}

func (s *Store) flushAll(ctx context.Context) error {
	var ts []target
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for _, e := range sh.files {
			if e.busy || len(e.pend) > 0 {
				ts = append(ts, s.request(e))
			}
		}
		sh.mu.Unlock()
	}
	return s.await(ctx, ts)
}

// Flush writes the updates queued for path before the call and waits for
// it; it returns the error of that flush, as FlushAll.
func (s *Store) Flush(ctx context.Context, path string) error {
	if s.closed.Load() {
		return &Error{Path: path, Kind: ErrClosed}
	}
	sh := s.shardOf(path)
	sh.mu.Lock()
	e := sh.files[path]
	if e == nil || (!e.busy && len(e.pend) == 0) {
		sh.mu.Unlock()
		return nil
	}
	t := s.request(e)
	sh.mu.Unlock()
	return s.await(ctx, []target{t})
}

// request asks for the updates queued for e to be flushed (sh.mu held):
// the flush in progress covers its batch, the next one (started now if e
// is idle, or by settle) the rest.
func (s *Store) request(e *entry) target {
	want := e.started
	if len(e.pend) > 0 {
		want++
	}
	e.want = max(e.want, want)
	if !e.busy && len(e.pend) > 0 {
		e.busy = true
		s.work.push(e)
	}
	return target{e: e, want: want}
}

// await waits until every target's flush has finished. Targets finish
// roughly in the order they were asked for, and await is woken after
// every flush, so it looks at the first unfinished target only: the cost
// stays linear in the number of targets.
func (s *Store) await(ctx context.Context, ts []target) error {
	s.waiters.Add(1)
	defer s.waiters.Add(-1)
	var errs []error
	failed := 0
	for {
		s.flushMu.Lock()
		ch := s.flushed
		s.flushMu.Unlock()
		for len(ts) > 0 {
			done, err := ts[0].state()
			if !done {
				break
			}
			if err != nil {
				failed++
				if len(errs) < maxReportedFiles {
					errs = append(errs, err)
				}
			}
			ts = ts[1:]
		}
		if len(ts) == 0 {
			if failed > len(errs) {
				errs = append(errs, fmt.Errorf("rrdstore: %d more files failed", failed-len(errs)))
			}
			return errors.Join(errs...)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("rrdstore: %d files not flushed: %w", len(ts), context.Cause(ctx))
		case <-s.closeDone: // a FlushAll that raced with Close: Close wrote what it could
			return &Error{Kind: ErrClosed}
		}
	}
}

// state tells whether t's flush has finished (or nothing is left to
// flush), and the error of e's last flush.
func (t target) state() (bool, error) {
	e := t.e
	e.sh.mu.Lock()
	defer e.sh.mu.Unlock()
	return e.finished >= t.want || (!e.busy && len(e.pend) == 0), e.lastErr
}

// wakeWaiters tells await that a flush finished.
func (s *Store) wakeWaiters() {
	if s.waiters.Load() == 0 {
		return
	}
	s.flushMu.Lock()
	close(s.flushed)
	s.flushed = make(chan struct{})
	s.flushMu.Unlock()
}

// Close writes every queued update, closes all files and stops the
// workers; afterwards Update returns ErrClosed. Files locked by another
// process are retried until ctx ends (about 2 s without a deadline). What
// could not be written is counted as dropped, logged, and reported in the
// error. Call it on SIGTERM: nothing queued is lost then.
func (s *Store) Close(ctx context.Context) error {
	if !s.closed.CompareAndSwap(false, true) {
		return &Error{Kind: ErrClosed}
	}
	close(s.stop)
	<-s.flusherDone
	err := s.drain(ctx)
	s.work.close(ctx.Err() != nil)
	s.workers.Wait()
	close(s.closeDone)
	s.cache.closeAll()
	if lost := s.stats.pending.Swap(0); lost > 0 {
		s.stats.dropped.Add(uint64(lost))
		if s.opts.Logger != nil {
			s.opts.Logger.Error("rrd updates lost at close", "updates", lost, "err", err)
		}
		if err == nil {
			err = errors.New("no flush could write them")
		}
		return fmt.Errorf("rrdstore: close: %d updates not written: %w", lost, err)
	}
	return nil
}

// drain flushes everything, retrying the files whose flush was put off by
// a lock, with growing pauses, until nothing is left or time is up.
func (s *Store) drain(ctx context.Context) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = s.now().Add(closeRetryFor)
	}
	pause := 5 * time.Millisecond
	for {
		err := s.flushAll(ctx)
		if err == nil || s.stats.pending.Load() == 0 || ctx.Err() != nil || !s.now().Before(deadline) {
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		pause = min(2*pause, 200*time.Millisecond)
	}
}
