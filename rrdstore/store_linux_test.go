package rrdstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// openFilesUnder counts this process's descriptors of files under dir.
// The listing stays open while the links are read, so no descriptor
// opened after the listing can take a listed number: the count is at most
// what was open when the listing was made.
func openFilesUnder(tb testing.TB, dir string) int {
	tb.Helper()
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		tb.Fatal(err)
	}
	defer d.Close()
	fds, err := d.Readdirnames(-1)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, fd := range fds {
		target, err := os.Readlink("/proc/self/fd/" + fd)
		if err == nil && strings.HasPrefix(target, dir+"/") {
			n++
		}
	}
	return n
}

// sampleOpenFiles counts the descriptors on dir's files over and over
// until the returned func is called; that returns the most it saw.
func sampleOpenFiles(t *testing.T, dir string) func() int {
	done := make(chan struct{})
	var sampler sync.WaitGroup
	most := 0
	sampler.Go(func() {
		for {
			most = max(most, openFilesUnder(t, dir))
			select {
			case <-done:
				return
			default:
			}
		}
	})
	return func() int {
		close(done)
		sampler.Wait()
		return most
	}
}

// TestStoreMaxOpen: 50 files through a Store of 4 descriptors. A sampler
// counts the descriptors on the directory in /proc/self/fd while the
// workers flush; it never sees more than 4, and the files come out equal
// to those the package-level Update writes for the same calls.
func TestStoreMaxOpen(t *testing.T) {
	dir, ref := t.TempDir(), t.TempDir()
	paths := storeFiles(t, dir, 50)
	refs := make([]string, len(paths))
	for i, p := range paths {
		refs[i] = filepath.Join(ref, filepath.Base(p))
		copyFile(t, p, refs[i])
		for k := 1; k <= 60; k++ {
			if err := Update(refs[i], hostArg(i, k)); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := openTestStore(t, StoreOptions{MaxOpen: 4, Workers: 2, MaxPending: 3, FlushInterval: time.Millisecond})
	stopSampler := sampleOpenFiles(t, dir)
	for k := 1; k <= 60; k++ {
		for i, p := range paths {
			if err := s.Update(p, hostArg(i, k)); err != nil {
				t.Fatal(err)
			}
		}
		if k%6 == 0 { // more flushes, more evictions
			if err := s.FlushAll(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.FlushAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	most := stopSampler()
	if most > 4 {
		t.Errorf("%d descriptors open on the files at once, MaxOpen 4", most)
	}
	for i, p := range paths {
		if diff := compareFiles(t, refs[i], p); diff != "" {
			t.Errorf("%s: %s", filepath.Base(p), diff)
		}
	}
	st := s.Stats()
	if st.Evictions == 0 || st.OpenFiles > 4 {
		t.Errorf("stats %+v: want evictions, at most 4 open", st)
	}
	t.Logf("at most %d descriptors seen; %+v", most, st)
}

// TestStoreLockedFile: while another open file description holds the
// fcntl write lock (as rrdtool update in another process would), a flush
// keeps the queue, reports ErrLocked and does not touch the file; over
// MaxQueued the oldest updates are dropped; once the lock is gone the
// rest is written.
func TestStoreLockedFile(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 1)
	path := paths[0]
	var rec errRecorder
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, MaxPending: 4, MaxQueued: 5, OnError: rec.record})
	before := readFile(t, path)
	release := holdLock(t, path, true)
	for k := 1; k <= 3; k++ {
		s.Update(path, hostArg(0, k))
	}
	if err := s.Flush(context.Background(), path); !errors.Is(err, ErrLocked) {
		t.Errorf("Flush of a locked file: %v, want ErrLocked", err)
	}
	for k := 4; k <= 6; k++ {
		s.Update(path, hostArg(0, k))
	}
	s.Flush(context.Background(), path)
	if diff := describeDiff(before, readFile(t, path)); diff != "" {
		t.Errorf("a locked file was written: %s", diff)
	}
	st := s.Stats()
	if st.LockFailures < 2 || st.Dropped != 1 || st.Pending != 5 {
		t.Errorf("stats %+v: want 2 lock failures, 1 dropped, 5 pending", st)
	}
	release()
	if err := s.Flush(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	checkLast(t, path, T0+15*6)
	if st := s.Stats(); st.Applied != 5 || st.Pending != 0 {
		t.Errorf("stats %+v: want 5 applied", st)
	}
	if msgs := rec.take(path); len(msgs) < 2 || msgs[0] != "could not lock RRD" {
		t.Errorf("reported %q, want could not lock RRD", msgs)
	}
}

// TestStoreCloseRetriesLock: Close keeps retrying a locked file; the
// lock is released when the first failure is reported, and Close then
// writes the update.
func TestStoreCloseRetriesLock(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 1)
	release := holdLock(t, paths[0], false)
	var once sync.Once
	s, err := OpenStore(StoreOptions{FlushInterval: time.Hour, OnError: func(string, error) { once.Do(release) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(paths[0], hostArg(0, 1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	checkLast(t, paths[0], T0+15)
	if st := s.Stats(); st.LockFailures == 0 || st.Applied != 1 {
		t.Errorf("stats %+v: want a lock failure, then 1 applied", st)
	}
}

// TestStoreTruncatedUnderMapping: a file cut short in place by someone
// else (rrdtool never does) makes the next flush fault on the mapping;
// that is an error for the file, not a crash of the process.
func TestStoreTruncatedUnderMapping(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.rrd")
	// cur_row near the end of every RRA, so the rows the updates write lie
	// far beyond the 8 KiB the truncation keeps (a random cur_row put them
	// inside it about one run in seven).
	nearEnd := CreateOptions{CurRow: func(_ int, rows uint64) uint64 { return rows - 3 }}
	if err := Create(path, GmetadSpec(15, T0-1, "both", false, nil), nearEnd); err != nil {
		t.Fatal(err)
	}
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour})
	// The first flush reads and writes the fresh file, the second, from the
	// cache, maps it.
	for k := 1; k <= 2; k++ {
		s.Update(path, hostArg(0, k))
		if err := s.Flush(context.Background(), path); err != nil {
			t.Fatal(err)
		}
		if mapped := s.entryOf(path).file.mem != nil; mapped != (k == 2) {
			t.Fatalf("after flush %d mapped = %v", k, mapped)
		}
	}
	if err := os.Truncate(path, 8192); err != nil { // the header stays, the rows go
		t.Fatal(err)
	}
	s.Update(path, hostArg(0, 3))
	if err := s.Flush(context.Background(), path); !errors.Is(err, ErrTruncatedFile) {
		t.Errorf("flush into a truncated mapping: %v, want ErrTruncatedFile", err)
	}
	s.Update(path, hostArg(0, 4))
	if err := s.Flush(context.Background(), path); !errors.Is(err, ErrTruncatedFile) {
		t.Errorf("next flush: %v, want ErrTruncatedFile from the header check", err)
	}
}
