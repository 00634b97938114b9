package rrdstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkStore: one op is one Update; every 64 rounds over the 100
// gmetad host files (630 KB each) the Store flushes them all, so each
// flush applies 64 updates to a file.
func BenchmarkStore(b *testing.B) {
	const files, batch = 100, 64
	dir := b.TempDir()
	paths := make([]string, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("f%03d.rrd", i))
		if err := Create(paths[i], GmetadSpec(15, T0-1, "both", false, nil), CreateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	args := benchArgs(1 << 16)
	s := openTestStore(b, StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 20})
	b.ReportAllocs()
	for n := 0; b.Loop(); n++ {
		k, i := n/files%len(args), n%files
		if err := s.Update(paths[i], args[k]); err != nil {
			b.Fatal(err)
		}
		if i == files-1 && k%batch == batch-1 {
			if err := s.FlushAll(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		if k == len(args)-1 && i == files-1 {
			b.Fatal("out of update times: raise len(args)")
		}
	}
	if err := s.FlushAll(context.Background()); err != nil {
		b.Fatal(err)
	}
	st := s.Stats()
	b.ReportMetric(float64(st.BytesWritten)/float64(st.Applied), "B_written/update")
}

// TestStoreUpdateDoesNotAllocate: once a file's queue buffers have grown,
// Update allocates nothing (the caller's strings are queued as they are).
func TestStoreUpdateDoesNotAllocate(t *testing.T) {
	paths := storeFiles(t, t.TempDir(), 1)
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 20})
	args := make([]string, 400)
	for k := range args {
		args[k] = hostArg(0, k+1)
	}
	for _, a := range args[:200] {
		s.Update(paths[0], a)
	}
	s.Flush(context.Background(), paths[0]) // the queue's buffer goes to spare
	s.Update(paths[0], args[200])
	s.Flush(context.Background(), paths[0]) // and back: 200 updates fit
	k := 201
	allocs := testing.AllocsPerRun(100, func() {
		s.Update(paths[0], args[k])
		k++
	})
	if allocs != 0 {
		t.Errorf("Update allocates %.1f times per call", allocs)
	}
}

// BenchmarkStoreOverflow is gmetad's pattern with a fleet larger than
// MaxOpen: every round updates each of 2,000 files once and flushes, while
// only 256 files may stay open, so an LRU never finds the file it needs
// and each flush opens and closes its file. One op is one update.
func BenchmarkStoreOverflow(b *testing.B) {
	const files = 2000
	paths := storeFiles(b, b.TempDir(), files)
	var args [2][]string // host files, summary files (two DS)
	for k := range 1 << 12 {
		args[0], args[1] = append(args[0], hostArg(0, k+1)), append(args[1], hostArg(1, k+1))
	}
	s := openTestStore(b, StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 20, MaxOpen: 256})
	b.ReportAllocs()
	for n := 0; b.Loop(); n++ {
		k, i := n/files, n%files
		if k == len(args[0]) {
			b.Fatal("out of update times: raise len(args)")
		}
		if err := s.Update(paths[i], args[i%2][k]); err != nil {
			b.Fatal(err)
		}
		if i == files-1 {
			if err := s.FlushAll(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := s.FlushAll(context.Background()); err != nil {
		b.Fatal(err)
	}
	st := s.Stats()
	b.ReportMetric(float64(st.Opens)/float64(st.Flushes), "opens/flush")
}
