package svgchart

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		expand bool
		want   []float64
	}{
		{0, 1, true, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 7.3, true, []float64{0, 2, 4, 6, 8}},
		{0, 100, true, []float64{0, 20, 40, 60, 80, 100}},
		{0, 4.2e9, true, []float64{0, 1e9, 2e9, 3e9, 4e9, 5e9}},
		{-3, 7, true, []float64{-5, 0, 5, 10}},
		{0, 0.0123, true, []float64{0, 0.005, 0.01, 0.015}},
		{0, 64, true, []float64{0, 20, 40, 60, 80}},
		{1013, 1021, true, []float64{1012, 1014, 1016, 1018, 1020, 1022}},
		{10, 90, false, []float64{20, 40, 60, 80}},
		{0, 100, false, []float64{0, 20, 40, 60, 80, 100}},
	} {
		lo, hi, got, _ := niceTicks(tc.lo, tc.hi, tc.expand)
		if !closeAll(got, tc.want) {
			t.Errorf("niceTicks(%v, %v, %v) = %v, want %v", tc.lo, tc.hi, tc.expand, got, tc.want)
		}
		if tc.expand && (lo != got[0] || hi != got[len(got)-1]) {
			t.Errorf("niceTicks(%v, %v): axis %v..%v does not end on ticks", tc.lo, tc.hi, lo, hi)
		}
		if !tc.expand && (lo != tc.lo || hi != tc.hi) {
			t.Errorf("niceTicks(%v, %v, fixed): axis moved to %v..%v", tc.lo, tc.hi, lo, hi)
		}
	}
}

// TestNiceTicksProperties draws ranges of every magnitude: automatic axes
// from zero always get 4 to 6 ticks of 1, 2 or 5 × 10^n that cover the
// data, other ranges 3 to 7.
func TestNiceTicksProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 100000 {
		scale := math.Pow(10, float64(r.IntN(40)-20))
		lo := (r.Float64()*2 - 1) * scale * 10
		if r.IntN(2) == 0 {
			lo = 0 // the usual case: the origin included
		}
		hi := lo + r.Float64()*scale*10 + scale*1e-3
		alo, ahi, ticks, step := niceTicks(lo, hi, true)
		if n := len(ticks); lo == 0 && (n < 4 || n > 6) || n < 3 || n > 7 {
			t.Fatalf("niceTicks(%g, %g): %d ticks %v", lo, hi, n, ticks)
		}
		if alo > lo || ahi < hi {
			t.Fatalf("niceTicks(%g, %g): axis %g..%g does not cover the range", lo, hi, alo, ahi)
		}
		m := step / math.Pow(10, math.Floor(math.Log10(step)+eps))
		if !slices.ContainsFunc([]float64{1, 2, 5}, func(want float64) bool { return math.Abs(m-want) < 1e-6 }) {
			t.Fatalf("niceTicks(%g, %g): step %g is not 1, 2 or 5 × 10^n", lo, hi, step)
		}
	}
}

func TestFormatTicks(t *testing.T) {
	for _, tc := range []struct {
		ticks []float64
		step  float64
		want  string
	}{
		{[]float64{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}, 0.2, "0 0.2 0.4 0.6 0.8 1.0"},
		{[]float64{0, 200, 400, 600, 800, 1000}, 200, "0 200 400 600 800 1.0k"},
		{[]float64{0, 500e3, 1e6, 1.5e6, 2e6}, 500e3, "0 500k 1.0M 1.5M 2.0M"},
		{[]float64{0, 1e9, 2e9, 3e9}, 1e9, "0 1G 2G 3G"},
		{[]float64{-10, -5, 0, 5}, 5, "-10 -5 0 5"},
		{[]float64{-5.551115123125783e-17, 0.1}, 0.1, "0 0.1"},
		{[]float64{0, 0.005, 0.01, 0.015}, 0.005, "0 0.005 0.010 0.015"},
		{[]float64{0, 2e-12}, 2e-12, "0 2e-12"},
		{[]float64{0, 5e23}, 5e23, "0 500000E"},
		{[]float64{1e15, 2e15}, 1e15, "1P 2P"},
	} {
		if got := strings.Join(formatTicks(tc.ticks, tc.step), " "); got != tc.want {
			t.Errorf("formatTicks(%v) = %q, want %q", tc.ticks, got, tc.want)
		}
	}
}

func TestAxisRange(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name             string
		min, max, lo, hi float64
		want             [2]float64
	}{
		{"auto", nan, nan, 0, 7.3, [2]float64{0, 8}},
		{"zero Chart is auto", 0, 0, 0, 7.3, [2]float64{0, 8}},
		{"fixed", 0, 100, 0, 7.3, [2]float64{0, 100}},
		{"fixed min", 0.5, nan, 0, 7.3, [2]float64{0.5, 8}},
		{"fixed max", nan, 5, -3, 7, [2]float64{-4, 5}},
		{"all zero", nan, nan, 0, 0, [2]float64{0, 1}},
		{"min equals max", 5, 5, 0, 1, [2]float64{4.4, 5.6}},
		{"max below the data", nan, -1, 0, 5, [2]float64{-1.2, -1}},
		{"tiny", nan, nan, 0, 1e-300, [2]float64{0, 1}},
		{"huge", nan, nan, -math.MaxFloat64, math.MaxFloat64, [2]float64{-math.MaxFloat64, math.MaxFloat64}},
	} {
		lo, hi, ticks, _ := axisRange(Chart{Min: tc.min, Max: tc.max}, tc.lo, tc.hi)
		if !closeAll([]float64{lo, hi}, tc.want[:]) || len(ticks) == 0 {
			t.Errorf("%s: axis %v..%v (ticks %v), want %v", tc.name, lo, hi, ticks, tc.want)
		}
	}
}

func closeAll(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9*math.Max(math.Abs(want[i]), 1e-300) {
			return false
		}
	}
	return true
}
