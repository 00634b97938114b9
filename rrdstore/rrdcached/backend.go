package rrdcached

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"time"
)

// Pauses between attempts to reach a daemon that is away: short enough
// that a restart costs about a second, long enough not to spin.
const (
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
)

// block is one BATCH block: its encoded lines and, for reading the
// summary, each line's command name and file as the caller gave it. The
// Store keeps its own blocks rather than using a Writer, whose Update
// sends a full block in the caller's goroutine and which drops a block it
// could not deliver instead of keeping it for the next connection.
type block struct {
	body    []byte
	cmds    []Command
	first   uint64 // number of its first line
	updates int    // UPDATE lines; the others are FORGETs
	resent  int    // leading lines an earlier, cut-off attempt may have delivered
}

// appendLine encodes "name path args..." into the block being filled
// (s.mu held) and returns the number of updates the cap then dropped.
// Nothing is queued when the line cannot be encoded.
func (s *Store) appendLine(name, path string, args []string) (dropped int, err error) {
	remote, err := s.remoteName(path)
	if err != nil {
		return 0, err
	}
	b, fresh := s.tail()
	start := len(b.body)
	out := append(append(append(b.body, name...), ' '), remote...)
	for _, a := range args {
		if out, err = appendField(append(out, ' '), a); err != nil {
			break
		}
	}
	out = append(out, '\n')
	if n := len(out) - start; err == nil && n > MaxLine {
		err = fmt.Errorf("%w: %s line of %d bytes", ErrLineTooLong, name, n)
	}
	if err != nil {
		b.body = out[:start]
		if fresh {
			s.spare = append(s.spare, b)
		}
		return 0, fmt.Errorf("%w (%s %s)", err, name, path)
	}
	b.body = out
	if fresh {
		b.first = s.seq + 1
		s.queue = append(s.queue, b)
	}
	b.cmds = append(b.cmds, Command{Name: name, File: path})
	s.seq++
	s.lines++
	if name == "UPDATE" {
		b.updates++
		s.stats.pending.Add(1)
	}
	if len(b.cmds) >= s.opts.BatchLines {
		s.wake()
	}
	return s.shed(), nil
}

// remoteName returns path's name for the daemon, escaped, from a cache:
// the mapping joins or strips BaseDir, which costs allocations that an
// update repeated every 15 s per file should not pay each time. Paths are
// local ones, so a relative path is taken from the working directory, as
// rrdstore.Create takes it.
func (s *Store) remoteName(path string) (string, error) {
	if n, ok := s.names[path]; ok {
		return n, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("rrdcached: %s: %w", path, err)
	}
	p, err := s.data.paths.remote(abs)
	if err != nil {
		return "", err
	}
	esc, err := appendField(nil, p)
	if err != nil {
		return "", err
	}
	s.names[path] = string(esc)
	return string(esc), nil
}

// tail returns the block to append to, a new one if the last is full.
func (s *Store) tail() (b *block, fresh bool) {
	if n := len(s.queue); n > 0 && len(s.queue[n-1].cmds) < s.opts.BatchLines {
		return s.queue[n-1], false
	}
	if n := len(s.spare); n > 0 {
		b = s.spare[n-1]
		s.spare = s.spare[:n-1]
		return b, true
	}
	return &block{}, true
}

// shed drops the oldest queued blocks while more than MaxQueued lines are
// held (s.mu held). The block in flight is never dropped; with MaxQueued
// at least two blocks the one being filled is not either.
func (s *Store) shed() (dropped int) {
	for s.lines > s.opts.MaxQueued && len(s.queue) > 0 {
		b := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		dropped += s.retire(b)
	}
	if dropped > 0 {
		s.stats.dropped.Add(uint64(dropped))
		s.signal()
	}
	return dropped
}

// retire takes a handled block out of the counts and keeps it for reuse
// (s.mu held); it returns its updates.
func (s *Store) retire(b *block) int {
	n := b.updates
	s.lines -= len(b.cmds)
	s.stats.pending.Add(-int64(n))
	if len(s.spare) < 4 {
		clear(b.cmds)
		*b = block{body: b.body[:0], cmds: b.cmds[:0]}
		s.spare = append(s.spare, b)
	}
	return n
}

// handled is the number of the last line before which every line has
// been delivered or dropped (s.mu held).
func (s *Store) handled() uint64 {
	switch {
	case s.inflight != nil:
		return s.inflight.first - 1
	case len(s.queue) > 0:
		return s.queue[0].first - 1
	}
	return s.seq
}

// sendQueued has the sender deliver every line queued so far and waits
// until it has, or dropped them.
func (s *Store) sendQueued(ctx context.Context, path string) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return closedErr(path)
	}
	target := s.seq
	if s.handled() < target {
		s.flushTo = max(s.flushTo, target)
		s.wake()
	}
	s.mu.Unlock()
	for {
		s.mu.Lock()
		h, ch := s.handled(), s.changed
		s.mu.Unlock()
		if h >= target {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("rrdcached: %d lines not yet delivered: %w", target-h, context.Cause(ctx))
		case <-s.done:
			return closedErr(path)
		}
	}
}

func (s *Store) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// signal wakes the waiters of sendQueued (s.mu held).
func (s *Store) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// discardQueue drops what is left after the sender has stopped.
func (s *Store) discardQueue() (lost int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.queue {
		lost += s.retire(b)
	}
	s.queue = nil
	s.stats.dropped.Add(uint64(lost))
	return lost
}

// dropped logs, throttled, that n updates were given up.
func (s *Store) dropped(n int, why string) {
	if sup, ok := s.notices.allow("drop " + why); ok {
		s.log.Warn("rrdcached: updates dropped", "reason", why, "updates", n,
			"dropped_total", s.stats.dropped.Load(), "suppressed_since_last", sup)
	}
}

// throttle lets one log line per key through each period and counts the
// others, as VictoriaMetrics' logger throttler does per message.
type throttle struct {
	every time.Duration
	now   func() time.Time

	mu    sync.Mutex
	slots map[string]*throttleSlot
	swept time.Time
}

type throttleSlot struct {
	at         time.Time
	suppressed int
}

// sweepAbove is the number of keys past which idle ones are forgotten,
// at most once per period.
const sweepAbove = 1024

// allow reports whether a line for key may be logged now and, if so, how
// many were held back since the last one.
func (t *throttle) allow(key string) (suppressed int, ok bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slots == nil {
		t.slots = make(map[string]*throttleSlot)
	}
	sl := t.slots[key]
	if sl != nil && now.Sub(sl.at) < t.every {
		sl.suppressed++
		return 0, false
	}
	if sl == nil {
		sl = &throttleSlot{}
		t.slots[key] = sl
	}
	suppressed, sl.at, sl.suppressed = sl.suppressed, now, 0
	if len(t.slots) > sweepAbove && now.Sub(t.swept) >= t.every {
		t.swept = now
		for k, v := range t.slots {
			if v.suppressed == 0 && now.Sub(v.at) >= t.every {
				delete(t.slots, k)
			}
		}
	}
	return suppressed, true
}

// liveConn returns the connection in use, nil after a failure; the sender
// compares it between blocks to count reconnections, including the quiet
// ones the Client makes when the daemon closed an idle connection.
func (c *Client) liveConn() net.Conn {
	c.liveMu.Lock()
	defer c.liveMu.Unlock()
	return c.live
}

// run is the sender: it delivers full blocks when Update says so, and
// everything queued every FlushInterval or when Flush, FlushAll or Close
// ask, until Close has had everything delivered or gives up.
func (s *Store) run() {
	defer close(s.done)
	tick := time.NewTicker(s.opts.FlushInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.kick:
		case <-tick.C:
			s.mu.Lock()
			s.flushTo = s.seq
			s.mu.Unlock()
		case <-s.abort:
			return
		}
		if !s.sendDue() || s.drained() {
			return
		}
	}
}

// sendDue delivers the due blocks, oldest first, pausing with a growing
// backoff while the daemon cannot be reached. It returns false when Close
// gave up.
func (s *Store) sendDue() bool {
	backoff := minBackoff
	for {
		b := s.next()
		if b == nil {
			return true
		}
		if s.deliver(b) {
			backoff = minBackoff
			continue
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.abort:
			t.Stop()
			return false
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// next takes the oldest block if it is due: full, asked for, or closing.
func (s *Store) next() *block {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) == 0 {
		return nil
	}
	b := s.queue[0]
	if len(b.cmds) < s.opts.BatchLines && b.first > s.flushTo && !s.closing {
		return nil
	}
	s.queue[0] = nil
	s.queue = s.queue[1:]
	s.inflight = b
	return b
}

func (s *Store) drained() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing && len(s.queue) == 0 && s.inflight == nil
}

// deliver sends b as one BATCH. It returns false when b went back to the
// head of the queue to be sent again.
func (s *Store) deliver(b *block) bool {
	errs, err := s.data.sendBatch(s.ctx, b.body, b.cmds)
	var refused *ServerError
	switch {
	case err == nil:
	case errors.Is(err, ErrProtocol) && !errors.Is(err, ErrOutcomeUnknown):
		// The summary was read but not understood: the block arrived.
		s.notice("protocol", "rrdcached: malformed BATCH summary", err)
	case errors.As(err, &refused):
		// The daemon refuses BATCH itself (a socket limited with -P):
		// sending again cannot help.
		s.mu.Lock()
		s.inflight = nil
		n := s.retire(b)
		s.stats.dropped.Add(uint64(n))
		s.signal()
		s.mu.Unlock()
		s.log.Error("rrdcached: BATCH refused; updates dropped", "updates", n, "err", err)
		return true
	default:
		if errors.Is(err, ErrOutcomeUnknown) {
			b.resent = len(b.cmds)
		}
		s.requeue(b, err)
		return false
	}
	s.account(b, errs)
	s.mu.Lock()
	s.inflight = nil
	s.retire(b)
	s.signal()
	s.mu.Unlock()
	return true
}

// requeue puts b back at the head of the queue after a failed delivery.
func (s *Store) requeue(b *block, err error) {
	s.mu.Lock()
	s.inflight = nil
	s.queue = append([]*block{b}, s.queue...)
	pending := s.stats.pending.Load()
	s.mu.Unlock()
	if s.ctx.Err() != nil {
		return // Close gave up; not the daemon's fault
	}
	s.stats.failures.Add(1)
	s.failing++
	if s.failing == 1 {
		s.downSince = time.Now()
		s.log.Warn("rrdcached: cannot deliver updates, keeping them queued", "addr", s.data.Addr().String(),
			"pending", pending, "err", err)
		return
	}
	s.notice("down", "rrdcached: still unreachable", err, "pending", pending, "failures", s.failing)
}

// account counts a delivered block and its refusals.
func (s *Store) account(b *block, errs []BatchError) {
	for _, e := range errs {
		switch {
		case e.Command.Name == "FORGET":
			// The daemon holding nothing for a new file is the usual case.
			if !errors.Is(e, ErrNoSuchFile) {
				s.notice("forget", "rrdcached: FORGET refused", e.Err, "path", e.Command.File)
			}
		case e.Index <= b.resent && errors.Is(e, ErrIllegalUpdate):
			s.stats.duplicates.Add(1)
		default:
			s.stats.refused.Add(1)
			if sup, ok := s.refusals.allow(e.Command.File); ok {
				s.log.Warn("rrdcached: update refused", "path", e.Command.File, "err", e.Err,
					"suppressed_since_last", sup)
			}
		}
	}
	s.stats.sent.Add(uint64(b.updates))
	if conn := s.data.liveConn(); conn != nil && conn != s.lastConn {
		if s.lastConn != nil {
			s.stats.reconnects.Add(1)
		}
		s.lastConn = conn
	}
	if s.failing > 0 {
		s.log.Info("rrdcached: delivering again", "addr", s.data.Addr().String(),
			"after", time.Since(s.downSince).Round(time.Millisecond), "failures", s.failing)
		s.failing = 0
	}
}

// notice logs a warning of one kind at most once per minute.
func (s *Store) notice(kind, msg string, err error, attrs ...any) {
	if sup, ok := s.notices.allow(kind); ok {
		s.log.Warn(msg, append(attrs, "err", err, "suppressed_since_last", sup)...)
	}
}
