package persist

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// layoutSnapshot is the fixture of the layout tests: two clusters (one
// with a space in its name), numeric metrics of every slope, string and
// timestamp metrics, a down host, an expired metric and a remote grid.
func layoutSnapshot(now time.Time) *xmlout.Snapshot {
	lpar01 := host("lpar01.example.com", now,
		metric("load_one", "0.25", "float", "both", now),
		metric("cpu_num", "2", "uint16", "zero", now),
		metric("golden_uint32", "4000000000", "uint32", "positive", now),
		metric("golden_double", "2.718281828459045", "double", "derivative", now),
		metric("os_name", "Linux", "string", "zero", now),
		metric("boottime_ts", "1795300000", "timestamp", "zero", now))
	gone := metric("gone_metric", "1", "float", "both", now.Add(-100*time.Second))
	gone.DMax = 10
	lpar01.Metrics = append(lpar01.Metrics, gone)
	down := host("lpar03.example.com", now.Add(-time.Hour), metric("load_one", "9", "float", "both", now))
	grid := xmlout.Source{Kind: xmlout.Grid, Name: "RemoteGrid", LocalTime: now.Unix(),
		Summary: xmlout.Summary{Up: 7, Metrics: []xmlout.SummaryMetric{
			{Name: "load_one", Sum: 3.5, Num: 7, Kind: xmlout.Float, Precision: 2, Slope: "both"}}}}
	return snapshot(
		cluster("P770-DC1-R05", now, lpar01,
			host("lpar02.example.com", now, metric("load_one", "0.50", "float", "both", now),
				metric("os_name", "AIX", "string", "zero", now)),
			down),
		cluster("My Cluster", now, host("web 1", now, metric("load_one", "1.5", "float", "both", now))),
		grid)
}

func TestLayout(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t)})
	persistSteps(t, p, layoutSnapshot(stepTime(1)))
	closePersister(t, p)

	hostFiles := []string{"cpu_num.rrd", "golden_double.rrd", "golden_uint32.rrd", "load_one.rrd"}
	want := map[string][]string{
		"LPARS/lpar01.example.com":     hostFiles,
		"LPARS/lpar02.example.com":     {"load_one.rrd"},
		"LPARS/web 1":                  {"load_one.rrd"},
		"P770-DC1-R05/__SummaryInfo__": hostFiles,
		"My Cluster/__SummaryInfo__":   {"load_one.rrd"},
		"RemoteGrid/__SummaryInfo__":   {"load_one.rrd"},
		"__SummaryInfo__":              hostFiles,
		// What ganglia-web opens: rrds/<cluster>/<host>/<metric>.rrd.
		"P770-DC1-R05/lpar01.example.com": hostFiles,
		"P770-DC1-R05/lpar02.example.com": {"load_one.rrd"},
		"My Cluster/web 1":                {"load_one.rrd"},
	}
	for dir, files := range want {
		if got := listRRDs(t, filepath.Join(root, dir)); !slices.Equal(got, files) {
			t.Errorf("%s: %q, want %q", dir, got, files)
		}
	}
	checkEntries(t, root, "", "LPARS", "My Cluster", "P770-DC1-R05", "RemoteGrid", "__SummaryInfo__")
	checkEntries(t, root, "LPARS", "lpar01.example.com", "lpar02.example.com", "web 1")
	checkEntries(t, root, "RemoteGrid", "__SummaryInfo__")
	checkEntries(t, root, "P770-DC1-R05", "__SummaryInfo__", "lpar01.example.com", "lpar02.example.com")
	for _, link := range []string{"P770-DC1-R05/lpar01.example.com", "P770-DC1-R05/lpar02.example.com", "My Cluster/web 1"} {
		target, err := os.Readlink(filepath.Join(root, link))
		if wantT := "../LPARS/" + filepath.Base(link); err != nil || target != wantT {
			t.Errorf("%s -> %q (%v), want a link to %q", link, target, err, wantT)
		}
	}
}

// checkEntries fails unless dir (under root) holds exactly names.
func checkEntries(t *testing.T, root, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s/: %q, want %q", dir, got, names)
	}
}

// TestLayoutMatchesStockFiles compares the shape of our files with files
// stock gmetad 3.7.2 made from the same metrics (testdata/info-*.txt,
// rrdtool info captured on a stock install, data_source step 15, default
// RRAs): step, DS names, types, heartbeats, limits, and archives.
func TestLayoutMatchesStockFiles(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t)})
	persistSteps(t, p, layoutSnapshot(stepTime(1)))
	closePersister(t, p)

	for _, c := range []struct{ ours, stock string }{
		{"P770-DC1-R05/lpar01.example.com/load_one.rrd", "info-host-load_one.txt"},
		{"P770-DC1-R05/lpar01.example.com/cpu_num.rrd", "info-host-cpu_num-zero-slope.txt"},
		{"P770-DC1-R05/lpar01.example.com/golden_uint32.rrd", "info-host-golden_uint32-positive-slope.txt"},
		{"P770-DC1-R05/lpar01.example.com/golden_double.rrd", "info-host-golden_double-derivative-slope.txt"},
		{"P770-DC1-R05/__SummaryInfo__/load_one.rrd", "info-cluster-summary-load_one.txt"},
		{"__SummaryInfo__/load_one.rrd", "info-grid-summary-load_one.txt"},
	} {
		stock, err := os.ReadFile(filepath.Join("testdata", c.stock))
		if err != nil {
			t.Fatal(err)
		}
		want := definitionKeys(parseInfo(stock))
		if len(want) < 16 {
			t.Fatalf("testdata/%s: only %d definition keys", c.stock, len(want))
		}
		got := definitionKeys(rrdInfo(t, filepath.Join(root, c.ours)))
		if d := diffKeys(got, want); len(d) > 0 {
			t.Errorf("%s differs from stock %s:\n%s", c.ours, c.stock, strings.Join(d, "\n"))
		}
	}

	// Summaries of a positive-slope metric: sum COUNTER as in stock, num
	// GAUGE (Q10: master, where 3.7.2 gives num the sum's type); the root
	// summary's type follows the slope too (3.7.2 makes it GAUGE by
	// accident).
	for _, path := range []string{"P770-DC1-R05/__SummaryInfo__/golden_uint32.rrd", "__SummaryInfo__/golden_uint32.rrd"} {
		info := rrdInfo(t, filepath.Join(root, path))
		if info["ds[sum].type"] != `"COUNTER"` || info["ds[num].type"] != `"GAUGE"` {
			t.Errorf("%s: sum %s num %s, want COUNTER and GAUGE", path, info["ds[sum].type"], info["ds[num].type"])
		}
	}
}

// TestSteps: host and cluster summary files take the source's step and
// a heartbeat of 8 steps; root summary files always step 15 (Q9).
func TestSteps(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t), RRAs: smallRRAs, Step: 5 * time.Second,
		StepOf: func(src string) time.Duration {
			if src == "Polled" {
				return 60 * time.Second
			}
			return 0
		}})
	now := stepTime(1)
	persistSteps(t, p, snapshot(
		cluster("Own", now, host("h1", now, metric("load_one", "1", "float", "both", now))),
		cluster("Polled", now, host("h2", now, metric("load_one", "1", "float", "both", now)))))
	closePersister(t, p)
	for _, c := range []struct {
		path      string
		step, hb  string
		summaries bool
	}{
		{"Own/h1/load_one.rrd", "5", "40", false},
		{"Own/__SummaryInfo__/load_one.rrd", "5", "40", true},
		{"Polled/h2/load_one.rrd", "60", "480", false},
		{"Polled/__SummaryInfo__/load_one.rrd", "60", "480", true},
		{"__SummaryInfo__/load_one.rrd", "15", "120", true},
	} {
		info := rrdInfo(t, filepath.Join(root, c.path))
		if info["step"] != c.step || info["ds[sum].minimal_heartbeat"] != c.hb ||
			(c.summaries && info["ds[num].minimal_heartbeat"] != c.hb) {
			t.Errorf("%s: step %s heartbeat %s/%s, want %s and %s", c.path, info["step"],
				info["ds[sum].minimal_heartbeat"], info["ds[num].minimal_heartbeat"], c.step, c.hb)
		}
		if got := info["rra[0].rows"] + "/" + info["rra[1].pdp_per_row"]; got != "100/4" {
			t.Errorf("%s: RRAs %s, want the configured 100/4", c.path, got)
		}
	}
}
