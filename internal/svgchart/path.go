package svgchart

import (
	"strconv"
)

// pt is a point of the drawing in tenths of a pixel: integers make the output
// deterministic and let consecutive points merge exactly.
type pt struct {
	x, y int32
}

// maxCoord bounds coordinates far outside any drawing so that the integer
// arithmetic below cannot overflow.
const maxCoord = 1 << 24

func toTenths(v float64) int32 {
	switch {
	case v != v: // NaN: callers pass only finite values; this keeps output valid anyway
		return 0
	case v > maxCoord/10:
		return maxCoord
	case v < -maxCoord/10:
		return -maxCoord
	}
	if v < 0 {
		return -int32(-v*10 + 0.5)
	}
	return int32(v*10 + 0.5)
}

// appendTenths writes v/10 with at most one decimal: 123 is "12.3", 120 "12".
func appendTenths(b []byte, v int32) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, int64(v/10), 10)
	if d := v % 10; d != 0 {
		b = append(b, '.', byte('0'+d))
	}
	return b
}

// mergePoints drops points that add nothing to a polyline, in place: repeats,
// the middle of three on one horizontal, and the middle of three on one
// vertical when it lies between the other two.
func mergePoints(pts []pt) []pt {
	out := pts[:0]
	for _, p := range pts {
		n := len(out)
		if n > 0 && out[n-1] == p {
			continue
		}
		if n > 1 {
			a, m := out[n-2], out[n-1]
			if a.y == m.y && m.y == p.y || a.x == m.x && m.x == p.x && between(m.y, a.y, p.y) {
				out[n-1] = p
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

func between(v, a, b int32) bool {
	return a <= v && v <= b || b <= v && v <= a
}

// appendPolyline writes pts as one subpath: an absolute moveto, then relative
// linetos, which are shorter. A lone point (a sample between two gaps)
// becomes a one-pixel stroke centred on it, so it is not lost.
func appendPolyline(b []byte, pts []pt) []byte {
	if len(pts) == 1 {
		b = appendMove(b, pt{pts[0].x - 5, pts[0].y})
		return append(b, "h1"...)
	}
	b = appendMove(b, pts[0])
	return appendLines(b, pts[0], pts[1:])
}

// appendRing writes a closed area: along top from left to right, back along
// bottom from right to left.
func appendRing(b []byte, top, bottom []pt) []byte {
	b = appendMove(b, top[0])
	b = appendLines(b, top[0], top[1:])
	b = appendLines(b, top[len(top)-1], bottom)
	return append(b, 'z')
}

func appendMove(b []byte, p pt) []byte {
	b = append(b, 'M')
	b = appendTenths(b, p.x)
	b = append(b, ' ')
	return appendTenths(b, p.y)
}

func appendLines(b []byte, from pt, pts []pt) []byte {
	for i, p := range pts {
		if i == 0 {
			b = append(b, 'l')
		} else {
			b = append(b, ' ')
		}
		b = appendTenths(b, p.x-from.x)
		b = append(b, ' ')
		b = appendTenths(b, p.y-from.y)
		from = p
	}
	return b
}
