package mapping

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// wait bounds every wait for an event; nothing sleeps to synchronise.
const wait = 10 * time.Second

func mappingText(port int) string {
	return strings.Replace(base, "port = 8301", "port = "+strconv.Itoa(port), 1)
}

// recordHandler sends every log record to a channel (dropping when full,
// so a test that stops reading cannot block the Watcher).
type recordHandler struct{ ch chan slog.Record }

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.ch <- r:
	default:
	}
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

type watchFixture struct {
	path    string
	w       *Watcher
	changes chan *Mapping
	logs    chan slog.Record
}

func newWatchFixture(t *testing.T, opts ...WatcherOption) *watchFixture {
	t.Helper()
	f := &watchFixture{path: filepath.Join(t.TempDir(), "lpm.toml"),
		changes: make(chan *Mapping, 16), logs: make(chan slog.Record, 1024)}
	f.write(t, mappingText(8301))
	opts = append([]WatcherOption{WithDebounce(20 * time.Millisecond)}, opts...)
	w, err := NewWatcher(f.path, func(m *Mapping) { f.changes <- m }, slog.New(recordHandler{f.logs}), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	f.w = w
	return f
}

func (f *watchFixture) write(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(f.path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitPort waits for onChange with the system on port; intermediate states
// an editor leaves (an empty file) are only logged, never delivered.
func (f *watchFixture) waitPort(t *testing.T, port int) {
	t.Helper()
	select {
	case m := <-f.changes:
		if m.Systems[0].Port != port {
			t.Fatalf("onChange got port %d, want %d", m.Systems[0].Port, port)
		}
		if f.w.Current() != m {
			t.Fatal("Current() is not the mapping passed to onChange")
		}
	case <-time.After(wait):
		t.Fatalf("no onChange with port %d within %v", port, wait)
	}
}

// waitLog waits for a record whose attributes satisfy match.
func (f *watchFixture) waitLog(t *testing.T, level slog.Level, match func(map[string]string) bool) {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case r := <-f.logs:
			attrs := map[string]string{}
			r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
			if r.Level == level && match(attrs) {
				return
			}
		case <-deadline:
			t.Fatalf("no %v log record matching within %v", level, wait)
		}
	}
}

func TestWatcherWriteInPlace(t *testing.T) {
	f := newWatchFixture(t)
	if got := f.w.Current().Systems[0].Port; got != 8301 {
		t.Fatalf("initial port %d", got)
	}
	f.write(t, mappingText(8311))
	f.waitPort(t, 8311)
}

func TestWatcherRenameOver(t *testing.T) {
	f := newWatchFixture(t)
	tmp := f.path + ".tmp~" // editor style: write a temp file, rename over
	if err := os.WriteFile(tmp, []byte(mappingText(8312)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, f.path); err != nil {
		t.Fatal(err)
	}
	f.waitPort(t, 8312)
	// The directory watch survives the old inode's replacement.
	f.write(t, mappingText(8313))
	f.waitPort(t, 8313)
}

func TestWatcherDeleteThenRecreate(t *testing.T) {
	f := newWatchFixture(t)
	if err := os.Remove(f.path); err != nil {
		t.Fatal(err)
	}
	f.waitLog(t, slog.LevelWarn, func(a map[string]string) bool { return strings.Contains(a["err"], "no such file") })
	if got := f.w.Current().Systems[0].Port; got != 8301 {
		t.Fatalf("after delete Current() port = %d, want the last good 8301", got)
	}
	f.write(t, mappingText(8314))
	f.waitPort(t, 8314)
}

func TestWatcherInvalidThenFixed(t *testing.T) {
	f := newWatchFixture(t)
	f.write(t, mappingText(8301)+"\n[[managed_system]]\nname = 'B'\nmodel_serial = '9117-MMB_0000002'\nport = 8301\n")
	f.waitLog(t, slog.LevelError, func(a map[string]string) bool {
		return a["file"] == f.path && a["line"] == "13" && a["key"] == "managed_system[1].port"
	})
	select {
	case m := <-f.changes:
		t.Fatalf("onChange called with an invalid file: %+v", m)
	default:
	}
	if got := f.w.Current().Systems[0].Port; got != 8301 || len(f.w.Current().Systems) != 1 {
		t.Fatalf("invalid file replaced the mapping: %+v", f.w.Current())
	}
	f.write(t, mappingText(8315))
	f.waitPort(t, 8315)
}

// TestWatcherReload: SIGHUP's path is synchronous; the long debounce keeps
// the directory watch out of the way.
func TestWatcherReload(t *testing.T) {
	f := newWatchFixture(t, WithDebounce(time.Hour))
	if m, err := f.w.Reload(); err != nil || m != f.w.Current() {
		t.Fatalf("Reload of the unchanged file: %v, %v", m, err)
	}
	if len(f.changes) != 0 {
		t.Fatal("onChange called for an unchanged file")
	}
	f.write(t, mappingText(8316))
	if m, err := f.w.Reload(); err != nil || m.Systems[0].Port != 8316 {
		t.Fatalf("Reload = %+v, %v", m, err)
	}
	f.waitPort(t, 8316)
	f.write(t, "[default]\nport = 1\n")
	m, err := f.w.Reload()
	if !errors.Is(err, ErrRequired) || m.Systems[0].Port != 8316 {
		t.Fatalf("Reload of a bad file = %+v, %v; want the last good mapping and ErrRequired", m, err)
	}
}

// TestWatcherPolling covers AIX (no fsnotify backend) and NFS.
func TestWatcherPolling(t *testing.T) {
	f := newWatchFixture(t, WithPolling(10*time.Millisecond))
	if f.w.fsw != nil {
		t.Fatal("WithPolling still uses fsnotify")
	}
	f.write(t, mappingText(8318))
	f.waitPort(t, 8318)
	f.write(t, "not toml [")
	f.waitLog(t, slog.LevelError, func(a map[string]string) bool { return a["line"] == "1" })
	if got := f.w.Current().Systems[0].Port; got != 8318 {
		t.Fatalf("invalid file replaced the mapping: port %d", got)
	}
}

func TestWatcherClose(t *testing.T) {
	f := newWatchFixture(t)
	if err := f.w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	f.write(t, mappingText(8317))
	if _, err := f.w.Reload(); err != nil || len(f.changes) != 0 {
		t.Fatalf("Reload after Close changed something: %v, %d", err, len(f.changes))
	}
}

func TestNewWatcherRefusesBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lpm.toml")
	if err := os.WriteFile(path, []byte("[default]\ncluster = 'x'\nport = 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewWatcher(path, nil, nil); !errors.Is(err, ErrPortRange) {
		t.Fatalf("NewWatcher(bad) = %v, want ErrPortRange", err)
	}
	if _, err := NewWatcher(path+".missing", nil, nil); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("NewWatcher(missing) = %v", err)
	}
}
