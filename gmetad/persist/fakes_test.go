package persist

import (
	"bytes"
	"context"
	"io/fs"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// memWriter is a fake Writer that records updates. If gate is set, every
// call first sends on entered (if set) and then waits for gate to close.
type memWriter struct {
	mu      sync.Mutex
	updates map[string][]string
	closed  bool
	entered chan struct{}
	gate    chan struct{}
}

func newMemWriter() *memWriter { return &memWriter{updates: map[string][]string{}} }

func (m *memWriter) wait() {
	if m.entered != nil {
		m.entered <- struct{}{}
	}
	if m.gate != nil {
		<-m.gate
	}
}

func (m *memWriter) Create(path string, spec rrdstore.Spec, opt rrdstore.CreateOptions) error {
	m.wait()
	return nil
}

func (m *memWriter) Update(path string, args ...string) error {
	m.wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.updates[path] = append(m.updates[path], args...)
	return nil
}

func (m *memWriter) FlushAll(ctx context.Context) error { return nil }

func (m *memWriter) Close(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// failingWriter is a real Store that fails every call with ENOSPC while
// full is set: a disk that fills up and is cleaned later.
type failingWriter struct {
	*rrdstore.Store
	full atomic.Bool
}

func (f *failingWriter) Create(path string, spec rrdstore.Spec, opt rrdstore.CreateOptions) error {
	if f.full.Load() {
		return &fs.PathError{Op: "create", Path: path, Err: syscall.ENOSPC}
	}
	return f.Store.Create(path, spec, opt)
}

func (f *failingWriter) Update(path string, args ...string) error {
	if f.full.Load() {
		return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
	}
	return f.Store.Update(path, args...)
}

// lockedBuffer is a log destination safe for the worker and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// nopWriter only takes calls, for the persister's own share of a step.
type nopWriter struct{}

func (nopWriter) Create(string, rrdstore.Spec, rrdstore.CreateOptions) error { return nil }
func (nopWriter) Update(string, ...string) error                             { return nil }
func (nopWriter) FlushAll(context.Context) error                             { return nil }
func (nopWriter) Close(context.Context) error                                { return nil }
