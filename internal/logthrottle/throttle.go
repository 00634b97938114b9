package logthrottle

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// sweepAt is the number of keys above which idle keys are forgotten. Keys are
// meant to come from a small fixed set ("decode", "acl"); the sweep only
// bounds memory when a caller builds keys from network input.
const sweepAt = 1024

// Throttle logs at most one line per key and period. It is safe for
// concurrent use. The zero value is not usable; call New.
type Throttle struct {
	logger *slog.Logger
	every  time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*entry
}

// entry remembers when a key last logged and how many lines it swallowed
// since. msg is kept for Flush; args are not, because hot-path callers pass
// slices of reused packet buffers.
type entry struct {
	last       time.Time
	suppressed int
	msg        string
	level      slog.Level
}

// New returns a Throttle that writes to logger at most one line per key every
// period. A nil logger discards everything; every <= 0 logs every line.
func New(logger *slog.Logger, every time.Duration) *Throttle {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Throttle{logger: logger, every: every, now: time.Now, keys: make(map[string]*entry)}
}

// WithClock replaces the clock (time.Now) and returns t, for tests. Call it
// before the Throttle is shared.
func (t *Throttle) WithClock(now func() time.Time) *Throttle {
	t.now = now
	return t
}

// Log writes msg with args at Warn level unless key already logged within
// the period. When lines of key were suppressed, the line that gets through
// carries "suppressed"=N.
func (t *Throttle) Log(ctx context.Context, key, msg string, args ...any) {
	t.LogLevel(ctx, slog.LevelWarn, key, msg, args...)
}

// LogLevel is Log at the given level.
func (t *Throttle) LogLevel(ctx context.Context, level slog.Level, key, msg string, args ...any) {
	n, ok := t.admit(key, msg, level)
	if !ok {
		return
	}
	if n > 0 {
		args = append(args[:len(args):len(args)], "suppressed", n)
	}
	t.logger.Log(ctx, level, msg, args...)
}

// admit decides whether key may log now; it returns how many lines of key
// were suppressed since its last line.
func (t *Throttle) admit(key, msg string, level slog.Level) (suppressed int, ok bool) {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	e := t.keys[key]
	if e == nil {
		if len(t.keys) >= sweepAt {
			t.sweep(now)
		}
		t.keys[key] = &entry{last: now}
		return 0, true
	}
	if t.every > 0 && now.Sub(e.last) < t.every {
		e.suppressed++
		e.msg, e.level = msg, level
		return 0, false
	}
	suppressed = e.suppressed
	e.last, e.suppressed, e.msg = now, 0, ""
	return suppressed, true
}

// sweep forgets keys that are past their period and owe no suppressed count,
// so forgetting them loses nothing.
func (t *Throttle) sweep(now time.Time) {
	for k, e := range t.keys {
		if e.suppressed == 0 && now.Sub(e.last) >= t.every {
			delete(t.keys, k)
		}
	}
}

// Flush writes one line for every key that has suppressed lines pending (its
// last message with "suppressed"=N, in key order), so a shutdown does not
// hide them.
func (t *Throttle) Flush(ctx context.Context) {
	type pending struct {
		key, msg string
		level    slog.Level
		n        int
	}
	var out []pending
	now := t.now()
	t.mu.Lock()
	for k, e := range t.keys {
		if e.suppressed > 0 {
			out = append(out, pending{k, e.msg, e.level, e.suppressed})
			e.last, e.suppressed, e.msg = now, 0, ""
		}
	}
	t.mu.Unlock()
	slices.SortFunc(out, func(a, b pending) int { return cmp.Compare(a.key, b.key) })
	for _, p := range out {
		t.logger.Log(ctx, p.level, p.msg, "suppressed", p.n)
	}
}
