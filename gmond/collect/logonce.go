package collect

import (
	"log/slog"
	"sync"
)

// onceLog logs a problem with one source the first time it happens and
// stays quiet while it persists, so a file that does not exist on this
// machine costs one log line, not one per collection. clear re-arms it
// once the source works again. The collectors of one set share it.
type onceLog struct {
	logger *slog.Logger
	mu     sync.Mutex
	seen   map[string]bool
}

func newOnceLog(logger *slog.Logger) *onceLog {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &onceLog{logger: logger, seen: make(map[string]bool)}
}

func (o *onceLog) warn(key, msg string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[key] {
		return
	}
	o.seen[key] = true
	o.logger.Warn(msg, args...)
}

func (o *onceLog) clear(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.seen, key)
}
