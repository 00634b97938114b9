package svgchart

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// minutely makes a series with one point a minute from day0.
func minutely(name string, vs ...float64) Series {
	s := Series{Name: name}
	for i, v := range vs {
		s.Points = append(s.Points, Point{day0.Add(time.Duration(i) * time.Minute), v})
	}
	return s
}

func TestNaN(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name    string
		stacked bool
		series  []Series
		want    []int // subpaths per drawn series; nil: "no data"
	}{
		{"plain", false, []Series{minutely("a", 1, 2, 3)}, []int{1}},
		{"one gap", false, []Series{minutely("a", 1, 2, nan, nan, 3, 4)}, []int{2}},
		{"lone points", false, []Series{minutely("a", 1, nan, 2, nan, 3)}, []int{3}},
		{"leading and trailing", false, []Series{minutely("a", nan, 1, 2, nan)}, []int{1}},
		{"infinity is unknown", false, []Series{minutely("a", 1, 2, inf, 3, 4)}, []int{2}},
		{"one series empty", false, []Series{minutely("a", nan, nan), minutely("b", 1, 2)}, []int{1}},
		{"all unknown", false, []Series{minutely("a", nan, nan), minutely("b", nan)}, nil},
		{"no points", false, []Series{{Name: "a"}}, nil},
		{"no series", false, nil, nil},
		{"stack: unknown counts as zero", true,
			[]Series{minutely("a", 1, nan, 1), minutely("b", 1, 1, 1)}, []int{1, 1}},
		{"stack: a whole unknown column is a gap", true,
			[]Series{minutely("a", 1, 1, nan, 1, 1), minutely("b", 1, 1, nan, 1, 1)}, []int{2, 2}},
		{"stack: an unknown layer is not drawn", true,
			[]Series{minutely("a", nan, nan, nan), minutely("b", 1, 2, 1)}, []int{1}},
		{"stack: all unknown", true, []Series{minutely("a", nan), minutely("b", nan)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Chart{Series: tc.series, Stacked: tc.stacked, Start: day0, End: day0.Add(10 * time.Minute)}
			es := parseSVG(t, render(t, c))
			noData := len(find(es, "text", func(e *elem) bool { return e.text == "no data" })) == 1
			if noData != (tc.want == nil) {
				t.Fatalf("\"no data\" shown: %v, want %v", noData, tc.want == nil)
			}
			paths := seriesPaths(es)
			if len(paths) != len(tc.want) {
				t.Fatalf("%d series paths, want %d", len(paths), len(tc.want))
			}
			for i, p := range paths {
				if got := len(parsePath(t, p.attr["d"])); got != tc.want[i] {
					t.Errorf("path %d (%s) has %d subpaths, want %d: %s", i, p.title, got, tc.want[i], p.attr["d"])
				}
			}
		})
	}
}

// TestStackHeights checks the areas pile up: the top of the last layer is
// the sum, and an unknown value adds nothing.
func TestStackHeights(t *testing.T) {
	c := Chart{Stacked: true, Start: day0, End: day0.Add(2 * time.Minute), Height: 200, Min: 0, Max: 4,
		Series: []Series{minutely("a", 1, math.NaN(), 1), minutely("b", 2, 2, 2)}}
	paths := seriesPaths(parseSVG(t, render(t, c)))
	ring := parsePath(t, paths[1].attr["d"])[0]
	// Top edge, left to right: 3, 2, 3 cores on a 0..4 axis.
	y := func(v float64) float64 { return 10 + (1-v/4)*float64(200-10-axisBand-rowHeight) }
	for i, v := range []float64{3, 2, 3} {
		if got, want := ring[i][1], math.Round(y(v)*10)/10; math.Abs(got-want) > 0.1 {
			t.Errorf("top of b at column %d: y %v, want %v (%v cores)", i, got, want, v)
		}
	}
}

func TestEscaping(t *testing.T) {
	hostile := []string{`<script>alert("x")</script>`, `a"b'c&d`, "]]><!--", "bad\xff\x00utf8\x1b"}
	sanitised := []string{`<script>alert("x")</script>`, `a"b'c&d`, "]]><!--", "bad\uFFFD\uFFFDutf8\uFFFD"}
	var c Chart
	c.Title, c.Units = hostile[0], hostile[1]
	for _, h := range hostile {
		c.Series = append(c.Series, minutely(h, 1, 2, 3))
		c.Markers = append(c.Markers, Marker{day0.Add(time.Minute), h})
	}
	out := render(t, c)
	if bytes.Contains(out, []byte("<script")) || bytes.Contains(out, []byte("<!--")) {
		t.Fatalf("markup from a name reached the output:\n%s", out)
	}
	es := parseSVG(t, out)
	if got := es[0].attr["aria-label"]; got != hostile[0] {
		t.Errorf("aria-label %q, want %q", got, hostile[0])
	}
	texts := map[string]int{}
	for _, e := range find(es, "text", nil) {
		texts[e.text]++
	}
	for i, want := range sanitised {
		if seriesPaths(es)[i].title != want {
			t.Errorf("tooltip of series %d: %q, want %q", i, seriesPaths(es)[i].title, want)
		}
		if texts[want] == 0 {
			t.Errorf("no text %q in the legend or markers", want)
		}
	}
	if texts[hostile[0]] < 2 || texts[hostile[1]] < 3 { // title+legend; units+legend+marker
		t.Errorf("title and units not written as text: %v", texts)
	}
}

func TestDefaultsAndBounds(t *testing.T) {
	for _, tc := range []struct {
		w, h         int
		wantW, wantH string
	}{{0, 0, "800", "250"}, {-5, 300, "800", "300"}, {10, 10, "120", "120"}, {1 << 30, 1 << 30, "10000", "10000"}} {
		es := parseSVG(t, render(t, Chart{Width: tc.w, Height: tc.h, Series: []Series{minutely("a", 1, 2)}}))
		if es[0].attr["width"] != tc.wantW || es[0].attr["height"] != tc.wantH {
			t.Errorf("Width %d Height %d: got %s×%s, want %s×%s", tc.w, tc.h,
				es[0].attr["width"], es[0].attr["height"], tc.wantW, tc.wantH)
		}
	}
}

// TestDeterministic renders the same chart twice, and once with its points
// shuffled: the bytes must not change.
func TestDeterministic(t *testing.T) {
	c := goldenCharts()["gaps"]
	first := render(t, c)
	if !bytes.Equal(first, render(t, c)) {
		t.Fatal("two renderings differ")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range c.Series {
		pts := append([]Point(nil), c.Series[i].Points...)
		r.Shuffle(len(pts), func(a, b int) { pts[a], pts[b] = pts[b], pts[a] })
		c.Series[i].Points = pts
	}
	if !bytes.Equal(first, render(t, c)) {
		t.Fatal("the order of the points changes the output")
	}
}

func TestTimeRange(t *testing.T) {
	s := minutely("a", 1, 2, 3)
	for _, tc := range []struct {
		name       string
		start, end time.Time
		series     []Series
		want       [2]time.Time
		ok         bool
	}{
		{"given", day0, day0.Add(time.Hour), nil, [2]time.Time{day0, day0.Add(time.Hour)}, true},
		{"from the data", time.Time{}, time.Time{}, []Series{s}, [2]time.Time{day0, day0.Add(2 * time.Minute)}, true},
		{"start from the data", time.Time{}, day0.Add(time.Hour), []Series{s}, [2]time.Time{day0, day0.Add(time.Hour)}, true},
		{"reversed", day0.Add(time.Hour), day0, nil, [2]time.Time{day0, day0.Add(time.Hour)}, true},
		{"one instant", day0, day0, nil, [2]time.Time{day0.Add(-30 * time.Minute), day0.Add(30 * time.Minute)}, true},
		{"nothing", time.Time{}, time.Time{}, nil, [2]time.Time{}, false},
	} {
		start, end, ok := timeRange(Chart{Start: tc.start, End: tc.end, Series: tc.series})
		if ok != tc.ok || ok && (!start.Equal(tc.want[0]) || !end.Equal(tc.want[1])) {
			t.Errorf("%s: got %v %v %v, want %v %v", tc.name, start, end, ok, tc.want, tc.ok)
		}
	}
}

// TestFixedRange holds values outside Min and Max at the edges of the plot.
func TestFixedRange(t *testing.T) {
	c := Chart{Start: day0, End: day0.Add(2 * time.Minute), Min: 0, Max: 10, Series: []Series{minutely("a", -5, 5, 50)}}
	es := parseSVG(t, render(t, c))
	line := parsePath(t, seriesPaths(es)[0].attr["d"])[0]
	axis := parsePath(t, find(es, "path", func(e *elem) bool { return e.attr["stroke"] == "#888" })[0].attr["d"])[0]
	top, bottom := axis[0][1], axis[1][1]
	if line[0][1] != bottom || line[2][1] != top {
		t.Errorf("out-of-range values at y %v and %v, want the plot edges %v and %v", line[0][1], line[2][1], bottom, top)
	}
	var labels []string
	for _, e := range find(es, "text", nil) {
		labels = append(labels, e.text)
	}
	if got := strings.Join(labels[:6], " "); got != "0 2 4 6 8 10" {
		t.Errorf("value labels %q, want 0 2 4 6 8 10", got)
	}
}

func TestLegendOverflow(t *testing.T) {
	var c Chart
	for i := range 100 {
		c.Series = append(c.Series, minutely("lpar"+strings.Repeat("x", i%7), float64(i)))
	}
	c.Series = append(c.Series, minutely(strings.Repeat("long", 20), 1))
	es := parseSVG(t, render(t, c))
	more := find(es, "text", func(e *elem) bool { return strings.HasSuffix(e.text, " more") })
	if len(more) != 1 {
		t.Fatalf("want one \"+N more\" entry, got %d", len(more))
	}
	legend := find(es, "text", func(e *elem) bool { return strings.HasPrefix(e.text, "lpar") })
	if n := len(legend) + atoi(t, more[0].text[1:strings.IndexByte(more[0].text, ' ')]); n != 101 {
		t.Errorf("legend entries plus \"more\" count %d series, want 101", n)
	}
	for _, e := range legend {
		y := atof(t, e.attr["y"])
		if y > 250 {
			t.Errorf("legend entry %q below the image at y %v", e.text, y)
		}
	}
}

func TestLongLabelsAreCut(t *testing.T) {
	long := strings.Repeat("é", 100)
	es := parseSVG(t, render(t, Chart{Series: []Series{minutely(long, 1, 2)},
		Markers: []Marker{{day0.Add(time.Minute), long}}}))
	n := 0
	for _, e := range find(es, "text", func(e *elem) bool { return strings.HasPrefix(e.text, "éé") }) {
		if !strings.HasSuffix(e.text, "…") || e.title != long {
			t.Errorf("label %q (tooltip %q): want it cut with the whole text as tooltip", e.text, e.title)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d cut labels, want 2 (legend and marker)", n)
	}
}
