package rrdstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// batch is what a cache of open files does for one file: lock, load,
// apply, flush, unlock.
func batch(t *testing.T, r *rrdFile, args ...string) {
	t.Helper()
	if err := r.lock(); err != nil {
		t.Fatal(err)
	}
	defer r.unlock()
	if err := r.load(); err != nil {
		t.Fatal(err)
	}
	for _, a := range args {
		if err := r.apply(a, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.flush(); err != nil {
		t.Fatal(err)
	}
}

// TestCachedFileSeesOtherWriters: an rrdFile kept open between batches
// re-reads what rrdtool changed meanwhile (an update changes the live
// block, a tune the definitions), so the result is what rrdtool alone
// would have written.
func TestCachedFileSeesOtherWriters(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
	defs := append([]string{"DS:g:GAUGE:120:U:U", "DS:c:COUNTER:120:U:U"}, allCFs...)
	if _, err := p.run(t, append([]string{"create", a, "--step", "15", "--start", fmt.Sprint(T0 - 1)}, defs...)...); err != nil {
		t.Fatal(err)
	}
	copyFile(t, a, b)
	r, err := openRRD(b, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	steps := []struct {
		ours  bool
		args  []string
		other []string // an rrdtool command run on both files instead
	}{
		{ours: true, args: []string{tv(10, "1:100"), tv(25, "2:200")}},
		{other: []string{"update", "FILE", tv(40, "3:300"), tv(55, "4:400")}},
		{ours: true, args: []string{tv(70, "5:500")}},
		{other: []string{"tune", "FILE", "-h", "g:20", "-a", "c:5"}},
		{ours: true, args: []string{tv(85, "6:600"), tv(120, "7:5000")}},
		{other: []string{"update", "FILE", tv(130, "8:5001")}},
		{ours: true, args: []string{tv(145, "9:5002")}},
	}
	if r.replaced() {
		t.Fatal("replaced() on an untouched file")
	}
	for k, s := range steps {
		if s.ours {
			if _, err := p.run(t, append([]string{"update", a}, s.args...)...); err != nil {
				t.Fatal(err)
			}
			batch(t, r, s.args...)
		} else {
			for _, f := range []string{a, b} {
				cmd := append([]string(nil), s.other...)
				cmd[1] = f
				if _, err := p.run(t, cmd...); err != nil {
					t.Fatal(err)
				}
			}
		}
		if d := compareFiles(t, a, b); d != "" {
			t.Fatalf("after step %d: %s", k, d)
		}
	}
	if err := Create(b, GmetadSpec(15, T0, "", false, nil), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if !r.replaced() {
		t.Error("replaced() did not see the re-created file")
	}
}

// TestConcurrentUpdates: Update is safe to call from many goroutines on
// different files; on one file, OFD locks keep writers from interleaving
// (each Update either applies whole or reports ErrLocked).
func TestConcurrentUpdates(t *testing.T) {
	dir := t.TempDir()
	spec := GmetadSpec(15, T0-1, "", true, []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 50}})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	shared := filepath.Join(dir, "shared.rrd")
	if err := Create(shared, spec, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own := filepath.Join(dir, fmt.Sprintf("g%d.rrd", g))
			if err := Create(own, spec, CreateOptions{}); err != nil {
				errs <- err
				return
			}
			for k := range 40 {
				if err := Update(own, tv(int64(10+15*k), fmt.Sprintf("%d:%d", g, k))); err != nil {
					errs <- err
					return
				}
				// Every goroutine also appends to the shared file at its own
				// sub-second offsets; past-time refusals are expected.
				err := Update(shared, fmt.Sprintf("%d.%d:%d:1", T0+10+15*k, g+1, g))
				if err != nil && !errors.Is(err, ErrPastUpdate) && !errors.Is(err, ErrLocked) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if _, err := ReadInfo(shared); err != nil {
		t.Error(err)
	}
}
