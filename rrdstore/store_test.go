package rrdstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// openTestStore opens a Store closed at the end of the test.
func openTestStore(tb testing.TB, opts StoreOptions) *Store {
	tb.Helper()
	s, err := OpenStore(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil && !errors.Is(err, ErrClosed) {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

// storeFiles creates n gmetad host files (small RRAs) in dir.
func storeFiles(tb testing.TB, dir string, n int) []string {
	tb.Helper()
	rras := []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 40}, {CF: "AVERAGE", XFF: 0.5, Steps: 4, Rows: 20}}
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("m%03d.rrd", i))
		if err := Create(paths[i], GmetadSpec(15, T0-1, "both", i%2 == 1, rras), CreateOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	return paths
}

// hostArg is update k of file i: summary files (odd i) have two DSs.
func hostArg(i, k int) string {
	if i%2 == 1 {
		return fmt.Sprintf("%d:%d.25:%d", T0+15*int64(k), k%50, i)
	}
	return fmt.Sprintf("%d:%d.5", T0+15*int64(k), (k+i)%100)
}

func checkLast(tb testing.TB, path string, want int64) {
	tb.Helper()
	last, _, _, err := LastUpdate(path)
	if err != nil {
		tb.Fatal(err)
	}
	if last != want {
		tb.Errorf("%s: last update %d, want %d (%+d steps)", filepath.Base(path), last, want, (last-want)/15)
	}
}

// TestStoreCloseFlushes: with a flush interval no test reaches, Close
// alone writes every queued update; afterwards Update and Create fail
// with ErrClosed.
func TestStoreCloseFlushes(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 20)
	s, err := OpenStore(StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 30; k++ {
		for i, p := range paths {
			if err := s.Update(p, hostArg(i, k)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st := s.Stats(); st.Flushes != 0 || st.Pending != 600 {
		t.Fatalf("before Close: %+v, want no flush and 600 pending", st)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		checkLast(t, p, T0+15*30)
	}
	st := s.Stats()
	if st.Applied != 600 || st.Pending != 0 || st.OpenFiles != 0 || st.Flushes != 20 {
		t.Errorf("after Close: %+v, want 600 applied in 20 flushes, nothing pending or open", st)
	}
	if err := s.Update(paths[0], hostArg(0, 31)); !errors.Is(err, ErrClosed) {
		t.Errorf("Update after Close: %v, want ErrClosed", err)
	}
	if err := s.Create(paths[0]+".new", GmetadSpec(15, T0, "", false, nil), CreateOptions{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Create after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
}

// fakeClock is an injected Now that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

// waitFlushed waits, without asking for a flush, until the updates queued
// for path so far have been through a flush.
func waitFlushed(tb testing.TB, s *Store, path string) {
	tb.Helper()
	e := s.entryOf(path)
	e.sh.mu.Lock()
	tg := target{e: e, want: e.started}
	if len(e.pend) > 0 {
		tg.want++
	}
	e.sh.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.await(ctx, []target{tg}); err != nil && ctx.Err() != nil {
		tb.Fatal(err)
	}
}

func (s *Store) entryOf(path string) *entry {
	sh := s.shardOf(path)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.files[path]
}

func (e *entry) isBusy() bool {
	e.sh.mu.Lock()
	defer e.sh.mu.Unlock()
	return e.busy
}

// TestStoreFlushInterval: the flusher leaves a queue alone until its
// first update is FlushInterval old, then writes it; MaxPending updates
// make a file flush at once.
func TestStoreFlushInterval(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 2)
	clock := &fakeClock{now: time.Unix(T0, 0)}
	s := openTestStore(t, StoreOptions{FlushInterval: time.Minute, MaxPending: 5, Now: clock.Now})
	for k := 1; k <= 3; k++ {
		s.Update(paths[0], hostArg(0, k))
	}
	s.flushDue(clock.advance(59 * time.Second))
	if s.entryOf(paths[0]).isBusy() || s.Stats().Flushes != 0 {
		t.Fatal("flushed before FlushInterval")
	}
	s.Update(paths[0], hostArg(0, 4))
	s.flushDue(clock.advance(time.Second))
	waitFlushed(t, s, paths[0])
	checkLast(t, paths[0], T0+15*4)

	for k := 1; k <= 5; k++ {
		s.Update(paths[1], hostArg(1, k))
	}
	waitFlushed(t, s, paths[1]) // no clock moved: MaxPending did it
	checkLast(t, paths[1], T0+15*5)
	if st := s.Stats(); st.Flushes != 2 || st.Applied != 9 {
		t.Errorf("stats %+v, want 9 updates applied in 2 flushes", st)
	}
}

// TestStoreOverflowFlushInterval: while the Store writes no more files
// than MaxOpen, updates wait FlushInterval; once it writes more, they wait
// OverflowFlushInterval.
func TestStoreOverflowFlushInterval(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 3)
	clock := &fakeClock{now: time.Unix(T0, 0)}
	s := openTestStore(t, StoreOptions{FlushInterval: time.Minute, OverflowFlushInterval: 4 * time.Minute,
		MaxOpen: 2, Workers: 1, Now: clock.Now})
	for i := range 2 {
		s.Update(paths[i], hostArg(i, 1))
	}
	s.flushDue(clock.advance(time.Minute))
	for i := range 2 {
		waitFlushed(t, s, paths[i])
		checkLast(t, paths[i], T0+15)
	}

	for i := range 3 { // a third file: more than MaxOpen
		s.Update(paths[i], hostArg(i, 2))
	}
	s.flushDue(clock.advance(3*time.Minute + 59*time.Second))
	for i := range 3 {
		if s.entryOf(paths[i]).isBusy() {
			t.Fatalf("%s flushed before OverflowFlushInterval", paths[i])
		}
	}
	if st := s.Stats(); st.Flushes != 2 || st.Pending != 3 {
		t.Fatalf("stats %+v, want 2 flushes and 3 updates pending", st)
	}
	s.flushDue(clock.advance(time.Second))
	for i := range 3 {
		waitFlushed(t, s, paths[i])
		checkLast(t, paths[i], T0+30)
	}
}

// TestStoreNowArgument: "N" and negative times take the time of the
// Update call, not of the flush.
func TestStoreNowArgument(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 1)
	clock := &fakeClock{now: time.Unix(T0+100, 250000000)}
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, Now: clock.Now})
	s.Update(paths[0], "N:1")
	clock.advance(30 * time.Second)
	s.Update(paths[0], "-5:2")
	clock.advance(time.Hour)
	if err := s.Flush(context.Background(), paths[0]); err != nil {
		t.Fatal(err)
	}
	last, usec, ds, err := LastUpdate(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if last != T0+125 || usec != 250000 || ds[0] != "2" {
		t.Errorf("last update %d.%06d %q, want %d.250000 [2]", last, usec, ds, T0+125)
	}
}

// TestStoreReplacedFile: a file created again under the same path (rename
// over it, as Create and rrdtool create do) is reopened by the next flush;
// the old file, still open in the cache, is not written. Store.Create is a
// no-op for an existing file.
func TestStoreReplacedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.rrd")
	spec := GmetadSpec(15, T0-1, "both", false, []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 10}})
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour})
	if err := s.Create(path, spec, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Update(path, hostArg(0, 1))
	if err := s.Flush(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	old, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	before := readFile(t, path)
	if err := s.Create(path, spec, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	checkLast(t, path, T0+15) // Create kept the existing file

	if err := Create(path, spec, CreateOptions{}); err != nil { // replaces it
		t.Fatal(err)
	}
	s.Update(path, hostArg(0, 2))
	if err := s.Flush(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	checkLast(t, path, T0+30)
	oldData := make([]byte, len(before))
	if _, err := old.ReadAt(oldData, 0); err != nil {
		t.Fatal(err)
	}
	if diff := describeDiff(before, oldData); diff != "" {
		t.Errorf("the replaced file was written: %s", diff)
	}
	if st := s.Stats(); st.Opens != 2 {
		t.Errorf("%d opens, want 2", st.Opens)
	}
}

// TestStoreBadFiles: a missing file or a non-RRD drops its updates,
// counted and reported, and does not stop the other files.
func TestStoreBadFiles(t *testing.T) {
	dir := t.TempDir()
	paths := storeFiles(t, dir, 1)
	junk := filepath.Join(dir, "junk.rrd")
	if err := os.WriteFile(junk, []byte("not an rrd"), 0o644); err != nil {
		t.Fatal(err)
	}
	var rec errRecorder
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, OnError: rec.record})
	missing := filepath.Join(dir, "missing.rrd")
	for _, p := range []string{missing, junk, paths[0]} {
		if err := s.Update(p, hostArg(0, 1), hostArg(0, 2)); err != nil {
			t.Fatal(err)
		}
	}
	err := s.FlushAll(context.Background())
	if !errors.Is(err, os.ErrNotExist) || !errors.Is(err, ErrNotRRD) {
		t.Errorf("FlushAll: %v, want the missing file and the junk one", err)
	}
	checkLast(t, paths[0], T0+30)
	if st := s.Stats(); st.Dropped != 4 || st.Applied != 2 || st.Pending != 0 {
		t.Errorf("stats %+v, want 4 dropped and 2 applied", st)
	}
	if len(rec.take(missing)) != 1 || len(rec.take(junk)) != 1 {
		t.Errorf("OnError not called once per bad file: %v", rec.errs)
	}
}

// TestStoreConcurrent: many goroutines queue updates (each owns some
// files, so that each file's times increase) while others flush and read
// the stats, with fewer descriptors than files. Run it with -race.
func TestStoreConcurrent(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 48)
	s := openTestStore(t, StoreOptions{FlushInterval: 2 * time.Millisecond, MaxPending: 7, MaxOpen: 5, Workers: 3})
	const writers, rounds = 12, 40
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for k := 1; k <= rounds; k++ {
				for i := w; i < len(paths); i += writers {
					if err := s.Update(paths[i], hostArg(i, k)); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	stop := make(chan struct{})
	var side sync.WaitGroup
	side.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s.Flush(context.Background(), paths[i%len(paths)])
			if st := s.Stats(); st.OpenFiles > 5 {
				t.Errorf("%d files open, MaxOpen 5", st.OpenFiles)
			}
		}
	})
	wg.Wait()
	if err := s.FlushAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	close(stop)
	side.Wait()
	for _, p := range paths {
		checkLast(t, p, T0+15*rounds)
	}
	st := s.Stats()
	if st.Applied != writers*rounds*4 || st.Failed+st.Dropped+st.Rejected != 0 {
		t.Errorf("stats %+v, want %d applied and no failure", st, writers*rounds*4)
	}
	t.Logf("%+v", st)
}

// TestStoreDefaults: the zero options give a usable Store within the
// process's descriptor and mapping limits.
func TestStoreDefaults(t *testing.T) {
	o := StoreOptions{}.withDefaults()
	if o.MaxOpen < o.Workers || o.MaxOpen > maxOpenCeiling || o.MaxOpen > openFileLimit()/2+o.Workers ||
		o.FlushInterval != DefaultFlushInterval || o.MaxPending != DefaultMaxPending || o.MaxQueued != 16*DefaultMaxPending {
		t.Errorf("defaults %+v", o)
	}
	if o := (StoreOptions{MaxOpen: 1, Workers: 8}).withDefaults(); o.Workers != 1 {
		t.Errorf("MaxOpen 1 with 8 workers: %d workers, want 1", o.Workers)
	}
}
