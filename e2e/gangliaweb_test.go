package e2e

// ganglia-web 3.7.5 (Debian's, with the PHP 8 fixes of docs/ganglia-web.md)
// through the LPM story, against our gmetad and, for parity, against stock
// gmetad fed the same agents through the scenario's tees: the front page,
// each managed system's cluster page and the moved LPAR's host page, read
// as HTML and checked in headless Chromium, and graph.php's data of the
// moved LPAR.

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
	"github.com/ganglia-lpm/ganglia-lpm/internal/gangliaweb"
	"github.com/ganglia-lpm/ganglia-lpm/internal/lpmscenario"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// gwMover is the LPAR that moves; it starts on the first managed system.
const gwMover = "lnxapp01"

// gwDownWait bounds the wait for stock gmetad to report the moved LPAR
// down under the systems it left: four times the host TMAX (20 s) after
// its last packet there, plus polls.
const gwDownWait = 3 * time.Minute

// gwCluster is what ganglia-web shows of one managed system.
type gwCluster struct {
	Front  gangliaweb.Summary // its overview on the front page
	Page   gangliaweb.Summary // the overview of its cluster page
	Menu   []string           // the cluster page's node menu, sorted
	Graphs []string           // hosts with a graph on the cluster page (up), sorted
	Down   []string           // hosts shown down on the cluster page, sorted
}

// gwView is what ganglia-web shows against one gmetad.
type gwView struct {
	Grid     gangliaweb.Summary
	Clusters map[string]gwCluster // by front page name
}

// TestLPMGangliaWeb: the scenario's LPARs report for three RRD steps,
// lnxapp01 moves from the first managed system to the second and, three
// steps later, to the third. Once stock gmetad reports it down where it
// was (80 s after its last packet there), ganglia-web is read against both
// gmetads. Against ours the LPAR is listed and counted under the third
// system only, and graph.php's data for it under that system covers the
// time before, between and after the moves without a gap. Against stock it
// is listed up there too and the systems it left show it down; apart from
// that every page gives the same hosts, counts and graphs. Every page
// loads in Chromium with a clean console and every graph drawn but the
// stacked one, and is saved as a PNG. About four minutes, most of it
// waiting for RRD steps and for stock gmetad's down time.
func TestLPMGangliaWeb(t *testing.T) {
	t.Parallel()
	began := time.Now()
	s := lpmscenario.Start(t, lpmscenario.Options{})
	ours := gangliaweb.Start(t, gangliaweb.Options{InteractiveAddr: s.OurInteractive, RRDRoot: s.OurRRDRoot})
	stock := gangliaweb.Start(t, gangliaweb.Options{InteractiveAddr: s.StockInteractive, RRDRoot: s.StockRRDRoot})
	s.WaitPlaced(t, lpmscenario.Ours)
	s.WaitPlaced(t, lpmscenario.Stock)
	placed := time.Now()
	if s.SystemOf(gwMover) != s.Systems[0].Name {
		t.Fatalf("%s starts on %s, want %s", gwMover, s.SystemOf(gwMover), s.Systems[0].Name)
	}
	rrd := s.RRDPath(lpmscenario.Ours, "", gwMover, "load_one")
	lpmscenario.WaitRRD(t, rrd, lpmscenario.StepAfter(placed, 3), 5*lpmscenario.Step*time.Second)
	var left []string // the systems the LPAR left
	for _, sys := range s.Systems[1:] {
		left = append(left, s.SystemOf(gwMover))
		m := s.Move(t, gwMover, sys.Name)
		s.WaitHostIn(t, lpmscenario.Ours, gwMover, sys.Name)
		s.WaitHostIn(t, lpmscenario.Stock, gwMover, sys.Name)
		lpmscenario.WaitRRD(t, rrd, lpmscenario.StepAfter(m.At, 3), 5*lpmscenario.Step*time.Second)
	}
	gwWaitStockDown(t, s, left)
	live := time.Since(began)

	b := browser.New(t)
	views := map[lpmscenario.Impl]gwView{}
	for impl, web := range map[lpmscenario.Impl]*gangliaweb.Web{lpmscenario.Ours: ours, lpmscenario.Stock: stock} {
		views[impl] = gwRead(t, s, impl, web, b)
	}
	gwCheckOurs(t, s, views[lpmscenario.Ours])
	gwCheckStock(t, s, views[lpmscenario.Stock], left)
	gwCheckParity(t, s, views[lpmscenario.Ours], views[lpmscenario.Stock], left)
	for _, metric := range []string{"load_one", "cpu_used"} {
		gwCheckGraphs(t, s, ours, stock, metric)
	}
	t.Logf("screenshots in %s", s.ArtifactsDir)
	t.Logf("took %v: %v of scenario until stock gmetad reported %s down where it was, then ganglia-web",
		time.Since(began).Round(time.Second), live.Round(time.Second), gwMover)
}

// gwWaitStockDown waits until stock gmetad has the moved LPAR down in
// every system it left: in its XML (TN above four times TMAX, ganglia-web's
// host_alive rule) and in the summaries ganglia-web's overviews show,
// which gmetad computes at its polls, the grid's after the clusters'.
func gwWaitStockDown(t *testing.T, s *lpmscenario.Scenario, left []string) {
	t.Helper()
	start := time.Now()
	stockganglia.Eventually(t, gwDownWait, func() error {
		d := s.Doc(t, lpmscenario.Stock)
		for _, name := range left {
			if h := gwHost(d, name, gwMover); h == nil || h.TN <= 4*h.TMAX {
				return fmt.Errorf("stock gmetad: %s in %s: %+v, want down (TN > 4 TMAX)", gwMover, name, h)
			}
		}
		b, err := stockganglia.Query(s.StockInteractive, "/?filter=summary", 5*time.Second)
		if err != nil {
			return err
		}
		if d, err = stockganglia.ParseXML(b); err != nil {
			return err
		}
		if g := d.Grid(lpmscenario.Grid); g == nil || g.HostsSummary == nil ||
			g.HostsSummary.Up != len(s.LPARs) || g.HostsSummary.Down != len(left) {
			return fmt.Errorf("stock gmetad grid summary: %+v, want %d up, %d down", g, len(s.LPARs), len(left))
		}
		for _, sys := range s.Systems {
			up, down := len(s.On(sys.Name)), 0
			if slices.Contains(left, sys.Name) {
				down = 1
			}
			c := d.Cluster(sys.Name)
			if c == nil || c.HostsSummary == nil || c.HostsSummary.Up != up || c.HostsSummary.Down != down {
				return fmt.Errorf("stock gmetad summary of %s: %+v, want %d up, %d down", sys.Name, c, up, down)
			}
		}
		return nil
	})
	t.Logf("stock gmetad reports %s down in %q after %v more", gwMover, left, time.Since(start).Round(time.Second))
}

// gwHost returns the host named host in cluster, or nil.
func gwHost(d *stockganglia.Doc, cluster, host string) *stockganglia.Host {
	if c := d.Cluster(cluster); c != nil {
		return c.Host(host)
	}
	return nil
}

// gwRead reads ganglia-web's front page, every managed system's cluster
// page and the moved LPAR's host page against one gmetad, and opens each
// in Chromium.
func gwRead(t *testing.T, s *lpmscenario.Scenario, impl lpmscenario.Impl, web *gangliaweb.Web, b *browser.Browser) gwView {
	t.Helper()
	front := gwGet(t, s, impl, web, "", "front")
	gwOpen(t, s, impl, web, b, "", "front")
	sources, err := gangliaweb.FrontSources(front)
	if err != nil {
		t.Fatalf("%s: front page: %v", impl, err)
	}
	if !sources[0].Grid {
		t.Fatalf("%s: front page: %+v, want the grid first", impl, sources)
	}
	v := gwView{Grid: sources[0].Summary, Clusters: map[string]gwCluster{}}
	for _, src := range sources[1:] {
		v.Clusters[src.Name] = gwCluster{Front: src.Summary}
	}
	for _, sys := range s.Systems {
		path := "?c=" + url.QueryEscape(sys.Name)
		page := gwGet(t, s, impl, web, path, "cluster-"+sys.Name)
		gwOpen(t, s, impl, web, b, path, "cluster-"+sys.Name)
		c := v.Clusters[sys.Name]
		if c.Page, err = gangliaweb.ClusterSummary(page); err != nil {
			t.Errorf("%s: %s: %v", impl, path, err)
		}
		c.Menu, c.Graphs, c.Down = gwSorted(gangliaweb.NodeMenu(page)), gwSorted(gangliaweb.HostGraphs(page)), gwSorted(gangliaweb.DownHosts(page))
		v.Clusters[sys.Name] = c
	}
	path := "?c=" + url.QueryEscape(s.SystemOf(gwMover)) + "&h=" + url.QueryEscape(gwMover)
	if page := gwGet(t, s, impl, web, path, "host-"+gwMover); !strings.Contains(page, "This host is up and running") {
		t.Errorf("%s: host page %s does not say %s is up", impl, path, gwMover)
	}
	gwOpen(t, s, impl, web, b, path, "host-"+gwMover)
	return v
}

// gwGet fetches path (200, no PHP error: gangliaweb.Web.Get) and keeps the
// HTML as gweb-<impl>-<name>.html beside the screenshots.
func gwGet(t *testing.T, s *lpmscenario.Scenario, impl lpmscenario.Impl, web *gangliaweb.Web, path, name string) string {
	t.Helper()
	page := web.Get(t, path)
	if err := os.WriteFile(filepath.Join(s.ArtifactsDir, "gweb-"+impl.String()+"-"+name+".html"), []byte(page), 0o644); err != nil {
		t.Error(err)
	}
	return page
}

// gwOpen loads path in Chromium, as tall as the page, checks it answered
// 200 with a clean console and every image drawn but the stacked graph
// (broken on PHP 8 whatever the gmetad, docs/ganglia-web.md), and saves it
// as gweb-<impl>-<name>.png.
func gwOpen(t *testing.T, s *lpmscenario.Scenario, impl lpmscenario.Impl, web *gangliaweb.Web, b *browser.Browser, path, name string) {
	t.Helper()
	p := b.Open(t, web.URL(path))
	if p.Status != 200 {
		t.Errorf("%s: %s: status %d", impl, path, p.Status)
	}
	for _, problem := range p.Problems() {
		t.Errorf("%s: %s: console: %s", impl, path, problem)
	}
	for _, src := range gangliaweb.BrokenImages(t, p) {
		if !gangliaweb.IsStackedGraph(src) {
			t.Errorf("%s: %s: image not drawn: %s", impl, path, src)
		}
	}
	height, _ := p.Eval(t, `document.documentElement.scrollHeight`).(float64)
	height = math.Min(math.Max(height, 600), 6000)
	shot := filepath.Join(s.ArtifactsDir, "gweb-"+impl.String()+"-"+name+".png")
	p.Screenshot(t, shot, 1280, int(height))
	t.Logf("%s: ganglia-web %s: loaded in %v, %s", impl, name, p.LoadTime.Round(time.Millisecond), filepath.Base(shot))
	p.Close(t)
}

// gwCheckOurs: against our gmetad the moved LPAR is listed, drawn and
// counted under the system it runs on only, every LPAR is up, and the
// mapping's default cluster is listed with no host.
func gwCheckOurs(t *testing.T, s *lpmscenario.Scenario, v gwView) {
	t.Helper()
	if v.Grid.Up != len(s.LPARs) || v.Grid.Down != 0 {
		t.Errorf("ours: grid overview %+v, want %d up, 0 down", v.Grid, len(s.LPARs))
	}
	if c, ok := v.Clusters[lpmscenario.DefaultCluster]; !ok || c.Front.Up+c.Front.Down != 0 {
		t.Errorf("ours: front page default cluster %s: %+v (listed %v), want no host", lpmscenario.DefaultCluster, c.Front, ok)
	}
	for _, sys := range s.Systems {
		c, on := v.Clusters[sys.Name], s.On(sys.Name)
		want := gwCluster{
			Front: gangliaweb.Summary{CPUs: c.Front.CPUs, Up: len(on)},
			Page:  gangliaweb.Summary{CPUs: c.Front.CPUs, Up: len(on)},
			Menu:  on, Graphs: on,
		}
		if !gwEqual(c, want) {
			t.Errorf("ours: %s: %+v, want %+v", sys.Name, c, want)
		}
	}
}

// gwCheckStock: against stock gmetad the moved LPAR is up under the
// system it runs on, and listed down under each system it left: stock
// gmetad keeps it there until the collector's host_dmax. The cluster
// pages of those systems count its CPUs in their total (ganglia-web sums
// cpu_num over every host listed, down or up; the front page shows
// gmetad's sum over the hosts up).
func gwCheckStock(t *testing.T, s *lpmscenario.Scenario, v gwView, left []string) {
	t.Helper()
	moverCPUs := gwCPUs(t, s)
	if v.Grid.Up != len(s.LPARs) || v.Grid.Down != len(left) {
		t.Errorf("stock: grid overview %+v, want %d up, %d down", v.Grid, len(s.LPARs), len(left))
	}
	for _, sys := range s.Systems {
		c, on := v.Clusters[sys.Name], s.On(sys.Name)
		want := gwCluster{
			Front: gangliaweb.Summary{CPUs: c.Front.CPUs, Up: len(on)},
			Page:  gangliaweb.Summary{CPUs: c.Front.CPUs, Up: len(on)},
			Menu:  on, Graphs: on,
		}
		if slices.Contains(left, sys.Name) {
			want.Front.Down, want.Page.Down = 1, 1
			want.Page.CPUs += moverCPUs
			want.Menu, want.Down = gwSorted(append(slices.Clone(on), gwMover)), []string{gwMover}
		}
		if !gwEqual(c, want) {
			t.Errorf("stock: %s: %+v, want %+v", sys.Name, c, want)
		}
	}
}

// gwCheckParity: each managed system has the same hosts up, drawn and
// counted, and the same CPU total, against both gmetads; only the hosts
// listed down, and with them the cluster page's CPU total of the systems
// the LPAR left, differ (checked above).
func gwCheckParity(t *testing.T, s *lpmscenario.Scenario, ours, stock gwView, left []string) {
	t.Helper()
	if ours.Grid.Up != stock.Grid.Up || ours.Grid.CPUs != stock.Grid.CPUs {
		t.Errorf("grid overview: ours %+v, stock %+v: hosts up or CPUs differ", ours.Grid, stock.Grid)
	}
	for _, sys := range s.Systems {
		o, st := ours.Clusters[sys.Name], stock.Clusters[sys.Name]
		if o.Front.Up != st.Front.Up || o.Page.Up != st.Page.Up || !slices.Equal(o.Graphs, st.Graphs) ||
			o.Front.CPUs != st.Front.CPUs || (o.Page.CPUs != st.Page.CPUs && !slices.Contains(left, sys.Name)) {
			t.Errorf("%s: ours %+v, stock %+v: hosts up, graphs or CPUs differ", sys.Name, o, st)
		}
	}
}

// gwCPUs is the moved LPAR's cpu_num, as our gmetad has it.
func gwCPUs(t *testing.T, s *lpmscenario.Scenario) int {
	t.Helper()
	h := s.Doc(t, lpmscenario.Ours).Host(gwMover)
	if h == nil || h.Metric("cpu_num") == nil {
		t.Fatalf("ours: no cpu_num of %s", gwMover)
	}
	n, err := strconv.Atoi(h.Metric("cpu_num").Val)
	if err != nil {
		t.Fatalf("ours: cpu_num of %s: %v", gwMover, err)
	}
	return n
}

// gwCheckGraphs reads graph.php's data (json=1, last hour) for the moved
// LPAR under the system it runs on. Ours: known rows before the first
// move, between the moves and after the last (rows within a step of a move
// left out), and no unknown row from the first known to the last, since
// the LPAR keeps one set of RRDs. Stock:
// data after the last move only, its history being under the systems it
// left; that is the difference ganglia-lpm exists for, and the graph is
// there against both.
func gwCheckGraphs(t *testing.T, s *lpmscenario.Scenario, ours, stock *gangliaweb.Web, metric string) {
	t.Helper()
	query := "c=" + url.QueryEscape(s.SystemOf(gwMover)) + "&h=" + url.QueryEscape(gwMover) + "&m=" + metric + "&r=hour"
	moves := s.Moves()
	o := gwSeries(t, "ours", ours, query)
	stays := gwStays(o, moves)
	for i, n := range stays {
		if n < 1 {
			t.Errorf("ours: graph.php?%s: no known row in stay %d (before, between, after the moves: %v)", query, i, stays)
		}
	}
	known := o.Known()
	for _, p := range o.Points {
		if p.Time > known[0].Time && p.Time < known[len(known)-1].Time && math.IsNaN(p.Value) {
			t.Errorf("ours: graph.php?%s: unknown row at %d between known rows %d and %d", query, p.Time, known[0].Time, known[len(known)-1].Time)
		}
	}
	st := gwStays(gwSeries(t, "stock", stock, query), moves)
	if last := len(st) - 1; st[last] < 1 || slices.ContainsFunc(st[:last], func(n int) bool { return n > 0 }) {
		t.Errorf("stock: graph.php?%s: known rows per stay %v, want them after the last move only", query, st)
	}
	t.Logf("graph.php %s of %s: known rows before, between and after the moves: ours %v, stock %v", metric, gwMover, stays, st)
}

// gwSeries fetches graph.php's data for query: one series with known rows.
func gwSeries(t *testing.T, impl string, web *gangliaweb.Web, query string) gangliaweb.Series {
	t.Helper()
	series := web.GraphJSON(t, query)
	if len(series) != 1 || len(series[0].Known()) == 0 {
		t.Fatalf("%s: graph.php?%s: %d series, want one with data: %+v", impl, query, len(series), series)
	}
	return series[0]
}

// gwStays counts the known rows of a series within each stay: before the
// first move, between moves, after the last. A row within a step of a
// move is in none, whichever end of its step the row's time names.
func gwStays(s gangliaweb.Series, moves []lpmscenario.Move) []int {
	n := make([]int, len(moves)+1)
	for _, p := range s.Known() {
		stay := 0
		for i, m := range moves {
			if p.Time > m.At.Unix() {
				stay = i + 1
			}
		}
		near := slices.ContainsFunc(moves, func(m lpmscenario.Move) bool {
			d := p.Time - m.At.Unix()
			return d > -lpmscenario.Step && d < lpmscenario.Step
		})
		if !near {
			n[stay]++
		}
	}
	return n
}

func gwEqual(a, b gwCluster) bool {
	return a.Front == b.Front && a.Page == b.Page &&
		slices.Equal(a.Menu, b.Menu) && slices.Equal(a.Graphs, b.Graphs) && slices.Equal(a.Down, b.Down)
}

func gwSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
