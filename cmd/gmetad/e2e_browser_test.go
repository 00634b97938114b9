package main

// The web interface in headless Chromium: the binary with three managed
// systems and six simulated LPARs sending the metrics the pages show from
// their own loopback addresses; one LPAR moves live. Every page is opened in
// Chromium, checked for what it lists and for a clean console, and saved as
// a PNG.

import (
	"encoding/csv"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
	"github.com/ganglia-lpm/ganglia-lpm/internal/lpmscenario"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

var updateDocs = flag.Bool("update-docs", false,
	"TestE2EBrowser writes its screenshot of the LPAR page to docs/lpar-page.png (the README's picture)")

const (
	// artifactsEnv names the directory for the screenshots; unset, a
	// temporary directory of the test.
	artifactsEnv = "GANGLIA_LPM_ARTIFACTS"
	// docsShot is the README's picture, from this package's directory.
	docsShot = "../../docs/lpar-page.png"
	// history is how much RRD history is written before the binary hears
	// anyone: RRD steps are 15 s of wall clock, so an hour of graph
	// cannot be filled live within a test.
	history = 3600
	// shotWidth is the width of every screenshot, in CSS pixels.
	shotWidth = 1280
)

// browserSystems are the managed systems of the test and their shared
// processor pool sizes (cpu_in_pool).
var browserSystems = []system{
	{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
	{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
	{Name: "P770-DC2-R35", Serial: "9117-MMB_0004711"},
}

var browserPools = []uint32{8, 16, 32}

// simMetric is a metric the simulated LPARs send, with the metadata our
// gmond gives it (Perzl's ibmpower module and gmond's own definitions).
type simMetric struct {
	Name, Type, Units, Group, Title string
	Slope                           xdr.Slope
	TMax                            uint32
}

var simMetrics = []simMetric{
	{"cpu_used", "float", "CPUs", "ibmpower", "Physical Cores Used", xdr.SlopeBoth, 15},
	{"cpu_ec", "float", "%", "ibmpower", "Ratio of Core Usage vs. Entitlement", xdr.SlopeBoth, 15},
	{"cpu_entitlement", "float", "CPUs", "ibmpower", "CPU Entitlement", xdr.SlopeBoth, 180},
	{"cpu_in_pool", "uint32", "CPUs", "ibmpower", "Number of Cores in Pool", xdr.SlopeBoth, 180},
	{"load_one", "float", " ", "load", "One Minute Load Average", xdr.SlopeBoth, 70},
	{"mem_total", "float", "KB", "memory", "Memory Total", xdr.SlopeZero, 1200},
	{"mem_free", "float", "KB", "memory", "Free Memory", xdr.SlopeBoth, 180},
	{"bytes_in", "float", "bytes/sec", "network", "Bytes Received", xdr.SlopeBoth, 300},
	{"bytes_out", "float", "bytes/sec", "network", "Bytes Sent", xdr.SlopeBoth, 300},
}

// webLPAR is one simulated LPAR: every second it sends simMetrics and the
// heartbeat from its own address to its managed system's port, with the
// metadata first after every change of port, as gmond does after LPM.
type webLPAR struct {
	Name, IP string
	Home     int     // index of the system it starts on
	Ent      float64 // cpu_entitlement
	Physc    float64 // mean cpu_used before the move
	Busy     float64 // mean cpu_used after a move
	MemGB    float64

	sys     atomic.Int64 // index of the system it sends to
	port    atomic.Int64
	moved   atomic.Bool
	stopped chan struct{}
	done    chan error
}

func browserFleet() []*webLPAR {
	return []*webLPAR{
		{Name: "db01", IP: "127.0.0.41", Home: 0, Ent: 2, Physc: 1.4, MemGB: 64},
		{Name: "app01", IP: "127.0.0.42", Home: 0, Ent: 1, Physc: 0.8, Busy: 1.6, MemGB: 16},
		{Name: "app02", IP: "127.0.0.43", Home: 1, Ent: 1.5, Physc: 1.1, MemGB: 32},
		{Name: "web01", IP: "127.0.0.44", Home: 1, Ent: 0.5, Physc: 0.3, MemGB: 8},
		{Name: "web02", IP: "127.0.0.45", Home: 2, Ent: 0.5, Physc: 0.35, MemGB: 8},
		{Name: "db02", IP: "127.0.0.46", Home: 2, Ent: 3, Physc: 2.2, MemGB: 128},
	}
}

// wave is 1 ± 20 %: a slow swing and some noise, the same for the written
// history and the live packets, so the graphs join up.
func wave(name string, t int64) float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", name, t)
	noise := float64(h.Sum64()%2001)/1000 - 1
	seed := float64(len(name) * 97)
	return 1 + 0.15*math.Sin(2*math.Pi*float64(t)/900+seed) + 0.05*noise
}

// value is what the LPAR reports for metric at time t (unix seconds).
func (l *webLPAR) value(metric string, t int64, moved bool, pool uint32) float64 {
	physc := l.Physc
	if moved {
		physc = l.Busy
	}
	physc *= wave(l.Name, t)
	memKB := l.MemGB * 1024 * 1024
	switch metric {
	case "cpu_used":
		return physc
	case "cpu_ec":
		return 100 * physc / l.Ent
	case "cpu_entitlement":
		return l.Ent
	case "cpu_in_pool":
		return float64(pool)
	case "load_one":
		return 2.5 * physc
	case "mem_total":
		return memKB
	case "mem_free":
		return memKB * (0.5 - 0.2*(wave(l.Name+"/mem", t)-1))
	case "bytes_in":
		return 4e6 * physc
	case "bytes_out":
		return 1.5e6 * physc * wave(l.Name+"/net", t)
	}
	panic("no simulated metric " + metric)
}

// writeHistory creates the LPAR's RRD files as gmetad does and fills them
// with its values from start to end, every 15 s, on its home system.
func (l *webLPAR) writeHistory(t *testing.T, root string, start, end int64) {
	t.Helper()
	dir := filepath.Join(root, "LPARS", l.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, m := range simMetrics {
		slope := "both"
		if m.Slope == xdr.SlopeZero {
			slope = "zero"
		}
		path := filepath.Join(dir, m.Name+".rrd")
		spec := rrdstore.GmetadSpec(lpmStep, start, slope, false, nil)
		if err := rrdstore.Create(path, spec, rrdstore.CreateOptions{NoOverwrite: true}); err != nil {
			t.Fatal(err)
		}
		var args []string
		for ts := start + lpmStep; ts <= end; ts += lpmStep {
			args = append(args, fmt.Sprintf("%d:%g", ts, l.value(m.Name, ts, false, browserPools[l.Home])))
		}
		if err := rrdstore.Update(path, args...); err != nil {
			t.Fatal(err)
		}
	}
}

// start sends from l.IP to the home system's port until the test ends.
func (l *webLPAR) start(t *testing.T, port int) {
	t.Helper()
	l.sys.Store(int64(l.Home))
	l.port.Store(int64(port))
	l.stopped, l.done = make(chan struct{}), make(chan error, 1)
	s := newUDPSender(t, l.IP)
	started := uint32(time.Now().Unix())
	id := func(name string) xdr.MetricID { return xdr.MetricID{Host: l.Name, Name: name} }
	meta := [][]byte{metaPkt(t, id("heartbeat"), "uint32", "", xdr.SlopeUnspecified, 20)}
	for _, m := range simMetrics {
		meta = append(meta, metaPkt(t, id(m.Name), m.Type, m.Units, m.Slope, m.TMax,
			xdr.Extra{Name: "GROUP", Data: m.Group}, xdr.Extra{Name: "TITLE", Data: m.Title}))
	}
	values := func() [][]byte {
		now := time.Now().Unix()
		pkts := [][]byte{valuePkt(t, xdr.IDUInt, id("heartbeat"), xdr.Value{Fmt: "%u", U: started})}
		for _, m := range simMetrics {
			v := l.value(m.Name, now, l.moved.Load(), browserPools[l.sys.Load()])
			if m.Type == "uint32" {
				pkts = append(pkts, valuePkt(t, xdr.IDUInt, id(m.Name), xdr.Value{Fmt: "%u", U: uint32(v)}))
			} else {
				pkts = append(pkts, valuePkt(t, xdr.IDFloat, id(m.Name), xdr.Value{Fmt: "%.4f", F32: float32(v)}))
			}
		}
		return pkts
	}
	go l.run(s, meta, values)
	t.Cleanup(l.stop)
}

func (l *webLPAR) run(s *udpSender, meta [][]byte, values func() [][]byte) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sentTo := int64(0)
	for {
		port := l.port.Load()
		if port != sentTo { // a new chassis: metadata first
			if err := s.send(int(port), meta...); err != nil {
				l.done <- err
				return
			}
			sentTo = port
		}
		if err := s.send(int(port), values()...); err != nil {
			l.done <- err
			return
		}
		select {
		case <-l.stopped:
			l.done <- nil
			return
		case <-tick.C:
		}
	}
}

// moveTo is LPM: the LPAR now runs on system sys, busier, and its gmond
// sends to that system's port.
func (l *webLPAR) moveTo(sys, port int) {
	l.moved.Store(true)
	l.sys.Store(int64(sys))
	l.port.Store(int64(port))
}

func (l *webLPAR) stop() {
	select {
	case <-l.stopped:
	default:
		close(l.stopped)
		<-l.done
	}
}

// browserMove is the move of the test as /api/moves tells it.
type browserMove struct {
	Time           time.Time
	Host, From, To string
}

// TestE2EBrowser: an hour of RRD history is written for six LPARs on three
// managed systems, the binary starts, the LPARs send, one moves live from
// the first system to the second and keeps sending for two RRD steps. Then
// in headless Chromium every page loads with a clean console and every
// image drawn; each managed system's page lists exactly its LPARs now; the
// moved LPAR's cpu_used graph has data on both sides of the move with the
// move marked; the stacked graphs count it on each system only while it
// was there; the timeline lists the move. It takes 35 to 60 s, most of it
// waiting for RRD steps.
func TestE2EBrowser(t *testing.T) {
	t.Parallel()
	began := time.Now()
	webAddr := "127.0.0.1:" + strconv.Itoa(stockganglia.FreePort(t))
	g := startGmetad(t, gmetadOptions{
		Systems: browserSystems,
		Extra:   []string{"web_address " + webAddr, "hostname_from_packet on"},
	})
	base := "http://" + webAddr
	fleet := browserFleet()
	// History up to the last step boundary: the binary's first update of
	// each file comes after its host's first packet, so later.
	written := time.Now().Unix() / lpmStep * lpmStep
	where := map[string]string{}
	for _, l := range fleet {
		l.writeHistory(t, g.RRDRoot, written-history, written)
		l.start(t, g.Systems[l.Home].Port)
		where[l.IP] = g.Systems[l.Home].Name
	}
	names := waitPlaced(t, g, where)
	for _, l := range fleet {
		if names[l.IP] != l.Name {
			t.Fatalf("host from %s is named %q, want %q (hostname_from_packet)", l.IP, names[l.IP], l.Name)
		}
	}

	mover, from, to := fleet[1], g.Systems[0], g.Systems[1]
	rrd := filepath.Join(g.RRDRoot, "LPARS", mover.Name, "cpu_used.rrd")
	lpmscenario.WaitRRD(t, rrd, written+1, 2*lpmStep*time.Second) // a live row on the old system
	mover.moveTo(1, to.Port)
	where[mover.IP] = to.Name
	waitPlaced(t, g, where)
	mv := webMoveOf(t, base, mover.Name, from.Name, to.Name)
	// The row the move falls in, then two rows wholly after it, written
	// on the new system.
	lpmscenario.WaitRRD(t, rrd, (mv.Time.Unix()/lpmStep+3)*lpmStep, 4*lpmStep*time.Second)
	live := time.Since(began)

	want := map[string][]string{}
	for _, l := range fleet {
		want[where[l.IP]] = append(want[where[l.IP]], l.Name)
	}
	bt := &browserTest{t: t, b: browser.New(t), base: base, dir: artifactsDir(t), mv: mv, unmapped: g.Default.Name}
	bt.gridPage(want)
	for _, s := range g.Systems {
		bt.systemPage(s.Name, want[s.Name])
	}
	bt.lparPage(mover)
	bt.movesPage()
	bt.healthPage(g.Systems, want)
	bt.checkStacks(mover.Name)
	t.Logf("took %v: %v until two RRD steps after the move, then the browser", time.Since(began).Round(time.Second), live.Round(time.Second))
}

// webMoveOf fetches /api/moves and checks it holds one move, host's from
// from to to.
func webMoveOf(t *testing.T, base, host, from, to string) browserMove {
	t.Helper()
	var mv struct{ Moves []browserMove }
	if err := webJSON(base+"/api/moves", &mv); err != nil {
		t.Fatal(err)
	}
	if len(mv.Moves) != 1 {
		t.Fatalf("/api/moves: %+v, want one move", mv.Moves)
	}
	m := mv.Moves[0]
	if m.Host != host || m.From != from || m.To != to {
		t.Fatalf("/api/moves: %+v, want %s from %s to %s", m, host, from, to)
	}
	return m
}

// artifactsDir is where the screenshots go: $GANGLIA_LPM_ARTIFACTS or a
// temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// browserTest opens the pages of one running gmetad.
type browserTest struct {
	t    *testing.T
	b    *browser.Browser
	base string
	dir  string
	mv   browserMove
	// unmapped is the mapping's default cluster: listed, with no LPAR.
	unmapped string
}

func systemNames() []string {
	var out []string
	for _, s := range browserSystems {
		out = append(out, s.Name)
	}
	return out
}

// open loads path in a viewport shotWidth wide and as tall as the page
// (loaded again at that height if it was taller than height), so that no
// lazy image waits for a scroll; it checks that the page answered 200 with
// a clean console and every image drawn, and saves a screenshot of the
// whole page as name.png.
func (bt *browserTest) open(path, name string, height int) *browser.Page {
	t := bt.t
	t.Helper()
	bt.b.Width, bt.b.Height = shotWidth, height
	p := bt.b.Open(t, bt.base+path)
	if h := int(p.Eval(t, `document.documentElement.scrollHeight`).(float64)); h > height {
		p.Close(t)
		height = h
		bt.b.Height = height
		p = bt.b.Open(t, bt.base+path)
	}
	if p.Status != 200 {
		t.Errorf("%s: status %d", path, p.Status)
	}
	p.ExpectClean(t)
	broken := evalStrings(t, p, `[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)`)
	if len(broken) > 0 {
		t.Errorf("%s: images not drawn: %q", path, broken)
	}
	p.Screenshot(t, filepath.Join(bt.dir, name+".png"), shotWidth, height)
	t.Logf("%s: loaded in %v", path, p.LoadTime.Round(time.Millisecond))
	return p
}

// evalStrings evaluates js, which must give an array of strings.
func evalStrings(t *testing.T, p *browser.Page, js string) []string {
	t.Helper()
	v, ok := p.Eval(t, js).([]any)
	if !ok {
		t.Fatalf("%s: %s gave %#v, want an array", p.URL, js, v)
	}
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = fmt.Sprint(s)
	}
	return out
}

// rowsJS gives the text of each row matching sel, cells joined by "|".
func rowsJS(sel string) string {
	return `[...document.querySelectorAll(` + strconv.Quote(sel) + `)].map(r => [...r.cells].map(c => c.textContent.trim()).join("|"))`
}

// moveRow is how the pages' move tables show the move.
func (bt *browserTest) moveRow() string {
	m := bt.mv
	return strings.Join([]string{m.Time.UTC().Format("2006-01-02 15:04:05Z"), m.Host, m.From, m.To}, "|")
}

// gridPage: every system with its LPAR count, all up, and the move.
func (bt *browserTest) gridPage(want map[string][]string) {
	t := bt.t
	p := bt.open("/", "grid", 900)
	rows := evalStrings(t, p, `[...document.querySelectorAll("#systems tr[data-system]")].map(r => r.dataset.system + "|" + r.cells[1].textContent + "|" + r.cells[2].textContent + "|" + r.cells[3].textContent)`)
	var exp []string
	for _, s := range append([]string{bt.unmapped}, systemNames()...) {
		n := strconv.Itoa(len(want[s]))
		exp = append(exp, s+"|"+n+"|"+n+"|0")
	}
	slices.Sort(exp)
	if slices.Sort(rows); !slices.Equal(rows, exp) {
		t.Errorf("grid page systems (name|LPARs|up|down) = %q, want %q", rows, exp)
	}
	if moves := evalStrings(t, p, rowsJS("tr[data-move]")); !slices.Equal(moves, []string{bt.moveRow()}) {
		t.Errorf("grid page latest moves = %q, want %q", moves, bt.moveRow())
	}
}

// systemPage: the system's LPAR table lists exactly lpars.
func (bt *browserTest) systemPage(name string, lpars []string) {
	t := bt.t
	p := bt.open("/system/"+name+"?range=hour", "system-"+name, 1000)
	if got := evalStrings(t, p, `[document.getElementById("system-name").textContent]`); got[0] != name {
		t.Errorf("/system/%s: heading names %q", name, got[0])
	}
	got := evalStrings(t, p, `[...document.querySelectorAll("#lpars tr[data-lpar]")].map(r => r.dataset.lpar + "|" + r.cells[1].textContent)`)
	var exp []string
	for _, l := range lpars {
		exp = append(exp, l+"|up")
	}
	slices.Sort(got)
	if slices.Sort(exp); !slices.Equal(got, exp) {
		t.Errorf("/system/%s lists (LPAR|state) %q, want %q", name, got, exp)
	}
	moves := evalStrings(t, p, rowsJS("tr[data-move]"))
	wantMoves := []string{}
	if name == bt.mv.From || name == bt.mv.To {
		wantMoves = []string{bt.moveRow()}
	}
	if !slices.Equal(moves, wantMoves) {
		t.Errorf("/system/%s moves = %q, want %q", name, moves, wantMoves)
	}
}

// lparPage: the moved LPAR's page says where it runs, lists its move and
// draws cpu_used with data on both sides of the move, which is marked.
func (bt *browserTest) lparPage(l *webLPAR) {
	t := bt.t
	p := bt.open("/lpar/"+l.Name+"?range=hour", "lpar-"+l.Name, 1800)
	if *updateDocs {
		p.Screenshot(t, docsShot, shotWidth, 1100)
		t.Logf("wrote %s", docsShot)
	}
	head := evalStrings(t, p, `[document.getElementById("lpar-name").textContent, document.querySelector("#lpar-summary a").textContent]`)
	if head[0] != l.Name || head[1] != bt.mv.To {
		t.Errorf("LPAR page: heading %q on %q, want %s on %s", head[0], head[1], l.Name, bt.mv.To)
	}
	if moves := evalStrings(t, p, rowsJS("tr[data-move]")); !slices.Equal(moves, []string{bt.moveRow()}) {
		t.Errorf("LPAR page moves = %q, want %q", moves, bt.moveRow())
	}
	groups := evalStrings(t, p, `[...document.querySelectorAll("section[data-group]")].map(s => s.dataset.group + ":" + [...s.querySelectorAll("tr[data-metric]")].map(r => r.dataset.metric).sort().join(","))`)
	wantGroups := []string{"ibmpower:cpu_ec,cpu_entitlement,cpu_in_pool,cpu_used", "load:load_one",
		"memory:mem_free,mem_total", "network:bytes_in,bytes_out"}
	if !slices.Equal(groups, wantGroups) {
		t.Errorf("LPAR page groups = %q, want %q", groups, wantGroups)
	}
	// The cpu_used figure: its graph and the JSON and CSV of its rows.
	links := evalStrings(t, p, `(() => { const i = document.querySelector('img[src*="/cpu_used.svg"]');
		if (!i) return [];
		const a = [...i.closest("figure").querySelectorAll("figcaption a")].map(a => a.getAttribute("href"));
		return [i.getAttribute("src"), ...a]; })()`)
	if len(links) != 3 {
		t.Fatalf("LPAR page: cpu_used figure (graph, JSON, CSV) = %q", links)
	}
	bt.checkMarker(links[0])
	bt.checkSeries(links[1], l)
	bt.checkSeriesCSV(links[2])
}

// checkMarker fetches the graph the page shows and looks for the move's
// dashed line and its label.
func (bt *browserTest) checkMarker(src string) {
	t := bt.t
	svg, err := webGet(bt.base + src)
	if err != nil {
		t.Fatal(err)
	}
	label := bt.mv.Host + ": " + bt.mv.From + " → " + bt.mv.To
	if !strings.Contains(svg, `stroke-dasharray="4 3"`) || !strings.Contains(svg, label) {
		t.Errorf("%s: no move marker (dashed line, label %q):\n%s", src, label, svg)
	}
}

// seriesJSON is /api/series.
type seriesJSON struct {
	Step   int64
	Times  []int64
	Values []*float64
	Moves  []browserMove
}

// checkSeries fetches the rows the cpu_used graph is drawn from: every row
// known from the written history to the last update (a move loses no
// step), rows up to the move at the LPAR's level before it, rows after it
// (two at least, written live) at its level after it; and the move.
func (bt *browserTest) checkSeries(href string, l *webLPAR) {
	t := bt.t
	var s seriesJSON
	if err := webJSON(bt.base+href, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Times) != len(s.Values) || s.Step != lpmStep {
		t.Fatalf("%s: %d times, %d values, step %d", href, len(s.Times), len(s.Values), s.Step)
	}
	if len(s.Moves) != 1 || !s.Moves[0].Time.Equal(bt.mv.Time) {
		t.Errorf("%s: moves %+v, want the one at %v", href, s.Moves, bt.mv.Time)
	}
	move := bt.mv.Time.Unix()
	first, last, before, after := -1, -1, 0, 0
	for i, v := range s.Values {
		if v == nil {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		// A row covers the step that ends at its time: the one the
		// move falls in mixes both levels.
		var level float64
		switch ts := s.Times[i]; {
		case ts <= move:
			level, before = l.Physc, before+1
		case ts-s.Step >= move:
			level, after = l.Busy, after+1
		default:
			continue
		}
		if *v < 0.75*level || *v > 1.25*level {
			t.Errorf("%s: row %d = %g; want %g ± 25 %% (move at %d)", href, s.Times[i], *v, level, move)
		}
	}
	for i := first; first >= 0 && i <= last; i++ {
		if s.Values[i] == nil {
			t.Errorf("%s: row %d unknown between known rows %d and %d", href, s.Times[i], s.Times[first], s.Times[last])
		}
	}
	// An hour of history less the minute the test ran before it asked.
	if before < 200 || after < 2 {
		t.Errorf("%s: %d known rows up to the move at %d and %d after it; want 200 and 2 at least", href, before, move, after)
	}
	t.Logf("%s: %d known rows up to the move, %d after it", href, before, after)
}

// checkSeriesCSV checks that the CSV link gives the same rows as JSON:
// time,cpu_used with RFC 3339 times, known values after the move.
func (bt *browserTest) checkSeriesCSV(href string) {
	t := bt.t
	body, err := webGet(bt.base + href)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) < 2 || !slices.Equal(recs[0], []string{"time", "cpu_used"}) {
		t.Fatalf("%s: %v, %d records, header %q", href, err, len(recs), recs[:min(len(recs), 1)])
	}
	after := 0
	for _, r := range recs[1:] {
		ts, err := time.Parse(time.RFC3339, r[0])
		if err != nil {
			t.Fatalf("%s: %q: %v", href, r, err)
		}
		if ts.After(bt.mv.Time) && r[1] != "" {
			after++
		}
	}
	if after < 2 {
		t.Errorf("%s: %d known rows after the move, want 2 at least", href, after)
	}
}

// movesPage: the timeline lists the one move: time, LPAR, from, to.
func (bt *browserTest) movesPage() {
	t := bt.t
	p := bt.open("/moves", "moves", 700)
	if got := evalStrings(t, p, rowsJS("tr[data-move]")); !slices.Equal(got, []string{bt.moveRow()}) {
		t.Errorf("timeline rows = %q, want %q", got, bt.moveRow())
	}
	if c := evalStrings(t, p, `[document.getElementById("moves-count").textContent]`); !strings.HasPrefix(c[0], "1 of 1 ") {
		t.Errorf("timeline count: %q, want 1 of 1", c[0])
	}
	// Filtered by the system the LPAR left, and by another one.
	p = bt.open("/moves?system="+bt.mv.From, "moves-from", 700)
	if got := evalStrings(t, p, rowsJS("tr[data-move]")); !slices.Equal(got, []string{bt.moveRow()}) {
		t.Errorf("timeline of %s = %q, want %q", bt.mv.From, got, bt.moveRow())
	}
	p = bt.open("/moves?system="+browserSystems[2].Name, "moves-other", 700)
	if got := evalStrings(t, p, rowsJS("tr[data-move]")); len(got) != 0 {
		t.Errorf("timeline of %s = %q, want no move", browserSystems[2].Name, got)
	}
}

// healthPage: each system's port has counted packets from as many hosts
// as it holds, and the RRD writer had no error (the written history took
// the live updates).
func (bt *browserTest) healthPage(systems []system, want map[string][]string) {
	t := bt.t
	p := bt.open("/health", "health", 1100)
	rows := evalStrings(t, p, `[...document.querySelectorAll("#ports tr[data-port]")].map(r => [r.dataset.port, r.cells[1].textContent, r.cells[2].textContent, r.cells[7].textContent].join("|"))`)
	for _, s := range systems {
		found := false
		for _, r := range rows {
			f := strings.Split(r, "|")
			if f[0] == strconv.Itoa(s.Port) {
				n, _ := strconv.Atoi(f[2])
				found = f[1] == s.Name && n > 0 && f[3] == strconv.Itoa(len(want[s.Name]))
			}
		}
		if !found {
			t.Errorf("health page receivers (port|system|packets|hosts) %q: want port %d of %s with packets from %d hosts",
				rows, s.Port, s.Name, len(want[s.Name]))
		}
	}
	rrd := evalStrings(t, p, `[...document.querySelectorAll("#rrd tr")].map(r => r.cells[0].textContent + "|" + r.cells[1].textContent)`)
	if !slices.Contains(rrd, "errors|0") {
		t.Errorf("health page RRD writer = %q, want errors|0", rrd)
	}
}

// checkStacks reads the stacked graphs' data of the two systems of the
// move: host counts for the system it left up to the move and for the
// one it went to after it (a row ending within a step of the move may
// go either way).
func (bt *browserTest) checkStacks(host string) {
	t := bt.t
	move := bt.mv.Time.Unix()
	for _, sys := range []string{bt.mv.From, bt.mv.To} {
		var st struct {
			Times []int64
			Hosts []struct {
				Host   string
				Values []*float64
			}
		}
		if err := webJSON(bt.base+"/api/stack/"+sys+"?range=hour", &st); err != nil {
			t.Fatal(err)
		}
		left := sys == bt.mv.From
		in, out := 0, 0
		for _, h := range st.Hosts {
			for i, v := range h.Values {
				if h.Host != host || v == nil {
					continue
				}
				switch ts := st.Times[i]; {
				case left && ts <= move, !left && ts > move:
					in++
				case left && ts > move+lpmStep, !left && ts <= move-lpmStep:
					out++
				}
			}
		}
		if in == 0 || out > 0 {
			t.Errorf("/api/stack/%s: %s has %d known rows while there and %d while elsewhere", sys, host, in, out)
		}
	}
}
