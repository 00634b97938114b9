package e2e

// Our web interface through the whole LPM story: the scenario's six LPARs
// report for a few RRD steps, one of them moves to a second managed system
// and later to a third, and every page is then checked in headless
// Chromium and saved as a PNG.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
	"github.com/ganglia-lpm/ganglia-lpm/internal/lpmscenario"
)

// stepWait bounds the wait for RRD rows: a few steps.
const stepWait = 4 * lpmscenario.Step * time.Second

// shotWidth is the width of every screenshot, in CSS pixels.
const shotWidth = 1280

// apiMove is a move as /api/moves gives it.
type apiMove struct {
	Time           time.Time
	Host, From, To string
}

// TestLPMOurWeb: after three RRD steps of data, lnxapp01 moves from the
// first managed system to the second and, two steps later, to the third;
// two steps after that every page of our web interface loads in Chromium
// with a clean console and every image drawn; the timeline, the grid page
// and the LPAR page list both moves; each managed system's page lists the
// LPARs that run there now, all up; the LPAR's cpu_used and load_one
// series have data before, between and after the moves and no unknown
// row in between. It runs our pipeline only (the stock one is for
// ganglia-web parity) and takes about two and a half minutes, most of it
// waiting for RRD steps.
func TestLPMOurWeb(t *testing.T) {
	t.Parallel()
	began := time.Now()
	s := lpmscenario.Start(t, lpmscenario.Options{NoStock: true})
	s.WaitPlaced(t, lpmscenario.Ours)

	const mover = "lnxapp01"
	if s.SystemOf(mover) != s.Systems[0].Name {
		t.Fatalf("%s starts on %s, want %s", mover, s.SystemOf(mover), s.Systems[0].Name)
	}
	// Whole steps after the first stored cpu_used (it needs two lparcfg
	// reads, so it comes after the host is listed), then two after each
	// move as gmetad saw it.
	rrd := s.RRDPath(lpmscenario.Ours, "", mover, "cpu_used")
	created := lpmscenario.WaitRRD(t, rrd, 0, stepWait) // the file exists
	first := lpmscenario.WaitRRD(t, rrd, created+1, stepWait)
	// Three steps, not two: the move lands inside a step, and that row
	// is in no stay wholly, so two would leave one whole row before it.
	lpmscenario.WaitRRD(t, rrd, lpmscenario.StepAfter(time.Unix(first, 0), 3), stepWait)
	for _, to := range []string{s.Systems[1].Name, s.Systems[2].Name} {
		m := s.Move(t, mover, to)
		s.WaitHostIn(t, lpmscenario.Ours, mover, to)
		moved := time.Now()
		t.Logf("%s listed under %s only, %v after its lparcfg changed", mover, to, moved.Sub(m.At).Round(time.Millisecond))
		lpmscenario.WaitRRD(t, rrd, lpmscenario.StepAfter(moved, 2), stepWait)
	}
	live := time.Since(began)

	w := &ourWeb{t: t, s: s, b: browser.New(t), moves: checkAPIMoves(t, s)}
	w.gridPage()
	for _, sys := range s.Systems {
		w.systemPage(sys.Name)
	}
	w.lparPage(mover)
	w.movesPage()
	w.open("/health", "health", 1100)
	for _, metric := range []string{"cpu_used", "load_one"} {
		w.checkSeries(mover, metric)
	}
	t.Logf("screenshots in %s", s.ArtifactsDir)
	t.Logf("took %v: %v of scenario until two RRD steps after the second move, then the browser",
		time.Since(began).Round(time.Second), live.Round(time.Second))
}

// checkAPIMoves reads /api/moves: the scenario's moves, in order, each
// noticed by gmetad within two collection intervals of the fixture change
// (the gmond reads it every 5 s; cmd/gmond's TestLPMRetarget measures the
// delay itself).
func checkAPIMoves(t *testing.T, s *lpmscenario.Scenario) []apiMove {
	t.Helper()
	var got struct{ Moves []apiMove }
	if err := getJSON(s.OurWeb+"/api/moves", &got); err != nil {
		t.Fatal(err)
	}
	want := s.Moves()
	if len(got.Moves) != len(want) {
		t.Fatalf("/api/moves: %+v, want %d moves: %+v", got.Moves, len(want), want)
	}
	for i, m := range got.Moves {
		w := want[i]
		lag := m.Time.Sub(w.At)
		if m.Host != w.LPAR || m.From != w.From || m.To != w.To || lag < -time.Second || lag > 10*time.Second {
			t.Errorf("/api/moves[%d] = %+v, want %s from %s to %s within 10 s after %v", i, m, w.LPAR, w.From, w.To, w.At)
		}
	}
	return got.Moves
}

// ourWeb opens the pages of the scenario's web interface.
type ourWeb struct {
	t     *testing.T
	s     *lpmscenario.Scenario
	b     *browser.Browser
	moves []apiMove // from /api/moves, oldest first
}

// open loads path in a viewport shotWidth wide and as tall as the page
// (loaded again at that height if it was taller than height), so that no
// lazy image waits for a scroll; it checks that the page answered 200 with
// a clean console and every image drawn, and saves it as name.png.
func (w *ourWeb) open(path, name string, height int) *browser.Page {
	t := w.t
	t.Helper()
	w.b.Width, w.b.Height = shotWidth, height
	p := w.b.Open(t, w.s.OurWeb+path)
	if h := int(p.Eval(t, `document.documentElement.scrollHeight`).(float64)); h > height {
		p.Close(t)
		height = h
		w.b.Height = height
		p = w.b.Open(t, w.s.OurWeb+path)
	}
	if p.Status != http.StatusOK {
		t.Errorf("%s: status %d", path, p.Status)
	}
	p.ExpectClean(t)
	// Each graph is an SVG the server draws from an RRD; on a loaded
	// machine some are still arriving when the load event fires.
	p.Eval(t, `Promise.race([
		Promise.all([...document.images].map(i => i.complete ? 0 : new Promise(r => { i.addEventListener("load", r); i.addEventListener("error", r); }))),
		new Promise(r => setTimeout(r, 20000))])`)
	broken := evalStrings(t, p, `[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)`)
	if len(broken) > 0 {
		t.Errorf("%s: images not drawn: %q", path, broken)
	}
	p.Screenshot(t, filepath.Join(w.s.ArtifactsDir, name+".png"), shotWidth, height)
	t.Logf("%s: loaded in %v, %s.png", path, p.LoadTime.Round(time.Millisecond), name)
	return p
}

// moveRows are the moves as the pages' move tables show them, without
// the time: LPAR|from|to.
func moveRows(moves []apiMove) []string {
	out := []string{}
	for _, m := range moves {
		out = append(out, m.Host+"|"+m.From+"|"+m.To)
	}
	return out
}

// pageMoves reads a page's move table, without the time column.
func pageMoves(t *testing.T, p *browser.Page) []string {
	t.Helper()
	return evalStrings(t, p, `[...document.querySelectorAll("tr[data-move]")].map(r => [...r.cells].slice(1).map(c => c.textContent.trim()).join("|"))`)
}

// gridPage: every managed system with the number of LPARs on it now, all
// up; the default cluster empty; the latest moves, newest first.
func (w *ourWeb) gridPage() {
	t := w.t
	p := w.open("/", "grid", 900)
	rows := evalStrings(t, p, `[...document.querySelectorAll("#systems tr[data-system]")].map(r => r.dataset.system + "|" + r.cells[1].textContent + "|" + r.cells[2].textContent + "|" + r.cells[3].textContent)`)
	want := []string{lpmscenario.DefaultCluster + "|0|0|0"}
	for _, sys := range w.s.Systems {
		n := strconv.Itoa(len(w.s.On(sys.Name)))
		want = append(want, sys.Name+"|"+n+"|"+n+"|0")
	}
	slices.Sort(want)
	if slices.Sort(rows); !slices.Equal(rows, want) {
		t.Errorf("grid page systems (name|LPARs|up|down) = %q, want %q", rows, want)
	}
	newest := slices.Clone(w.moves)
	slices.Reverse(newest)
	if got := pageMoves(t, p); !slices.Equal(got, moveRows(newest)) {
		t.Errorf("grid page latest moves = %q, want %q", got, moveRows(newest))
	}
}

// systemPage: the system's LPAR table lists the LPARs there now, all up,
// and its moves are those into or out of it.
func (w *ourWeb) systemPage(name string) {
	t := w.t
	p := w.open("/system/"+name+"?range=hour", "system-"+name, 1000)
	got := evalStrings(t, p, `[...document.querySelectorAll("#lpars tr[data-lpar]")].map(r => r.dataset.lpar + "|" + r.cells[1].textContent)`)
	want := []string{}
	for _, l := range w.s.On(name) {
		want = append(want, l+"|up")
	}
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Errorf("/system/%s lists (LPAR|state) %q, want %q", name, got, want)
	}
	var touching []apiMove
	for _, m := range w.moves {
		if m.From == name || m.To == name {
			touching = append(touching, m)
		}
	}
	if got := pageMoves(t, p); !slices.Equal(got, moveRows(touching)) {
		t.Errorf("/system/%s moves = %q, want %q", name, got, moveRows(touching))
	}
}

// lparPage: the moved LPAR's page says where it runs now, lists both
// moves and draws its cpu_used graph.
func (w *ourWeb) lparPage(host string) {
	t := w.t
	p := w.open("/lpar/"+host+"?range=hour", "lpar-"+host, 1800)
	head := evalStrings(t, p, `[document.getElementById("lpar-name").textContent, document.querySelector("#lpar-summary a").textContent]`)
	if want := w.s.SystemOf(host); head[0] != host || head[1] != want {
		t.Errorf("LPAR page: heading %q on %q, want %s on %s", head[0], head[1], host, want)
	}
	if got := pageMoves(t, p); !slices.Equal(got, moveRows(w.moves)) {
		t.Errorf("LPAR page moves = %q, want %q", got, moveRows(w.moves))
	}
	graphs := evalStrings(t, p, `[...document.querySelectorAll("figure.graph img")].map(i => i.getAttribute("src").split("?")[0])`)
	for _, m := range []string{"cpu_used", "cpu_ec", "load_one", "mem_free", "bytes_in"} {
		if !slices.Contains(graphs, "/graph/lpar/"+host+"/"+m+".svg") {
			t.Errorf("LPAR page: no %s graph among %q", m, graphs)
		}
	}
}

// movesPage: the timeline lists both moves, oldest first.
func (w *ourWeb) movesPage() {
	t := w.t
	p := w.open("/moves", "moves", 700)
	if got := pageMoves(t, p); !slices.Equal(got, moveRows(w.moves)) {
		t.Errorf("timeline rows = %q, want %q", got, moveRows(w.moves))
	}
	n := len(w.moves)
	if c := evalStrings(t, p, `[document.getElementById("moves-count").textContent]`); !strings.HasPrefix(c[0], fmt.Sprintf("%d of %d ", n, n)) {
		t.Errorf("timeline count %q, want %d of %d", c[0], n, n)
	}
}

// checkSeries reads the rows an LPAR graph is drawn from: known rows
// before the first move, between the moves and after the last (two at
// least in each: the scenario waited for two whole steps), no unknown row
// between the first known and the last, and both moves.
func (w *ourWeb) checkSeries(host, metric string) {
	t := w.t
	var s struct {
		Step   int64
		Times  []int64
		Values []*float64
		Moves  []apiMove
	}
	url := w.s.OurWeb + "/api/series/" + host + "/" + metric + "?range=hour"
	if err := getJSON(url, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Times) != len(s.Values) || s.Step != lpmscenario.Step {
		t.Fatalf("%s: %d times, %d values, step %d", url, len(s.Times), len(s.Values), s.Step)
	}
	if got := moveRows(s.Moves); !slices.Equal(got, moveRows(w.moves)) {
		t.Errorf("%s: moves %q, want %q", url, got, moveRows(w.moves))
	}
	known := make([]int, len(w.moves)+1) // rows wholly within each stay
	first, last := -1, -1
	for i, v := range s.Values {
		if v == nil {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		if stay, ok := stayOf(s.Times[i], s.Step, w.moves); ok {
			known[stay]++
		}
	}
	for i := first; first >= 0 && i <= last; i++ {
		if s.Values[i] == nil {
			t.Errorf("%s: row %d unknown between known rows %d and %d", url, s.Times[i], s.Times[first], s.Times[last])
		}
	}
	for stay, n := range known {
		if n < 2 {
			t.Errorf("%s: %d known rows in stay %d (before, between and after the moves: %v), want 2 at least", url, n, stay, known)
		}
	}
	t.Logf("%s: known rows before, between and after the moves: %v", url, known)
}

// stayOf tells in which stay (0 before the first move, i after move i) the
// step ending at ts lies wholly; a step with a move in it is in none.
func stayOf(ts, step int64, moves []apiMove) (int, bool) {
	for i, m := range moves {
		at := m.Time.Unix()
		if ts <= at {
			return i, true
		}
		if ts-step < at {
			return 0, false
		}
	}
	return len(moves), true
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

// getJSON fetches url and decodes its JSON answer into v.
func getJSON(url string, v any) error {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: %w", url, err)
	}
	return nil
}
