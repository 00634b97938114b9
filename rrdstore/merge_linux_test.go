package rrdstore

// TestMergeLocked needs OFD locks: classic POSIX locks, all other systems
// have, do not exclude within one process.

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestMergeLocked: a reader of dst (rrdtool fetch, ganglia-web) or a
// writer of src makes Merge fail at once with ErrLocked and change
// nothing; so do a missing or foreign src.
func TestMergeLocked(t *testing.T) {
	dir := t.TempDir()
	dst := mergeMake(t, dir, "dst.rrd", mergeHist{-1, 10, 300, 1000, 0}, mergeDefs)
	src := mergeMake(t, dir, "src.rrd", mergeHist{400, 415, 700, 2000, 0}, mergeDefs)
	junk := filepath.Join(dir, "junk.rrd")
	if err := os.WriteFile(junk, []byte("not an rrd"), 0o644); err != nil {
		t.Fatal(err)
	}
	dstBytes := readFile(t, dst)
	for _, c := range []struct {
		name, path string
		write      bool
		src        string
		want       error
	}{
		{"dst read-locked", dst, false, src, ErrLocked},
		{"src write-locked", src, true, src, ErrLocked},
		{"src missing", "", false, filepath.Join(dir, "none.rrd"), fs.ErrNotExist},
		{"src not an RRD", "", false, junk, ErrNotRRD},
	} {
		release := func() {}
		if c.path != "" {
			release = mergeHoldLock(t, c.path, c.write)
		}
		if err := Merge(dst, c.src); !errors.Is(err, c.want) {
			t.Errorf("%s: Merge = %v, want %v", c.name, err, c.want)
		}
		release()
		if !bytes.Equal(readFile(t, dst), dstBytes) {
			t.Fatalf("%s: dst changed", c.name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("files left behind: %v", entries)
	}
	if err := Merge(dst, src); err != nil {
		t.Errorf("Merge once the locks are gone: %v", err)
	}
}
