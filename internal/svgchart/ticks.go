package svgchart

import (
	"math"
	"strconv"
)

// eps absorbs the rounding of lo/step: 0.3/0.1 is 2.9999999999999996, and a
// tick there must still count as 3.
const eps = 1e-9

// niceTicks returns value-axis ticks that are multiples of 1, 2 or 5 × 10^n,
// four to six of them whenever the range allows. With expand the axis grows
// outwards to the first and last tick (automatic scaling, as rrdtool does);
// without it the axis keeps lo and hi (a fixed Min or Max) and only the ticks
// inside are drawn. lo < hi, both finite.
//
// From zero (every automatic axis of a positive metric) there are always 4 to
// 6 ticks; a range across zero or away from it may need 3 or 7.
func niceTicks(lo, hi float64, expand bool) (axisLo, axisHi float64, ticks []float64, step float64) {
	r := hi - lo
	if math.IsInf(r, 0) {
		r = math.MaxFloat64
	}
	e := math.Floor(math.Log10(r / 5))
	if math.IsInf(e, 0) || math.IsNaN(e) {
		return lo, hi, []float64{lo, hi}, r
	}
	bestScore := math.Inf(1)
	var bestA, bestB float64
	for p := e - 1; p <= e+1; p++ {
		for _, m := range [...]float64{1, 2, 5} {
			s := m * math.Pow(10, p)
			a, b := math.Ceil(lo/s-eps), math.Floor(hi/s+eps)
			if expand {
				a, b = math.Floor(lo/s+eps), math.Ceil(hi/s-eps)
			}
			n := b - a + 1
			if s == 0 || math.IsInf(a*s, 0) || math.IsInf(b*s, 0) || !(n >= 2 && n <= 11) {
				continue
			}
			// Prefer 5 ticks, accept 4 to 6, and between equals the tighter
			// axis. A range like -4.1..4.1 has no 1-2-5 step with 4 to 6
			// ticks; 7 then reads better than 3.
			score := math.Abs(n-5)*1e3 + (b-a)*s/r
			switch {
			case n < 4:
				score += 1e6 * (5 - n)
			case n > 6:
				score += 1e6 * (n - 6)
			}
			if score < bestScore {
				bestScore, step, bestA, bestB = score, s, a, b
			}
		}
	}
	if step == 0 {
		return lo, hi, []float64{lo, hi}, r
	}
	for k := bestA; k <= bestB; k++ {
		ticks = append(ticks, k*step)
	}
	if !expand {
		return lo, hi, ticks, step
	}
	return bestA * step, bestB * step, ticks, step
}

// siPrefixes are the suffixes of the value labels: 1500 bytes/s reads
// "1.5k", as in ganglia-web's graphs (rrdtool --units=si).
var siPrefixes = []struct {
	scale  float64
	suffix string
}{{1e18, "E"}, {1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}}

// formatTicks labels the ticks of one axis. Each label takes the prefix of
// its own magnitude (800, 1.0k, 1.2k), and labels with the same prefix show
// the same number of decimals, just enough to tell neighbours apart.
func formatTicks(ticks []float64, step float64) []string {
	labels := make([]string, len(ticks))
	for i, v := range ticks {
		if math.Abs(v) < step/2 {
			labels[i] = "0" // no "-0" and no 3e-17 at the origin
			continue
		}
		scale, suffix := 1.0, ""
		for _, p := range siPrefixes {
			if math.Abs(v) >= p.scale*(1-eps) {
				scale, suffix = p.scale, p.suffix
				break
			}
		}
		v /= scale
		switch decimals := -int(math.Floor(math.Log10(step/scale) + eps)); {
		case decimals < -5 || decimals > 9: // beyond exa, or tiny fractions
			labels[i] = strconv.FormatFloat(v, 'g', 3, 64) + suffix
		case decimals <= 0:
			labels[i] = strconv.FormatFloat(v, 'f', 0, 64) + suffix
		default:
			labels[i] = strconv.FormatFloat(v, 'f', decimals, 64) + suffix
		}
	}
	return labels
}
