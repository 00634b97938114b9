package mapping

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultPollInterval is how often a polling Watcher re-reads the file:
// where fsnotify has no backend (AIX) or was asked not to be used
// (WithPolling, e.g. for a mapping on NFS, whose changes made on another
// host raise no local inotify event).
const DefaultPollInterval = 10 * time.Second

// DefaultDebounce is how long the Watcher waits after the last change in
// the directory before re-reading: editors and config management write a
// file in several steps (truncate, write, rename), and one reload should
// see only the end result.
const DefaultDebounce = 200 * time.Millisecond

// Watcher keeps the mapping file's latest valid contents, re-reading it
// when its directory changes and on Reload (SIGHUP). A file that fails to
// read or validate is logged, each problem with file, line and key, and
// the last good mapping stays in force.
type Watcher struct {
	path     string
	onChange func(*Mapping)
	log      *slog.Logger
	debounce time.Duration
	poll     time.Duration // > 0: poll instead of fsnotify

	fsw  *fsnotify.Watcher // nil when polling
	cur  atomic.Pointer[Mapping]
	mu   sync.Mutex // serialises reloads, so onChange calls never overlap
	last []byte     // bytes of the last file read, valid or not
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// WatcherOption tunes a Watcher.
type WatcherOption func(*Watcher)

// WithDebounce sets the quiet time before a reload (DefaultDebounce).
func WithDebounce(d time.Duration) WatcherOption { return func(w *Watcher) { w.debounce = d } }

// WithPolling re-reads the file every interval instead of using fsnotify.
func WithPolling(interval time.Duration) WatcherOption { return func(w *Watcher) { w.poll = interval } }

// NewWatcher loads path (it must be valid: a daemon should not start on a
// broken mapping) and watches its directory, not the file, so that an
// editor's write-to-temp-and-rename and a delete-and-recreate are seen.
// Any change in the directory triggers a debounced re-read; identical
// bytes are ignored. Where fsnotify is unavailable (AIX) it logs a warning
// and polls every DefaultPollInterval instead. onChange (may be nil) is called with each new,
// different, valid mapping, from the Watcher's goroutine or from Reload;
// it must not call Reload. logger may be nil.
func NewWatcher(path string, onChange func(*Mapping), logger *slog.Logger, opts ...WatcherOption) (*Watcher, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{path: path, onChange: onChange, log: logger, debounce: DefaultDebounce, done: make(chan struct{})}
	for _, o := range opts {
		o(w)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	m, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	w.cur.Store(m)
	w.last = data
	if w.poll <= 0 {
		w.watchDir()
	}
	w.wg.Add(1)
	go w.run()
	return w, nil
}

// Current returns the mapping in force (never nil).
func (w *Watcher) Current() *Mapping { return w.cur.Load() }

// Reload re-reads the file now, as on SIGHUP, even if its bytes did not
// change. It returns the mapping in force afterwards and the read or
// validation error, if any (then the previous mapping stays).
func (w *Watcher) Reload() (*Mapping, error) { return w.load(true) }

// Close stops watching; no onChange call starts after it returns.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		if w.fsw != nil {
			err = w.fsw.Close()
		}
		w.wg.Wait()
		w.mu.Lock() // wait for a Reload in flight
		w.mu.Unlock()
	})
	return err
}

// watchDir starts fsnotify on the file's directory, or falls back to
// polling when the platform or the directory does not allow it.
func (w *Watcher) watchDir() {
	fsw, err := fsnotify.NewWatcher()
	if err == nil {
		if err = fsw.Add(filepath.Dir(w.path)); err != nil {
			fsw.Close()
		}
	}
	if err != nil {
		w.poll = DefaultPollInterval
		w.log.Warn("mapping: cannot watch the file's directory; polling instead",
			"file", w.path, "interval", w.poll, "err", err)
		return
	}
	w.fsw = fsw
}

func (w *Watcher) run() {
	defer w.wg.Done()
	var (
		events <-chan fsnotify.Event
		errs   <-chan error
		tick   <-chan time.Time
	)
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	} else {
		ticker := time.NewTicker(w.poll)
		defer ticker.Stop()
		tick = ticker.C
	}
	timer := time.NewTimer(w.debounce)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-tick:
			w.load(false)
		case _, ok := <-events:
			if !ok {
				return
			}
			timer.Reset(w.debounce)
		case err, ok := <-errs:
			if !ok {
				return
			}
			w.log.Warn("mapping: watching the file's directory", "file", w.path, "err", err)
		case <-timer.C:
			w.load(false)
		case <-w.done:
			return
		}
	}
}

// load reads and parses the file; force re-parses unchanged bytes too.
func (w *Watcher) load(force bool) (*Mapping, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.done:
		return w.Current(), nil
	default:
	}
	data, err := os.ReadFile(w.path)
	if err != nil {
		w.log.Warn("mapping: cannot read the file; keeping the last good mapping", "file", w.path, "err", err)
		return w.Current(), fmt.Errorf("mapping: %w", err)
	}
	if !force && bytes.Equal(data, w.last) {
		return w.Current(), nil
	}
	w.last = data
	m, err := Parse(w.path, data)
	if err != nil {
		w.logInvalid(err)
		return w.Current(), err
	}
	if old := w.cur.Swap(m); reflect.DeepEqual(old, m) {
		return m, nil
	}
	w.log.Info("mapping: reloaded", "file", w.path, "clusters", len(m.Clusters()), "hosts", len(m.Hosts))
	if w.onChange != nil {
		w.onChange(m)
	}
	return m, nil
}

func (w *Watcher) logInvalid(err error) {
	for _, e := range errorsAs(err) {
		w.log.Error("mapping: invalid file; keeping the last good mapping",
			"file", e.File, "line", e.Line, "key", e.Key, "err", e.Msg)
	}
}
