package svgchart

import (
	"math"
	"slices"
	"time"
)

// sample is a point in Unix seconds; v is NaN when unknown.
type sample struct {
	t, v float64
}

// timeRange resolves the chart's time axis: zero Start or End is taken from
// the data, a reversed range is turned round, and a single instant is widened
// to the hour around it. ok is false when nothing defines a range.
func timeRange(c Chart) (start, end time.Time, ok bool) {
	start, end = c.Start, c.End
	if start.IsZero() || end.IsZero() {
		var lo, hi time.Time
		for _, s := range c.Series {
			for _, p := range s.Points {
				if lo.IsZero() || p.T.Before(lo) {
					lo = p.T
				}
				if hi.IsZero() || p.T.After(hi) {
					hi = p.T
				}
			}
		}
		if start.IsZero() {
			start = lo
		}
		if end.IsZero() {
			end = hi
		}
		if start.IsZero() || end.IsZero() {
			return start, end, false
		}
	}
	if end.Before(start) {
		start, end = end, start
	}
	if !(secs(end) > secs(start)) {
		start, end = start.Add(-30*time.Minute), end.Add(30*time.Minute)
	}
	loc := c.Start.Location()
	if c.Start.IsZero() {
		loc = start.Location()
	}
	return start.In(loc), end.In(loc), true
}

// samples returns the points of s inside [t0, t1], in time order, with
// infinities read as unknown: they cannot be drawn and would break the scale.
func samples(s Series, t0, t1 float64) []sample {
	out := make([]sample, 0, len(s.Points))
	for _, p := range s.Points {
		t := secs(p.T)
		if t < t0 || t > t1 {
			continue
		}
		v := p.V
		if math.IsInf(v, 0) {
			v = math.NaN()
		}
		out = append(out, sample{t, v})
	}
	if !slices.IsSortedFunc(out, cmpSample) {
		slices.SortStableFunc(out, cmpSample)
	}
	return out
}

func cmpSample(a, b sample) int {
	switch {
	case a.t < b.t:
		return -1
	case a.t > b.t:
		return 1
	}
	return 0
}

// stack holds stacked series on one time grid: tops[i][j] is the top of
// layer i at grid[j], known[j] whether any series has a value there.
type stack struct {
	grid  []float64
	tops  [][]float64
	known []bool
}

// stackSeries puts the series on the union of their timestamps. A series
// without a sample at a grid time takes the next sample after it, as an RRD
// row covers the step that ends at its time; before its first or after its
// last sample it is unknown. Unknown counts as zero in the stack, but a
// column where every series is unknown stays a gap.
func stackSeries(series [][]sample) stack {
	var grid []float64
	for _, s := range series {
		grid = mergeTimes(grid, s)
	}
	st := stack{grid: grid, tops: make([][]float64, len(series)), known: make([]bool, len(grid))}
	base := make([]float64, len(grid))
	for i, s := range series {
		top := make([]float64, len(grid))
		k := 0
		for j, t := range grid {
			for k < len(s) && s[k].t < t {
				k++
			}
			top[j] = base[j]
			if k < len(s) && (s[k].t == t || k > 0) && !math.IsNaN(s[k].v) {
				top[j] += s[k].v
				st.known[j] = true
			}
		}
		st.tops[i], base = top, top
	}
	return st
}

// mergeTimes returns the sorted union of grid and the times of s. Series of
// one chart mostly share their times, and then this is one linear pass.
func mergeTimes(grid []float64, s []sample) []float64 {
	same := len(grid) > 0
	for i, j := 0, 0; same && j < len(s); j++ {
		for i < len(grid) && grid[i] < s[j].t {
			i++
		}
		same = i < len(grid) && grid[i] == s[j].t
	}
	if same {
		return grid
	}
	out := make([]float64, 0, len(grid)+len(s))
	i, j := 0, 0
	for i < len(grid) || j < len(s) {
		var t float64
		switch {
		case j == len(s) || i < len(grid) && grid[i] < s[j].t:
			t, i = grid[i], i+1
		case i == len(grid) || s[j].t < grid[i]:
			t, j = s[j].t, j+1
		default:
			t, i, j = grid[i], i+1, j+1
		}
		if len(out) == 0 || out[len(out)-1] != t {
			out = append(out, t)
		}
	}
	return out
}

// valueRange returns the smallest and largest known value, with zero
// included when all values have one sign (charts of load or bytes start at
// the origin); ok is false when no value is known.
func valueRange(values [][]float64, known func(i, j int) bool) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, vs := range values {
		for j, v := range vs {
			if known(i, j) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		return 0, 0, false
	}
	return math.Min(lo, 0), math.Max(hi, 0), true
}

// axisRange turns the data range and the chart's Min and Max into the value
// axis: NaN (or both zero, the zero Chart) means automatic. A degenerate
// range is widened around its value.
func axisRange(c Chart, lo, hi float64) (axisLo, axisHi float64, ticks []float64, step float64) {
	auto := c.Min == 0 && c.Max == 0
	fixedLo, fixedHi := !auto && isFinite(c.Min), !auto && isFinite(c.Max)
	if fixedLo {
		lo = c.Min
	}
	if fixedHi {
		hi = c.Max
	}
	if !(hi-lo >= 1e-290) || hi-lo < 1e-9*math.Max(math.Abs(lo), math.Abs(hi)) {
		switch {
		case fixedLo && !fixedHi:
			hi = lo + widening(lo)
		case fixedHi && !fixedLo:
			lo = hi - widening(hi)
		case math.Abs(lo) < 1e-290 && math.Abs(hi) < 1e-290:
			lo, hi = 0, 1 // all zero: an idle counter still gets a 0..1 axis
		default:
			mid := lo/2 + hi/2
			lo, hi = mid-widening(mid)/2, mid+widening(mid)/2
		}
		lo, hi = math.Max(lo, -math.MaxFloat64), math.Min(hi, math.MaxFloat64)
		fixedLo, fixedHi = false, false
	}
	axisLo, axisHi, ticks, step = niceTicks(lo, hi, !fixedLo && !fixedHi)
	if fixedLo != fixedHi { // one end fixed: the other still ends on a tick
		l, h, t, s := niceTicks(lo, hi, true)
		if fixedLo {
			axisHi = h
		} else {
			axisLo = l
		}
		ticks, step = clip(t, axisLo, axisHi), s
	}
	return axisLo, axisHi, ticks, step
}

// widening is how far a degenerate axis around v is opened: a fifth of v,
// or 1 around zero.
func widening(v float64) float64 {
	if math.Abs(v) < 1e-290 {
		return 1
	}
	return math.Abs(v) * 0.2
}

func clip(ticks []float64, lo, hi float64) []float64 {
	var out []float64
	for _, t := range ticks {
		if t >= lo-eps*math.Abs(lo) && t <= hi+eps*math.Abs(hi) {
			out = append(out, t)
		}
	}
	return out
}

func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}
