package rrdstore

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// benchArgs are gmetad-style host updates, one per 15 s step, so every
// call finishes a PDP (the common case in gmetad).
func benchArgs(n int) []string {
	args := make([]string, n)
	for k := range args {
		args[k] = strconv.FormatInt(T0+10+15*int64(k), 10) + ":" + strconv.FormatFloat(0.25*float64(k%97), 'f', -1, 64)
	}
	return args
}

func benchFile(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "load_one.rrd")
	if err := Create(path, GmetadSpec(15, T0-1, "both", false, nil), CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkUpdate: Update per value on one gmetad host file (630 KB):
// open, lock, read the header, apply, write rows and header, unlock, close.
// librrd's rrd_update_r does the same work in about 30 µs here.
func BenchmarkUpdate(b *testing.B) {
	path := benchFile(b)
	args := benchArgs(1 << 16)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i == len(args) {
			b.StopTimer()
			path, i = benchFile(b), 0
			b.StartTimer()
		}
		if err := Update(path, args[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedUpdate: what a cache of open files does per value: lock,
// re-read and compare the header, apply, write, unlock, on a file kept open.
func BenchmarkCachedUpdate(b *testing.B) {
	r := openBench(b)
	args := benchArgs(1 << 16)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i == len(args) {
			b.StopTimer()
			r, i = openBench(b), 0
			b.StartTimer()
		}
		if err := r.lock(); err != nil {
			b.Fatal(err)
		}
		if err := r.load(); err != nil {
			b.Fatal(err)
		}
		if err := r.apply(args[i], now); err != nil {
			b.Fatal(err)
		}
		if err := r.flush(); err != nil {
			b.Fatal(err)
		}
		if err := r.unlock(); err != nil {
			b.Fatal(err)
		}
	}
}

func openBench(b *testing.B) *rrdFile {
	b.Helper()
	r, err := openRRD(benchFile(b), true)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.close() })
	if err := r.load(); err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkApply: the in-memory update alone (parse, PDP, CDP, row
// recording), no I/O; it must not allocate.
func BenchmarkApply(b *testing.B) {
	r := openBench(b)
	args := benchArgs(1 << 16)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i == len(args) {
			i = 0
			r.hdr.decodeLive(r.raw, &r.st) // back to the state before the first argument
		}
		if err := r.apply(args[i], now); err != nil {
			b.Fatal(err)
		}
		r.rows.reset()
	}
}

func TestApplyDoesNotAllocate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.rrd")
	spec := Spec{Step: 15, Start: T0 - 1, RRA: GmetadRRAs(), DS: []DS{
		{Name: "g", Type: "GAUGE", Heartbeat: 120, Min: dnan, Max: dnan},
		{Name: "c", Type: "COUNTER", Heartbeat: 120, Min: dnan, Max: dnan},
		{Name: "d", Type: "DERIVE", Heartbeat: 120, Min: dnan, Max: dnan}}}
	if err := Create(path, spec, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := openRRD(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	if err := r.load(); err != nil {
		t.Fatal(err)
	}
	args := make([]string, 200)
	for k := range args {
		args[k] = strconv.FormatInt(T0+10+15*int64(k), 10) + ":1.5:" + strconv.Itoa(1000*k) + ":-" + strconv.Itoa(k)
	}
	r.apply(args[0], time.Now())
	k := 1
	allocs := testing.AllocsPerRun(100, func() {
		if err := r.apply(args[k], time.Now()); err != nil {
			t.Fatal(err)
		}
		r.rows.reset()
		k++
	})
	if allocs != 0 {
		t.Errorf("apply allocates %.1f times per call", allocs)
	}
}
