package rrdstore

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// treeRealStock lays out what stock gmetad and an earlier stay left, with
// rrdtool-made files: c1/h is a real directory holding load_one (an hour
// of history, also in LPARS) and cpu_user (only there); LPARS/h holds the
// host's newer load_one and mem_free. It returns the tree with default
// options (the real Merge), copies of the inputs, and the log.
func treeRealStock(t *testing.T) (*Tree, string, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts := DefaultTreeOptions()
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	tr := treeTestOpen(t, opts)
	old, lpar := filepath.Join(tr.Root(), "c1", "h"), filepath.Join(tr.Root(), "LPARS", "h")
	for _, d := range []string{old, lpar} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mergeMake(t, old, "load_one.rrd", mergeHist{-1, 10, 600, 1000, 3}, mergeDefs)
	mergeMake(t, old, "cpu_user.rrd", mergeHist{-1, 10, 600, 3000, 0}, mergeDefs)
	mergeMake(t, lpar, "load_one.rrd", mergeHist{660, 675, 900, 5000, 0}, mergeDefs)
	mergeMake(t, lpar, "mem_free.rrd", mergeHist{660, 675, 900, 7000, 0}, mergeDefs)
	inputs := t.TempDir()
	copyFile(t, filepath.Join(old, "load_one.rrd"), filepath.Join(inputs, "old-load_one.rrd"))
	copyFile(t, filepath.Join(old, "cpu_user.rrd"), filepath.Join(inputs, "old-cpu_user.rrd"))
	copyFile(t, filepath.Join(lpar, "load_one.rrd"), filepath.Join(inputs, "lpar-load_one.rrd"))
	return tr, inputs, &logs
}

// TestTreeRealMerge: HostDir on a stock directory merges its files into
// the host's directory sample by sample, moves the others, and puts the
// link in its place; fetch over the result shows both histories.
func TestTreeRealMerge(t *testing.T) {
	tr, inputs, logs := treeRealStock(t)
	if _, err := tr.HostDir("c1", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c1", "h")
	entries, err := os.ReadDir(filepath.Join(tr.Root(), "c1"))
	if err != nil || len(entries) != 1 {
		t.Errorf("c1 holds %v (%v), want only the link", entries, err)
	}
	var names []string
	lpar := filepath.Join(tr.Root(), "LPARS", "h")
	dir, _ := os.ReadDir(lpar)
	for _, e := range dir {
		names = append(names, e.Name())
	}
	if want := []string{"cpu_user.rrd", "load_one.rrd", "mem_free.rrd"}; !slices.Equal(names, want) {
		t.Errorf("LPARS/h = %q, want %q", names, want)
	}
	if !bytes.Equal(readFile(t, filepath.Join(lpar, "cpu_user.rrd")), readFile(t, filepath.Join(inputs, "old-cpu_user.rrd"))) {
		t.Error("cpu_user.rrd, only in the stock directory, was not moved as it was")
	}
	got := filepath.Join(lpar, "load_one.rrd")
	stats := mergeCheck(t, rrdtoolFetcher, filepath.Join(inputs, "lpar-load_one.rrd"),
		filepath.Join(inputs, "old-load_one.rrd"), got, mergeArchives)
	for j, s := range stats {
		if s.onlyDst == 0 || s.onlySrc == 0 {
			t.Errorf("load_one.rrd rra[%d]: %+v, want both histories", j, s)
		}
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("warnings: %s", logs)
	}
}

// TestTreeRealMergeRepeated: a crash after Merge and before the old file
// is removed makes the next HostDir merge the same file again, which must
// leave the host's file as the first merge made it.
func TestTreeRealMergeRepeated(t *testing.T) {
	tr, _, _ := treeRealStock(t)
	dst := filepath.Join(tr.Root(), "LPARS", "h", "load_one.rrd")
	if err := Merge(dst, filepath.Join(tr.Root(), "c1", "h", "load_one.rrd")); err != nil {
		t.Fatal(err)
	}
	once := readFile(t, dst)
	if _, err := tr.HostDir("c1", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c1", "h")
	if !bytes.Equal(readFile(t, dst), once) {
		t.Error("the repeated merge changed the host's file")
	}
}
