package rrdstore

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStoreLogThrottle: a thousand failing updates make one log line per
// kind of error and logEvery, which counts the ones it did not show.
func TestStoreLogThrottle(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 1)
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	clock := &fakeClock{now: time.Unix(T0, 0)}
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, Logger: logger, Now: clock.Now})
	s.Update(paths[0], hostArg(0, 5))
	for range 1000 {
		s.Update(paths[0], hostArg(0, 1)) // in the past
	}
	s.Flush(context.Background(), paths[0])
	clock.advance(logEvery)
	s.Update(paths[0], hostArg(0, 2))
	s.Flush(context.Background(), paths[0])
	mu.Lock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	mu.Unlock()
	if len(lines) != 2 || !strings.Contains(lines[1], "suppressed_since_last=999") ||
		!strings.Contains(lines[0], "illegal attempt to update") {
		t.Errorf("log:\n%s\nwant 2 lines, the second counting 999 suppressed", strings.Join(lines, "\n"))
	}
	if st := s.Stats(); st.Failed != 1001 || st.Applied != 1 {
		t.Errorf("stats %+v, want 1001 failed", st)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
