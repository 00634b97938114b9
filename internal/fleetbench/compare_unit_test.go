package fleetbench

import (
	"bytes"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		want string
	}{
		{1, 4, "0.25"},
		{1, 40, "0.025"},
		{30, 2, "15"},
		{1, 0, "-"},
		{math.NaN(), 1, "-"},
	} {
		if got := ratio(tc.a, tc.b); got != tc.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSizeLabel(t *testing.T) {
	for n, want := range map[int]string{60: "60", 1000: "1,000", 10000: "10,000", 1234567: "1,234,567"} {
		if got := sizeLabel(n); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

// side is a pipeline's figures for the goal and table tests.
func side(pipeline string, cpu time.Duration, stored float64, took time.Duration, gaps int) Side {
	return Side{Pipeline: pipeline, Hosts: 10000, Window: 2 * time.Minute, CPU: cpu, Stored: stored, Expected: stored,
		Dumps: []dump{{Took: took}}, Gaps: gapReport{gapCount: gapCount{Rows: 200, Interior: gaps}, Files: 100}}
}

func TestGoals(t *testing.T) {
	runs := []SizeRun{{Hosts: 10000, Sides: []Side{
		side("ours", 5*time.Second, 4e6, time.Second, 0),
		side("stock", 100*time.Second, 4e6, 2*time.Second, 30),
	}}}
	g := Goals(runs)
	if len(g) != 3 {
		t.Fatalf("%d goals", len(g))
	}
	// CPU 5/100 = 1/20: met; no gaps: met; dump 1/2: missed.
	for i, want := range []bool{true, true, false} {
		if !g[i].Judged || g[i].Met != want {
			t.Errorf("goal %q: judged %v met %v, want met %v (%s)", g[i].Name, g[i].Judged, g[i].Met, want, g[i].Detail)
		}
	}
	if !strings.Contains(g[0].Detail, "= 0.05× stock") || !strings.Contains(g[2].Detail, "= 0.50× stock") {
		t.Errorf("details: %q, %q", g[0].Detail, g[2].Detail)
	}
	runs[0].Sides[0].Gaps.Interior = 1
	if Goals(runs)[1].Met {
		t.Error("a gap row at 10,000 hosts met the no-gap goal")
	}
	small := []SizeRun{{Hosts: 1000, Sides: runs[0].Sides}}
	if g := Goals(small); g[1].Judged || g[2].Judged || !g[0].Judged {
		t.Errorf("1,000 hosts alone: judged %v %v %v, want true false false", g[0].Judged, g[1].Judged, g[2].Judged)
	}
}

func TestComparisonTables(t *testing.T) {
	runs := []SizeRun{{Hosts: 1000, Sides: []Side{
		side("ours", 2*time.Second, 1e6, 100*time.Millisecond, 0),
		side("stock", 40*time.Second, 1e6, 900*time.Millisecond, 0),
		side("stock+rrdcached", 20*time.Second, 1e6, 800*time.Millisecond, 0),
	}}}
	var md, text bytes.Buffer
	if err := WriteComparisonMarkdown(&md, runs); err != nil {
		t.Fatal(err)
	}
	if err := WriteComparisonText(&text, runs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 1,000 hosts × 50 metrics | ours | stock | ours/stock | stock+rrdcached | ours/stock+rrdcached |",
		"| **CPU-s per million stored values** | 2.00 | 40.00 | 0.050 | 20.00 | 0.10 |",
		"| **full XML dump, median of 3** | 100ms | 900ms | 0.11 | 800ms | 0.12 |",
	} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	if strings.Contains(text.String(), "**") || !strings.Contains(text.String(), "CPU-s per million stored values") {
		t.Errorf("text table:\n%s", text.String())
	}
}

func TestLibrrdTable(t *testing.T) {
	out := "=== RUN   TestStoreVsLibrrd\n" +
		"    librrd_bench_test.go:204: \n" +
		"        1000 files × 100 rounds = 100000 updates in time order; files byte-identical on all sides\n" +
		"                                           wall        cpu   updates/s\n" +
		"        librrd rrd_update_r (1 thread)      2.1s       2.0s       47619\n" +
		"--- PASS: TestStoreVsLibrrd (30.00s)\n"
	got, err := librrdTable(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "1000 files × 100 rounds") || !strings.Contains(got, "47619\n") || strings.Contains(got, "PASS") {
		t.Errorf("librrdTable =\n%s", got)
	}
	if _, err := librrdTable("PASS\n"); err == nil {
		t.Error("output without the table was accepted")
	}
}

func TestFootprintTable(t *testing.T) {
	out := "=== RUN   TestFootprintVsStock\ngmond footprint over 3m0s, Debian collection groups, same machine:\n" +
		"agent CPU s/hour\nganglia-lpm 1.0\nstock 3.7.2 2.0\nratio ours/stock: CPU 0.50, RSS 0.40\n--- PASS\n"
	got, err := footprintTable(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "gmond footprint over 3m0s") || !strings.HasSuffix(got, "RSS 0.40\n") {
		t.Errorf("footprintTable =\n%s", got)
	}
	if _, err := footprintTable("gmond footprint over 3m0s\n"); err == nil {
		t.Error("output without the ratio line was accepted")
	}
}

// TestLagWatchCountsEveryStep: a write that makes four steps readable at
// once gives four lag samples, 15 s apart; a poll without a change gives
// none.
func TestLagWatchCountsEveryStep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.rrd")
	const t0 = 1_700_000_000
	if err := rrdstore.Create(path, rrdstore.GmetadSpec(15, t0, "both", false, nil), rrdstore.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	update := func(ts int64) {
		if err := rrdstore.Update(path, strconv.FormatInt(ts, 10)+":1"); err != nil {
			t.Fatal(err)
		}
	}
	update(t0 + 15)
	w := newLagWatch([]string{path})
	w.poll(time.Unix(t0+16, 0), true)
	for k := int64(2); k <= 5; k++ {
		update(t0 + 15*k)
	}
	w.poll(time.Unix(t0+80, 0), false)
	w.poll(time.Unix(t0+81, 0), false)
	want := []time.Duration{5 * time.Second, 20 * time.Second, 35 * time.Second, 50 * time.Second}
	if !slices.Equal(w.lags, want) {
		t.Errorf("lags %v, want %v", w.lags, want)
	}
	// Stock gmetad's polls drift: an update 16 s or 22 s after the last
	// one is one step, 29 s two.
	for _, c := range []struct {
		after int64
		want  int
	}{{16, 1}, {22, 1}, {29, 2}} {
		w.lags = nil
		last := w.last[0] / 1e6
		update(last + c.after)
		w.poll(time.Unix(last+c.after+1, 0), false)
		if len(w.lags) != c.want {
			t.Errorf("an update %d s after the last: %d lag samples %v, want %d", c.after, len(w.lags), w.lags, c.want)
		}
	}
}
