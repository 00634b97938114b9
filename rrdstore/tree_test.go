package rrdstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// treeTestOpen opens a tree on <tmp>/rrds and, when the test ends, checks
// that nothing was created in <tmp> outside the root.
func treeTestOpen(t testing.TB, opts TreeOptions) *Tree {
	t.Helper()
	parent := t.TempDir()
	root := filepath.Join(parent, "rrds")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	tr, err := OpenTree(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		tr.Close()
		for _, p := range treeList(t, parent) {
			if p != "rrds" && !strings.HasPrefix(p, "rrds/") {
				t.Errorf("created outside the root: %s", p)
			}
		}
	})
	return tr
}

// treeList returns every path under dir, relative, with the target of each
// symlink and the content of each small file, without following links.
func treeList(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			rel += " -> " + target
		case d.Type().IsRegular():
			b, _ := os.ReadFile(p)
			rel += " = " + string(b)
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// treeCheckLink asserts <root>/<cluster>/<hc> is the relative link to
// <root>/LPARS/<hc> and that it resolves there.
func treeCheckLink(t *testing.T, tr *Tree, cluster, hc string) {
	t.Helper()
	link := filepath.Join(tr.Root(), cluster, hc)
	target, err := os.Readlink(link)
	if err != nil {
		t.Fatalf("host link: %v", err)
	}
	if want := "../LPARS/" + hc; target != want {
		t.Errorf("link %s -> %q, want %q", link, target, want)
	}
	resolved, err := filepath.EvalSymlinks(link)
	if want := filepath.Join(tr.Root(), "LPARS", hc); err != nil || resolved != want {
		t.Errorf("link %s resolves to %q (%v), want %q", link, resolved, err, want)
	}
}

func treeWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTreeHostDirCreates(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	dir, err := tr.HostDir("P550-DC1-R01", "lpar-a")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(tr.Root(), "LPARS", "lpar-a"); dir != want {
		t.Errorf("HostDir = %q, want %q", dir, want)
	}
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("host dir is not a real directory: %v %v", fi, err)
	}
	treeCheckLink(t, tr, "P550-DC1-R01", "lpar-a")
	again, err := tr.HostDir("P550-DC1-R01", "lpar-a")
	if err != nil || again != dir {
		t.Errorf("second HostDir = %q, %v", again, err)
	}
}

func TestTreeHostDirCached(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	dir, err := tr.HostDir("c1", "h")
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tr.Root(), "c1", "h")
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	// Served from memory: the missing link is not noticed, so no system
	// call was made.
	if got, err := tr.HostDir("c1", "h"); err != nil || got != dir {
		t.Fatalf("cached HostDir = %q, %v", got, err)
	}
	if _, err := os.Lstat(link); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("cached call touched the file system: %v", err)
	}
	tr.Forget("c1", "h")
	if got, err := tr.HostDir("c1", "h"); err != nil || got != dir {
		t.Fatalf("HostDir after Forget = %q, %v", got, err)
	}
	treeCheckLink(t, tr, "c1", "h")
}

func TestTreeHostMoves(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	dir1, err := tr.HostDir("P550-DC1-R01", "a")
	if err != nil {
		t.Fatal(err)
	}
	treeWrite(t, filepath.Join(dir1, "load_one.rrd"), "history")
	dir2, err := tr.HostDir("P770-DC1-R05", "a")
	if err != nil || dir2 != dir1 {
		t.Fatalf("HostDir after move = %q, %v; want %q", dir2, err, dir1)
	}
	for _, c := range []string{"P550-DC1-R01", "P770-DC1-R05"} {
		treeCheckLink(t, tr, c, "a")
		b, err := os.ReadFile(filepath.Join(tr.Root(), c, "a", "load_one.rrd"))
		if err != nil || string(b) != "history" {
			t.Errorf("history through %s: %q, %v", c, b, err)
		}
	}
}

func TestTreeConcurrentHostDir(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	clusters := []string{"c0", "c1"}
	hosts := []string{"h0", "h1", "h2"}
	var wg sync.WaitGroup
	errs := make(chan error, 16*len(clusters)*len(hosts))
	for g := range 16 {
		wg.Go(func() {
			for i := range len(clusters) * len(hosts) {
				k := (i + g) % (len(clusters) * len(hosts)) // each goroutine in another order
				c, h := clusters[k%len(clusters)], hosts[k/len(clusters)]
				dir, err := tr.HostDir(c, h)
				if want := filepath.Join(tr.Root(), "LPARS", h); err != nil || dir != want {
					errs <- fmt.Errorf("HostDir(%s, %s) = %q, %v", c, h, dir, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want := []string{"LPARS", "LPARS/h0", "LPARS/h1", "LPARS/h2",
		"c0", "c0/h0 -> ../LPARS/h0", "c0/h1 -> ../LPARS/h1", "c0/h2 -> ../LPARS/h2",
		"c1", "c1/h0 -> ../LPARS/h0", "c1/h1 -> ../LPARS/h1", "c1/h2 -> ../LPARS/h2"}
	if got := treeList(t, tr.Root()); !slices.Equal(got, want) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTreeCaseInsensitiveHostnames(t *testing.T) {
	opts := DefaultTreeOptions()
	opts.CaseSensitiveHostnames = false
	tr := treeTestOpen(t, opts)
	dir, err := tr.HostDir("Cluster-A", "Web01.EXAMPLE")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(tr.Root(), "LPARS", "web01.example"); dir != want {
		t.Errorf("HostDir = %q, want %q", dir, want)
	}
	treeCheckLink(t, tr, "Cluster-A", "web01.example")
	if p, err := tr.MetricPath(dir, "Load_One"); err != nil || filepath.Base(p) != "Load_One.rrd" {
		t.Errorf("MetricPath = %q, %v; the metric keeps its case", p, err)
	}
	// Bytes that are not ASCII letters, invalid UTF-8 included, are kept
	// as stock's tolower() in the C locale keeps them.
	if dir, err := tr.HostDir("Cluster-A", "\xffÄB"); err != nil || filepath.Base(dir) != "\xffÄb" {
		t.Errorf("HostDir(non-ASCII) = %q, %v", dir, err)
	}
	if dir, err := tr.HostDir("Cluster-A", "web01.example"); err != nil || filepath.Base(dir) != "web01.example" {
		t.Errorf("same host in lower case = %q, %v", dir, err)
	}

	sensitive := treeTestOpen(t, DefaultTreeOptions())
	if dir, err := sensitive.HostDir("Cluster-A", "Web01.EXAMPLE"); err != nil || filepath.Base(dir) != "Web01.EXAMPLE" {
		t.Errorf("case-sensitive HostDir = %q, %v", dir, err)
	}
}

func TestTreeSummaryDirs(t *testing.T) {
	tr := treeTestOpen(t, DefaultTreeOptions())
	dir, err := tr.ClusterSummaryDir("Test Cluster")
	if want := filepath.Join(tr.Root(), "Test Cluster", "__SummaryInfo__"); err != nil || dir != want {
		t.Errorf("ClusterSummaryDir = %q, %v; want %q", dir, err, want)
	}
	grid, err := tr.GridSummaryDir()
	if want := filepath.Join(tr.Root(), "__SummaryInfo__"); err != nil || grid != want {
		t.Errorf("GridSummaryDir = %q, %v; want %q", grid, err, want)
	}
	for _, d := range []string{dir, grid} {
		if fi, err := os.Lstat(d); err != nil || !fi.IsDir() {
			t.Errorf("%s is not a real directory: %v", d, err)
		}
	}
	p, err := tr.MetricPath(grid, "cpu_num")
	if want := filepath.Join(grid, "cpu_num.rrd"); err != nil || p != want {
		t.Errorf("MetricPath = %q, %v; want %q", p, err, want)
	}
}

func TestOpenTree(t *testing.T) {
	parent := t.TempDir()
	realDir := filepath.Join(parent, "real")
	treeWrite(t, filepath.Join(parent, "file"), "x")
	if err := os.Mkdir(realDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(parent, "alias")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{filepath.Join(parent, "missing"), filepath.Join(parent, "file")} {
		if tr, err := OpenTree(bad, DefaultTreeOptions()); err == nil {
			tr.Close()
			t.Errorf("OpenTree(%s) succeeded", bad)
		}
	}
	opts := DefaultTreeOptions()
	opts.LPARDir = "a/b"
	if _, err := OpenTree(realDir, opts); !errors.Is(err, ErrBadName) {
		t.Errorf("LPARDir a/b: %v, want ErrBadName", err)
	}
	// A symlinked rrd_rootdir is configuration, resolved once; zero
	// options take the defaults.
	tr, err := OpenTree(filepath.Join(parent, "alias"), TreeOptions{CaseSensitiveHostnames: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	want, _ := filepath.EvalSymlinks(realDir)
	if tr.Root() != want {
		t.Errorf("Root = %q, want %q", tr.Root(), want)
	}
	if dir, err := tr.HostDir("c", "h"); err != nil || dir != filepath.Join(want, "LPARS", "h") {
		t.Errorf("HostDir = %q, %v", dir, err)
	}
	if fi, err := os.Stat(filepath.Join(want, "LPARS")); err != nil || fi.Mode().Perm() != 0o755&^treeUmask(t) {
		t.Errorf("LPARS mode: %v, %v", fi, err)
	}
}

// treeUmask reads the process umask from a fresh directory's mode.
func treeUmask(t *testing.T) fs.FileMode {
	d := filepath.Join(t.TempDir(), "probe")
	if err := os.Mkdir(d, 0o777); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(d)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}

func BenchmarkHostDirCached(b *testing.B) {
	tr := treeTestOpen(b, DefaultTreeOptions())
	hosts := make([]string, 256)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("lpar%03d.example.com", i)
		if _, err := tr.HostDir("P770-DC1-R05", hosts[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := tr.HostDir("P770-DC1-R05", hosts[i%len(hosts)]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}
