//go:build fleetbench

package fleetbench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
	"github.com/ganglia-lpm/ganglia-lpm/internal/svgchart"
)

// plotName is the PNG of CPU per million values against fleet size.
const plotName = "bench-cpu-per-million.png"

// notesFile is the hand-written reading of the last run's figures, put
// into BENCHMARKS.md after the goals.
const notesFile = "testdata/benchmarks-notes.md"

// compareReport gathers TestCompare's results for the table and the
// docs; it is saved as JSON after every size.
type compareReport struct {
	Env               reportEnv
	Started, Finished time.Time
	Machine           string
	Extras            []Extra
	Runs              []SizeRun
	Failures          []string
}

// reportEnv is what the report says of the knobs.
type reportEnv struct {
	Sizes  []int
	Window time.Duration
}

func (e compareEnv) public() reportEnv { return reportEnv{Sizes: e.sizes, Window: e.window} }

func (rep *compareReport) save(t *testing.T, path string) {
	t.Helper()
	b, err := json.MarshalIndent(rep, "", "  ")
	if err == nil {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil {
		t.Errorf("saving the results: %v", err)
	}
}

func loadReport(t *testing.T, env compareEnv) *compareReport {
	t.Helper()
	b, err := os.ReadFile(env.replay)
	if err != nil {
		t.Fatal(err)
	}
	var rep compareReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("%s: %v", env.replay, err)
	}
	return &rep
}

func (rep *compareReport) print() {
	var text bytes.Buffer
	rep.writeText(&text)
	fmt.Printf("\n%s", text.String())
}

func (rep *compareReport) writeText(w io.Writer) {
	fmt.Fprintf(w, "ganglia-lpm against stock Ganglia, %s\n%s\n\n", rep.Started.UTC().Format("2006-01-02 15:04 MST"), rep.Machine)
	WriteComparisonText(w, rep.Runs)
	for _, g := range Goals(rep.Runs) {
		fmt.Fprintln(w, g.Verdict())
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "RUN FAILED: %s\n", f)
	}
	for _, e := range rep.Extras {
		fmt.Fprintf(w, "\n%s\n%s", e.Title, e.Table)
	}
}

// writeDocs writes BENCHMARKS.md and the plot into dir.
func (rep *compareReport) writeDocs(t *testing.T, dir string) {
	t.Helper()
	var b bytes.Buffer
	rep.markdown(&b)
	if err := os.WriteFile(filepath.Join(dir, "BENCHMARKS.md"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep.plot(t, filepath.Join(dir, plotName))
	fmt.Printf("wrote %s and %s\n", filepath.Join(dir, "BENCHMARKS.md"), filepath.Join(dir, plotName))
}

func (rep *compareReport) markdown(w io.Writer) {
	fmt.Fprintf(w, "# Benchmarks: ganglia-lpm against stock Ganglia 3.7.2\n\n")
	fmt.Fprintf(w, "Written by `make bench-compare` (internal/fleetbench, TestCompare) on %s, %s to %s UTC.\n\n",
		rep.Started.UTC().Format("2006-01-02"), rep.Started.UTC().Format("15:04"), rep.Finished.UTC().Format("15:04"))
	fmt.Fprintf(w, "**Machine:** %s.\n\n", rep.Machine)
	rep.method(w)
	fmt.Fprintf(w, "## Goals\n\n")
	for _, g := range Goals(rep.Runs) {
		fmt.Fprintf(w, "- %s\n", g.Verdict())
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "- **Run failed:** %s\n", f)
	}
	fmt.Fprintf(w, "\n![CPU-seconds per million stored values against fleet size](%s)\n\n", plotName)
	// The reading of the figures is prose kept by hand beside the code:
	// what the goals' misses come from and what would close them.
	if notes, err := os.ReadFile(notesFile); err == nil {
		fmt.Fprintf(w, "%s\n", bytes.TrimSpace(notes))
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "## Results, per fleet size\n\nRatios are ours/stock: below 1, ours used less (or was faster).\n\n")
	WriteComparisonMarkdown(w, rep.Runs)
	for _, e := range rep.Extras {
		fmt.Fprintf(w, "## %s\n\n`%s`\n\n```\n%s```\n\n", e.Title, e.Command, e.Table)
	}
}

// method says what was run and how each figure is taken.
func (rep *compareReport) method(w io.Writer) {
	per, _ := fileBytes(ReducedRRAs)
	var sizes []string
	for _, n := range rep.Env.Sizes {
		files := uint64(n+4) * 46 // host files, then the summaries of 3 clusters and the grid
		sizes = append(sizes, fmt.Sprintf("%s hosts: %d files, %.1f GB", sizeLabel(n), files, float64(files*per)/1e9))
	}
	fmt.Fprintf(w, `## What runs

- **Fleet:** ganglia-loadgen, N hosts × 50 metrics (46 numeric, so 46 RRD files a host) every 15 s,
  each host from its own 127.1.x.y address, split evenly over three managed systems.
- **Ours:** one gmetad receiving the three systems' UDP ports itself (mapping file, LPARS tree), with
  its defaults: these fleets have more RRD files than it keeps open (rrd_max_open, automatic), so its
  updates wait up to rrd_overflow_flush_interval (60 s) in memory and each write of a file carries
  about four steps, the write-behind of stock+rrdcached's -w 60 below. The RRD lag shows it.
- **Stock:** Debian's gmond 3.7.2 as a collector (mute, deaf = no) on each system's port, and Debian's
  gmetad 3.7.2 polling the three every 15 s. **stock+rrdcached:** the same, with gmetad's librrd
  pointed at a real rrdcached (RRDCACHED_ADDRESS=unix:…, so rrd_create and rrd_update both go to the
  daemon; -B -b rrd_rootdir, a journal, -w 60 -z 30 so that the daemon writes within the window).
- **RRAs, both sides:** %s instead of gmetad's default (630 KB a file, 315 GB at 10,000 hosts):
  %d bytes a file on disk; %s.
- **Names:** hosts are named by the address they send from on both sides. Ours takes it from the
  packets (hostname_from_packet); stock gmond looks each new host up by reverse DNS and falls back
  to the address text. The benchmark runs in a mount namespace whose /etc/resolv.conf names no
  reachable resolver, so these lookups fail at once instead of leaving the machine (against its
  resolver some waited out 5 s timeouts and the collectors dropped datagrams meanwhile).
- **Window:** %v measured on every run of every size, after a warm-up that lasts until every host has
  its files; the same window for both sides. Runs go one after the other on the same machine.

How each figure is taken:

- *CPU-s*: utime + stime from /proc of every process of the pipeline (ours: gmetad; stock: the
  three gmonds, gmetad, rrdcached), over the window. The load generator is not counted.
- *values stored*: ours, gmetad's /status rrd.updates (host files plus cluster and grid summaries).
  Stock gmetad's /status counters stay at 0 in Debian's build, so stock's are the updates seen on
  16 watched host files (one update per poll) times the files in the tree, summaries included.
- *peak RSS*: VmHWM summed over the pipeline's processes, at the window's end (stock gmetad's
  growth during the XML dumps added).
- *RRD lag*: from an update's own time (ours: the 15 s boundary it writes; stock: the poll time
  gmetad writes) to its being readable in the file, as rrdtool fetch reads it (with rrdcached,
  after a FLUSH, as fetch --daemon does), polled every 250 ms on 16 files; a write that makes
  several 15 s steps readable at once gives one sample per step, the oldest the longest. Before that time a
  value waits up to one 15 s step on both sides (ours: until the boundary; stock: until the poll).
- *gaps*: unknown rows of the one-step archive in the window before the last known row, in one
  random file of each of 100 random hosts.
- *full XML dump*: connect to EOF on xml_port, while the fleet sends; median of three.
`, strings.Join(ReducedRRAs, " "), per, strings.Join(sizes, "; "), rep.Env.Window)
	fmt.Fprintln(w)
}

// plot renders CPU per million values against fleet size with svgchart
// and has headless Chromium take the PNG. svgchart draws time series, so
// the x axis is fleet size laid on seconds from the epoch, its clock
// labels hidden, and a labelled marker stands at each size.
func (rep *compareReport) plot(t *testing.T, path string) {
	t.Helper()
	x := func(hosts int) time.Time { return time.Unix(int64(hosts), 0).UTC() }
	series := map[string]*svgchart.Series{}
	var order []string
	maxHosts := 0
	var markers []svgchart.Marker
	for _, r := range rep.Runs {
		maxHosts = max(maxHosts, r.Hosts)
		markers = append(markers, svgchart.Marker{T: x(r.Hosts), Label: sizeLabel(r.Hosts) + " hosts"})
		for i := range r.Sides {
			s := &r.Sides[i]
			name := map[string]string{"ours": "ours (one gmetad)", "stock": "stock (3 gmond + gmetad)",
				"stock+rrdcached": "stock + rrdcached"}[s.Pipeline]
			if series[name] == nil {
				series[name] = &svgchart.Series{Name: name}
				order = append(order, name)
			}
			series[name].Points = append(series[name].Points, svgchart.Point{T: x(r.Hosts), V: finite(s.CPUPerMillion())})
		}
	}
	c := svgchart.Chart{Title: "CPU-seconds per million stored RRD values, by fleet size (hosts × 50 metrics, 15 s)",
		Units: "CPU-s per 1M values", Markers: markers, Start: x(0), End: x(maxHosts * 21 / 20), Width: 800, Height: 320}
	for _, name := range order {
		c.Series = append(c.Series, *series[name])
	}
	var svg bytes.Buffer
	if err := svgchart.Render(&svg, c); err != nil {
		t.Fatal(err)
	}
	page := `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; }
/* the time labels svgchart writes under the plot: the x axis is fleet size here */
svg > g[text-anchor="middle"] { display: none; }
</style></head><body>` + svg.String() + `</body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	p := browser.Open(t, srv.URL)
	p.Screenshot(t, path, 800, 320)
}
