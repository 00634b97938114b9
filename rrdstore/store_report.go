package rrdstore

import (
	"errors"
	"log/slog"
	"sync"
	"time"
)

// logEvery is how often one kind of update error may be logged: a
// misbehaving source can fail thousands of updates per flush, and one
// line per kind with a count of the rest says as much.
const logEvery = 10 * time.Second

// errLog writes throttled warnings, one line per error kind and logEvery,
// with the number of failures it did not show.
type errLog struct {
	logger *slog.Logger
	now    func() time.Time
	mu     sync.Mutex
	kinds  map[error]*logSlot
}

type logSlot struct {
	last       time.Time
	suppressed int
}

// errOther is the log slot of errors without a kind.
var errOther = errors.New("other")

func (l *errLog) init(logger *slog.Logger, now func() time.Time) {
	l.logger, l.now, l.kinds = logger, now, make(map[error]*logSlot)
}

// report passes a failure of n updates to OnError and the throttled log.
func (s *Store) report(path string, err error, n int) {
	if s.opts.OnError != nil {
		s.opts.OnError(path, err)
	}
	s.log.warn(path, err, n)
}

func (l *errLog) warn(path string, err error, n int) {
	if l.logger == nil {
		return
	}
	kind := errOther
	var e *Error
	if errors.As(err, &e) && e.Kind != nil {
		kind = e.Kind
	}
	now := l.now()
	l.mu.Lock()
	sl := l.kinds[kind]
	if sl == nil {
		sl = &logSlot{}
		l.kinds[kind] = sl
	}
	if !sl.last.IsZero() && now.Sub(sl.last) < logEvery {
		sl.suppressed += n
		l.mu.Unlock()
		return
	}
	suppressed := sl.suppressed
	sl.last, sl.suppressed = now, 0
	l.mu.Unlock()
	l.logger.Warn("rrd update failed", "path", path, "err", err, "updates", n,
		"suppressed_since_last", suppressed)
}
