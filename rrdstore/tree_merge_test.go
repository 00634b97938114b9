package rrdstore

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// treeFakeMerge appends the source's content to the destination, standing in
// for the RRD sample-level merge, and records its calls.
type treeFakeMerge struct {
	calls []string
	err   error
}

func (m *treeFakeMerge) merge(dst, src string) error {
	m.calls = append(m.calls, filepath.Base(filepath.Dir(dst))+"/"+filepath.Base(dst)+" <- "+src)
	if m.err != nil {
		return m.err
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(dst, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(append([]byte("+merged:"), b...))
	return err
}

var treeMergeNow = time.Unix(1700000000, 0)

// treeStock opens a tree whose root holds what stock gmetad and an earlier
// move left: LPARS/h with a.rrd and b.rrd, and the real directory c/h with
// a.rrd (in both) and c.rrd (only there).
func treeStock(t *testing.T, merge func(dst, src string) error) (*Tree, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	opts := DefaultTreeOptions()
	opts.MergeFile = merge
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	opts.Now = func() time.Time { return treeMergeNow }
	tr := treeTestOpen(t, opts)
	for name, content := range map[string]string{
		"LPARS/h/a.rrd": "new-a", "LPARS/h/b.rrd": "new-b",
		"c/h/a.rrd": "old-a", "c/h/c.rrd": "old-c",
	} {
		treeWrite(t, filepath.Join(tr.Root(), name), content)
	}
	return tr, &logs
}

func TestTreeMergeStockDir(t *testing.T) {
	m := &treeFakeMerge{}
	tr, logs := treeStock(t, m.merge)
	if _, err := tr.HostDir("c", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c", "h")
	want := []string{"LPARS", "LPARS/h",
		"LPARS/h/a.rrd = new-a+merged:old-a", "LPARS/h/b.rrd = new-b", "LPARS/h/c.rrd = old-c",
		"c", "c/h -> ../LPARS/h"}
	if got := treeList(t, tr.Root()); !slices.Equal(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if wantCall := "h/a.rrd <- " + filepath.Join(tr.Root(), "c/h/a.rrd"); !slices.Equal(m.calls, []string{wantCall}) {
		t.Errorf("MergeFile calls = %q, want %q", m.calls, wantCall)
	}
	if logs.Len() != 0 {
		t.Errorf("unexpected warnings: %s", logs)
	}
}

// Without a merge function the files in both places stay in the old
// directory, renamed beside the link; nothing is lost.
func TestTreeMergeKeepsOldDir(t *testing.T) {
	tr, logs := treeStock(t, nil)
	if _, err := tr.HostDir("c", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c", "h")
	want := []string{"LPARS", "LPARS/h",
		"LPARS/h/a.rrd = new-a", "LPARS/h/b.rrd = new-b", "LPARS/h/c.rrd = old-c",
		"c", "c/.h.premerge-1700000000", "c/.h.premerge-1700000000/a.rrd = old-a", "c/h -> ../LPARS/h"}
	if got := treeList(t, tr.Root()); !slices.Equal(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), ".h.premerge-1700000000") {
		t.Errorf("no warning naming the kept directory: %s", logs)
	}
}

// A failing merge keeps the file, and the directory, like no merge at all.
func TestTreeMergeErrorKeepsFile(t *testing.T) {
	m := &treeFakeMerge{err: errors.New("locked")}
	tr, logs := treeStock(t, m.merge)
	if _, err := tr.HostDir("c", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c", "h")
	b, err := os.ReadFile(filepath.Join(tr.Root(), "c/.h.premerge-1700000000/a.rrd"))
	if err != nil || string(b) != "old-a" {
		t.Errorf("kept file: %q, %v", b, err)
	}
	if !strings.Contains(logs.String(), "locked") {
		t.Errorf("merge error not logged: %s", logs)
	}
}

// A stock directory of a host seen nowhere else moves as a whole, and
// what is not a regular file is neither moved nor followed.
func TestTreeMergeMovesOnlyFiles(t *testing.T) {
	opts := DefaultTreeOptions()
	opts.Now = func() time.Time { return treeMergeNow }
	tr := treeTestOpen(t, opts)
	outside := t.TempDir()
	treeWrite(t, filepath.Join(tr.Root(), "c/h/load_one.rrd"), "1")
	treeWrite(t, filepath.Join(tr.Root(), "c/h/sub/x.rrd"), "2")
	treePlantLinkTo("c/h/evil.rrd", filepath.Join(outside, "evil.rrd"))(t, tr.Root(), "")
	if _, err := tr.HostDir("c", "h"); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "c", "h")
	want := []string{"LPARS", "LPARS/h", "LPARS/h/load_one.rrd = 1",
		"c", "c/.h.premerge-1700000000", "c/.h.premerge-1700000000/evil.rrd -> " + filepath.Join(outside, "evil.rrd"),
		"c/.h.premerge-1700000000/sub", "c/.h.premerge-1700000000/sub/x.rrd = 2", "c/h -> ../LPARS/h"}
	if got := treeList(t, tr.Root()); !slices.Equal(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := treeList(t, outside); len(got) != 0 {
		t.Errorf("outside written: %q", got)
	}
}

// A crash between link(2) and unlink(2) leaves one file under two names;
// the resumed merge drops the old name instead of merging a file with
// itself.
func TestTreeMergeResumesInterruptedMove(t *testing.T) {
	m := &treeFakeMerge{}
	tr, _ := treeStock(t, m.merge)
	root := tr.Root()
	if err := os.Remove(filepath.Join(root, "c/h/a.rrd")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(root, "LPARS/h/a.rrd"), filepath.Join(root, "c/h/a.rrd")); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.HostDir("c", "h"); err != nil {
		t.Fatal(err)
	}
	if len(m.calls) != 0 {
		t.Errorf("merged a file with itself: %q", m.calls)
	}
	want := []string{"LPARS", "LPARS/h",
		"LPARS/h/a.rrd = new-a", "LPARS/h/b.rrd = new-b", "LPARS/h/c.rrd = old-c",
		"c", "c/h -> ../LPARS/h"}
	if got := treeList(t, root); !slices.Equal(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Case-insensitive trees find stock's lower-cased directory, and a host
// name at the length limit still gets a kept-directory name that fits.
func TestTreeMergeLongLowercaseHost(t *testing.T) {
	opts := DefaultTreeOptions()
	opts.CaseSensitiveHostnames = false
	opts.Now = func() time.Time { return treeMergeNow }
	tr := treeTestOpen(t, opts)
	host := strings.Repeat("H", 255)
	hc := strings.ToLower(host)
	treeWrite(t, filepath.Join(tr.Root(), "LPARS", hc, "a.rrd"), "new")
	treeWrite(t, filepath.Join(tr.Root(), "Cl", hc, "a.rrd"), "old")
	if _, err := tr.HostDir("Cl", host); err != nil {
		t.Fatal(err)
	}
	treeCheckLink(t, tr, "Cl", hc)
	entries, err := os.ReadDir(filepath.Join(tr.Root(), "Cl"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("Cl: %v, %v", entries, err)
	}
	kept := entries[0].Name()
	if !strings.HasPrefix(kept, ".hhh") || !strings.HasSuffix(kept, ".premerge-1700000000") || len(kept) > 255 {
		t.Errorf("kept directory %q (%d bytes)", kept, len(kept))
	}
}
