package collect

import (
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// t0 is the time of the first sample in every two-sample test.
var t0 = time.Unix(1795302993, 0)

// fixtureTree copies testdata/linux/<name> (without its "later" sub-tree)
// into a temporary directory, so a test can overwrite files between two
// collections, and returns the copy's path.
func fixtureTree(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("testdata", "linux", name)
	dst := t.TempDir()
	copyTree(t, src, dst, "later")
	return dst
}

// applyLater copies testdata/linux/<name>/later over the tree at dir: the
// second sample of a rate test.
func applyLater(t *testing.T, dir, name string) {
	t.Helper()
	copyTree(t, filepath.Join("testdata", "linux", name, "later"), dir, "")
}

func copyTree(t *testing.T, src, dst, skip string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if skip != "" && (rel == skip || strings.HasPrefix(rel, skip+string(filepath.Separator))) {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func collectMap(t *testing.T, c metric.Collector, now time.Time) map[string]metric.Value {
	t.Helper()
	rs, err := c.Collect(now)
	if err != nil {
		t.Fatalf("%s: Collect: %v", c.Name(), err)
	}
	m := make(map[string]metric.Value, len(rs))
	for _, r := range rs {
		if _, dup := m[r.Name]; dup {
			t.Errorf("%s: %s reported twice", c.Name(), r.Name)
		}
		m[r.Name] = r.Value
	}
	return m
}

// wantNums checks that got holds exactly the numeric readings of want.
// Expected values are exact decimals; the tolerance only absorbs the last
// bit of a float division.
func wantNums(t *testing.T, got map[string]metric.Value, want map[string]float64) {
	t.Helper()
	for name, w := range want {
		v, ok := got[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		if math.Abs(v.Num-w) > 1e-9*math.Max(1, math.Abs(w)) {
			t.Errorf("%s = %v, want %v", name, v.Num, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected reading %s = %+v", name, got[name])
		}
	}
}

func byName(t *testing.T, cs []metric.Collector, name string) metric.Collector {
	t.Helper()
	for _, c := range cs {
		if c.Name() == name {
			return c
		}
	}
	t.Fatalf("no collector %q", name)
	return nil
}

func linuxAt(t *testing.T, dir string) []metric.Collector {
	t.Helper()
	return Linux(sysroot.New(dir), nil)
}

func linuxRoot(dir string) sysroot.Root { return sysroot.New(dir) }
