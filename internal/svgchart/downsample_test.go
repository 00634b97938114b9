package svgchart

import (
	"math"
	"reflect"
	"testing"
	"time"
)

func TestSelectPoints(t *testing.T) {
	T, F := true, false
	for _, tc := range []struct {
		name  string
		xs    []int32 // tenths of a pixel: column = x/10
		ys    []int32
		known []bool
		limit int
		want  [][]int
	}{
		{"under the limit: runs", []int32{0, 1, 2, 3, 4}, []int32{5, 5, 5, 5, 5}, []bool{T, F, T, T, F}, 10,
			[][]int{{0}, {2, 3}}},
		{"min and max per column, in time order", []int32{0, 2, 4, 6, 10, 12, 14, 16}, []int32{5, 9, 1, 5, 3, 3, 7, 2}, []bool{T, T, T, T, T, T, T, T}, 4,
			[][]int{{1, 2, 6, 7}}},
		{"a gap inside a column cuts the line", []int32{0, 2, 4, 6, 10, 12}, []int32{1, 2, 3, 4, 5, 6}, []bool{T, T, F, T, T, T}, 4,
			[][]int{{0, 1}, {3, 4, 5}}},
		{"runs between gaps in one column become lone points", []int32{0, 1, 2, 3, 4, 5, 6, 7, 8}, []int32{1, 2, 9, 3, 0, 4, 5, 6, 7},
			[]bool{T, F, T, F, T, F, T, T, T}, 4,
			[][]int{{0}, {2}, {4}, {6, 8}}},
		{"a column all unknown", []int32{0, 5, 10, 15, 20, 25}, []int32{1, 2, 3, 4, 5, 6}, []bool{T, T, F, F, T, T}, 4,
			[][]int{{0, 1}, {4, 5}}},
		{"gap at the end of a column", []int32{0, 5, 10, 15}, []int32{1, 2, 3, 4}, []bool{T, F, T, T}, 2,
			[][]int{{0}, {2, 3}}},
	} {
		if got := selectPoints(tc.xs, tc.ys, tc.known, tc.limit); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestDownsampleKeepsPeaksAndGaps renders 100 000 points on 800 pixels:
// the path stays near two points a column, the one-sample spike is drawn,
// and a single unknown sample still cuts the line.
func TestDownsampleKeepsPeaksAndGaps(t *testing.T) {
	s := Series{Name: "a"}
	for i := range 100000 {
		v := 1 + math.Sin(float64(i)/1000)
		switch i {
		case 31337:
			v = 10 // the spike
		case 60000:
			v = math.NaN()
		}
		s.Points = append(s.Points, Point{day0.Add(time.Duration(i) * time.Second), v})
	}
	c := Chart{Series: []Series{s}, Min: 0, Max: 10, Height: 200}
	es := parseSVG(t, render(t, c))
	subs := parsePath(t, seriesPaths(es)[0].attr["d"])
	if len(subs) != 2 {
		t.Fatalf("%d subpaths, want 2 (the unknown sample is a gap)", len(subs))
	}
	n, top := 0, math.Inf(1)
	for _, sub := range subs {
		n += len(sub)
		for _, p := range sub {
			top = math.Min(top, p[1])
		}
	}
	if n > 2*800 {
		t.Errorf("%d points drawn for an 800 pixel wide chart", n)
	}
	if math.Abs(top-10) > 0.01 { // the top of the plot: no title, value 10 of 0..10
		t.Errorf("highest point at y %v: the spike was lost", top)
	}
}

func TestMergePoints(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []pt
		want []pt
	}{
		{"repeats", []pt{{0, 0}, {0, 0}, {10, 5}, {10, 5}}, []pt{{0, 0}, {10, 5}}},
		{"horizontal run", []pt{{0, 5}, {10, 5}, {20, 5}, {30, 5}, {40, 7}}, []pt{{0, 5}, {30, 5}, {40, 7}}},
		{"vertical run", []pt{{0, 0}, {10, 2}, {10, 4}, {10, 9}, {20, 9}}, []pt{{0, 0}, {10, 2}, {10, 9}, {20, 9}}},
		{"vertical turn keeps the extreme", []pt{{10, 2}, {10, 9}, {10, 4}}, []pt{{10, 2}, {10, 9}, {10, 4}}},
		{"slopes stay", []pt{{0, 0}, {10, 1}, {20, 2}}, []pt{{0, 0}, {10, 1}, {20, 2}}},
	} {
		if got := mergePoints(append([]pt(nil), tc.in...)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestAppendTenths(t *testing.T) {
	for v, want := range map[int32]string{0: "0", 5: "0.5", -5: "-0.5", 120: "12", 123: "12.3", -123: "-12.3", maxCoord: "1677721.6"} {
		if got := string(appendTenths(nil, v)); got != want {
			t.Errorf("appendTenths(%d) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]int32{0.04: 0, 0.05: 1, -0.05: -1, 12.34: 123, math.NaN(): 0, 1e300: maxCoord, -1e300: -maxCoord} {
		if got := toTenths(v); got != want {
			t.Errorf("toTenths(%v) = %d, want %d", v, got, want)
		}
	}
}

// TestStackedDownsample: 50 000 columns of two layers on 800 pixels keep the
// peak of the total and the one column where both layers are unknown.
func TestStackedDownsample(t *testing.T) {
	a, b := Series{Name: "a"}, Series{Name: "b"}
	for i := range 50000 {
		at := day0.Add(time.Duration(i) * time.Second)
		va, vb := 1.0, 1+0.5*math.Sin(float64(i)/500)
		switch i {
		case 12345:
			vb = 8 // total 9: the peak
		case 40000:
			va, vb = math.NaN(), math.NaN()
		}
		a.Points, b.Points = append(a.Points, Point{at, va}), append(b.Points, Point{at, vb})
	}
	c := Chart{Stacked: true, Series: []Series{a, b}, Min: 0, Max: 10, Height: 200}
	paths := seriesPaths(parseSVG(t, render(t, c)))
	for _, p := range paths {
		subs := parsePath(t, p.attr["d"])
		if len(subs) != 2 {
			t.Errorf("layer %s: %d areas, want 2 (one gap)", p.title, len(subs))
		}
		n := 0
		for _, s := range subs {
			n += len(s)
		}
		if n > 2*2*800 { // top and bottom edge
			t.Errorf("layer %s: %d points for 800 pixels", p.title, n)
		}
	}
	top := math.Inf(1)
	for _, s := range parsePath(t, paths[1].attr["d"]) {
		for _, p := range s {
			top = math.Min(top, p[1])
		}
	}
	// No title: the plot starts at y 10 and is 200-10-24-15 pixels high.
	if want := 10 + (1-0.9)*151; math.Abs(top-want) > 0.1 {
		t.Errorf("top of the stack at y %v, want %v (the peak of 9)", top, want)
	}
}
