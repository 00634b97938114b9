package svgchart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg from the current output")

// cet is a fixed zone, so the goldens do not depend on the tz database.
var cet = time.FixedZone("CET", 3600)

var day0 = time.Date(2025, 3, 10, 0, 0, 0, 0, cet)

// wave describes a deterministic series: a sine of the given period around
// base, one point per step over [start, start+span], NaN where gap says so.
type wave struct {
	start              time.Time
	span, step, period time.Duration
	base, amp, phase   float64
	gap                func(time.Duration) bool
}

func (w wave) series(name string) Series {
	if w.period == 0 {
		w.period = 24 * time.Hour
	}
	s := Series{Name: name}
	for d := time.Duration(0); d <= w.span; d += w.step {
		v := w.base + w.amp*math.Sin(2*math.Pi*float64(d)/float64(w.period)+w.phase)
		if w.gap != nil && w.gap(d) {
			v = math.NaN()
		}
		s.Points = append(s.Points, Point{w.start.Add(d), v})
	}
	return s
}

func during(from, to time.Duration) func(time.Duration) bool {
	return func(d time.Duration) bool { return d >= from && d < to }
}

const day = 24 * time.Hour

// physcDay is the example of the README: physc of five LPARs on one managed
// system over a day; lpar03 arrives by LPM at 14:00, and its RRD has nothing
// on this system before.
func physcDay() Chart {
	var ss []Series
	for i, n := range []string{"lpar01", "lpar02", "lpar03", "db-prod", "web-01"} {
		w := wave{start: day0, span: day, step: 5 * time.Minute, base: 0.4 + 0.25*float64(i), amp: 0.3, phase: float64(i)}
		if n == "lpar03" {
			w.gap = during(0, 14*time.Hour)
		}
		ss = append(ss, w.series(n))
	}
	return Chart{Title: "sys-9080-A · physc per LPAR", Units: "cores", Series: ss, Stacked: true,
		Markers: []Marker{{day0.Add(14 * time.Hour), "lpar03 ← sys-9080-B"}},
		Start:   day0, End: day0.Add(day), Min: math.NaN(), Max: math.NaN()}
}

func goldenCharts() map[string]Chart {
	nan := math.NaN()
	daily := wave{start: day0, span: day, step: 5 * time.Minute}
	with := func(w wave, f func(*wave)) wave { f(&w); return w }
	at13 := day0.Add(13 * time.Hour)
	return map[string]Chart{
		"line": {Title: "load_one", Series: []Series{
			with(daily, func(w *wave) { w.base, w.amp = 2, 1.5 }).series("lpar01"),
			with(daily, func(w *wave) { w.base, w.amp, w.phase = 1, 0.8, 2 }).series("lpar02"),
		}, Start: day0, End: day0.Add(day), Min: nan, Max: nan},
		// Fixed 0..100: a run of NaN, single NaNs, and lone samples between
		// NaNs at the end.
		"gaps": {Title: "cpu_ec", Units: "%", Series: []Series{
			with(daily, func(w *wave) {
				w.base, w.amp, w.gap = 60, 30, during(3*time.Hour, 5*time.Hour)
			}).series("lpar01"),
			with(daily, func(w *wave) {
				w.base, w.amp, w.phase = 40, 20, 1
				w.gap = func(d time.Duration) bool {
					return d%(2*time.Hour) == 0 || d > 20*time.Hour && d%(10*time.Minute) == 0
				}
			}).series("lpar02"),
		}, Start: day0, End: day0.Add(day), Min: 0, Max: 100},
		// Steps of 10 and 15 minutes stack on the union of their times.
		"stacked": {Title: "physc", Units: "cores", Stacked: true, Series: []Series{
			with(daily, func(w *wave) { w.step, w.base, w.amp = 10*time.Minute, 1, 0.5 }).series("a"),
			with(daily, func(w *wave) { w.step, w.base, w.amp, w.phase = 15*time.Minute, 0.5, 0.3, 2 }).series("b"),
		}, Start: day0, End: day0.Add(day), Min: nan, Max: nan},
		"example-physc-stacked": physcDay(),
		// Only 07:00-08:00 has no value at all: the one gap of the stack.
		"stacked-gaps": {Title: "physc", Units: "cores", Stacked: true, Series: []Series{
			with(daily, func(w *wave) { w.base, w.amp, w.gap = 1, 0.5, during(6*time.Hour, 8*time.Hour) }).series("a"),
			with(daily, func(w *wave) { w.base, w.amp, w.phase, w.gap = 1, 0.5, 1, during(7*time.Hour, 9*time.Hour) }).series("b"),
			with(daily, func(w *wave) { w.base, w.amp, w.phase, w.gap = 1, 0.5, 2, during(6*time.Hour, 12*time.Hour) }).series("c"),
		}, Start: day0, End: day0.Add(day), Min: nan, Max: nan},
		"markers": {Title: "bytes_in", Units: "bytes/s", Series: []Series{
			with(daily, func(w *wave) { w.base, w.amp = 4e6, 3e6 }).series("lpar01"),
		}, Markers: []Marker{
			{day0.Add(3 * time.Hour), "sys-A → sys-B"},
			{day0.Add(3*time.Hour + 20*time.Minute), "sys-B → sys-A"},
			{day0.Add(3*time.Hour + 40*time.Minute), "a label long enough to be cut short"},
			{day0.Add(3*time.Hour + 50*time.Minute), "a fourth row is left out"},
			{day0.Add(23*time.Hour + 50*time.Minute), "near the edge"},
			{day0.Add(-time.Hour), "outside the range"},
		}, Start: day0, End: day0.Add(day)},
		"nodata": {Title: "mem_free", Units: "bytes", Series: []Series{
			{Name: "lpar01", Points: []Point{{day0, nan}, {day0.Add(time.Hour), nan}}},
		}, Start: day0, End: day0.Add(day)},
		"span-hour": {Title: "last hour", Series: []Series{
			wave{start: at13, span: time.Hour, step: 15 * time.Second, period: 20 * time.Minute, base: 500, amp: 400}.series("lpar01"),
		}, Start: at13, End: at13.Add(time.Hour)},
		"span-day": {Title: "last day", Series: []Series{
			wave{start: at13, span: day, step: 5 * time.Minute, base: 500, amp: 400}.series("lpar01"),
		}, Start: at13, End: at13.Add(day)},
		"span-week": {Title: "last week", Series: []Series{
			wave{start: at13, span: 7 * day, step: 30 * time.Minute, base: 2.5e9, amp: 2e9}.series("lpar01"),
		}, Start: at13, End: at13.Add(7 * day)},
		"span-month": {Title: "last month", Series: []Series{
			wave{start: day0, span: 31 * day, step: 2 * time.Hour, period: 7 * day, base: 0.02, amp: 0.015}.series("lpar01"),
		}, Start: day0, End: day0.Add(31 * day)},
		"span-year": {Title: "last year", Series: []Series{
			wave{start: day0, span: 365 * day, step: day, period: 365 * day, base: 75, amp: 20}.series("lpar01"),
			wave{start: day0, span: 365 * day, step: day, period: 30 * day, base: 40, amp: 10}.series("lpar02"),
		}, Start: day0, End: day0.Add(365 * day), Width: 600, Height: 200},
	}
}

func TestGolden(t *testing.T) {
	for name, c := range goldenCharts() {
		t.Run(name, func(t *testing.T) {
			checkGolden(t, name, render(t, c))
		})
	}
}

func render(t testing.TB, c Chart) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(buf.Bytes()); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".svg")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; run go test -update and review the diff", path)
	}
}

// wellFormed parses b with encoding/xml and checks that it is one <svg>
// element in the SVG namespace with nothing after it.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					return errors.New("root is not an svg element")
				}
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return errors.New("text outside the svg element")
			}
		}
	}
	if roots != 1 {
		return errors.New("not exactly one root element")
	}
	return nil
}
