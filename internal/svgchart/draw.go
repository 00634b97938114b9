package svgchart

import (
	"math"
)

// data is what the chart draws, read from the series once.
type data struct {
	names  []string
	lines  [][]sample // each series, for a line chart
	st     stack      // the series on one grid, for a stacked chart
	lo, hi float64    // range of the known values, zero included
}

// prepare reads the series inside the time range and sets l.hasValues when
// at least one value is known there.
func prepare(c Chart, l *layout) data {
	d := data{names: make([]string, len(c.Series))}
	for i, s := range c.Series {
		d.names[i] = s.Name
	}
	if !l.hasTime {
		return d
	}
	values := make([][]float64, len(c.Series))
	for i, s := range c.Series {
		d.lines = append(d.lines, samples(s, l.t0, l.t1))
		values[i] = make([]float64, len(d.lines[i]))
		for j, p := range d.lines[i] {
			values[i][j] = p.v
		}
	}
	known := func(i, j int) bool { return !math.IsNaN(values[i][j]) }
	if c.Stacked {
		d.st = stackSeries(d.lines)
		values = d.st.tops
		known = func(_, j int) bool { return d.st.known[j] }
	}
	d.lo, d.hi, l.hasValues = valueRange(values, known)
	return d
}

// appendSeries draws the lines, or the areas of a stacked chart.
func (d *data) appendSeries(b []byte, l *layout, stacked bool) []byte {
	if stacked {
		return d.appendAreas(b, l)
	}
	return d.appendLines(b, l)
}

// appendLines draws one path per series, a subpath per run of known values.
func (d *data) appendLines(b []byte, l *layout) []byte {
	b = append(b, "<g fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"...)
	var xs, ys []int32
	var known []bool
	var pts []pt
	for i, s := range d.lines {
		xs, ys, known = xs[:0], ys[:0], known[:0]
		for _, p := range s {
			ok := !math.IsNaN(p.v)
			y := int32(0)
			if ok {
				y = l.y(p.v)
			}
			xs, ys, known = append(xs, l.x(p.t)), append(ys, y), append(known, ok)
		}
		segs := selectPoints(xs, ys, known, int(2*l.pw))
		if len(segs) == 0 {
			continue
		}
		b = append(b, `<path stroke="`...)
		b = append(b, palette[i%len(palette)]...)
		if dash := dashes[i/len(palette)%len(dashes)]; dash != "" {
			b = append(b, `" stroke-dasharray="`...)
			b = append(b, dash...)
		}
		b = append(b, `" d="`...)
		for _, seg := range segs {
			pts = pts[:0]
			for _, k := range seg {
				pts = append(pts, pt{xs[k], ys[k]})
			}
			b = appendPolyline(b, mergePoints(pts))
		}
		b = appendTitleEnd(b, d.names[i])
	}
	return append(b, "</g>\n"...)
}

// appendAreas draws one path per layer of the stack, a closed area per run
// of columns with a known value. The columns drawn are chosen on the total,
// so the outline of the stack keeps its peaks when the columns are reduced.
func (d *data) appendAreas(b []byte, l *layout) []byte {
	st := d.st
	xs, ys := make([]int32, len(st.grid)), make([]int32, len(st.grid))
	base := make([]int32, len(st.grid))
	for j, t := range st.grid {
		xs[j], base[j] = l.x(t), l.y(0)
		if n := len(st.tops); n > 0 {
			ys[j] = l.y(st.tops[n-1][j])
		}
	}
	segs := selectPoints(xs, ys, st.known, int(2*l.pw))
	var scratch [2][]pt
	b = append(b, "<g stroke=\"none\" fill-opacity=\"0.9\">\n"...)
	for i, top := range st.tops {
		for j, v := range top {
			ys[j] = l.y(v)
		}
		start := len(b)
		b = append(b, `<path fill="`...)
		b = append(b, palette[i%len(palette)]...)
		b = append(b, `" d="`...)
		drawn := false
		for _, seg := range segs {
			var ok bool
			if b, ok = appendArea(b, seg, xs, ys, base, &scratch); ok {
				drawn = true
			}
		}
		if drawn {
			b = appendTitleEnd(b, d.names[i])
		} else {
			b = b[:start] // the layer is zero or unknown throughout
		}
		base, ys = ys, base
	}
	return append(b, "</g>\n"...)
}

// appendArea writes the area between top and bottom over the columns of seg;
// ok is false, and nothing is written, where it has no thickness. scratch
// holds buffers reused from one call to the next.
func appendArea(b []byte, seg []int, xs, top, bottom []int32, scratch *[2][]pt) (_ []byte, ok bool) {
	for _, k := range seg {
		ok = ok || top[k] != bottom[k]
	}
	if !ok {
		return b, false
	}
	upper, lower := scratch[0][:0], scratch[1][:0]
	if len(seg) == 1 { // a lone column is given a pixel of width
		x, k := xs[seg[0]], seg[0]
		upper = append(upper, pt{x - 5, top[k]}, pt{x + 5, top[k]})
		lower = append(lower, pt{x + 5, bottom[k]}, pt{x - 5, bottom[k]})
	} else {
		for i := range seg {
			k, r := seg[i], seg[len(seg)-1-i]
			upper, lower = append(upper, pt{xs[k], top[k]}), append(lower, pt{xs[r], bottom[r]})
		}
	}
	scratch[0], scratch[1] = upper, lower
	return appendRing(b, mergePoints(upper), mergePoints(lower)), true
}

// appendTitleEnd closes a path's d attribute and gives the path the series
// name as a tooltip: on a stacked chart that is how an area is identified.
func appendTitleEnd(b []byte, name string) []byte {
	b = append(b, `"><title>`...)
	b = appendEscaped(b, name)
	return append(b, "</title></path>\n"...)
}

// appendGrid draws the light grid at every tick and the two axes.
func appendGrid(b []byte, l *layout, yTicks []float64, xTicks []timeTick) []byte {
	left, top := toTenths(l.left), toTenths(l.top)
	pw, ph := toTenths(l.left+l.pw)-left, toTenths(l.bottom())-top
	if len(yTicks)+len(xTicks) > 0 {
		b = append(b, `<path stroke="#e4e4e4" fill="none" d="`...)
		for _, v := range yTicks {
			b = appendMove(b, pt{left, l.y(v)})
			b = append(b, 'h')
			b = appendTenths(b, pw)
		}
		for _, t := range xTicks {
			b = appendMove(b, pt{l.x(secs(t.t)), top})
			b = append(b, 'v')
			b = appendTenths(b, ph)
		}
		b = append(b, "\"/>\n"...)
	}
	b = append(b, `<path stroke="#888" fill="none" d="`...)
	b = appendMove(b, pt{left, top})
	b = append(b, 'v')
	b = appendTenths(b, ph)
	b = append(b, 'h')
	b = appendTenths(b, pw)
	return append(b, "\"/>\n"...)
}

// appendAxisLabels writes the value labels left of the plot, the units
// turned along the value axis, and the time labels under the plot; a time
// label that would stick out of the image is left out.
func appendAxisLabels(b []byte, l *layout, units string, yTicks []float64, yLabels []string, xTicks []timeTick) []byte {
	if len(yTicks) > 0 {
		b = append(b, "<g text-anchor=\"end\" fill=\"#333\">\n"...)
		for i, v := range yTicks {
			b = appendText(b, toTenths(l.left-5), l.y(v)+40, yLabels[i])
		}
		b = append(b, "</g>\n"...)
	}
	if units != "" {
		u, _ := truncate(units, max(1, int(l.ph/(fontSize*0.6))))
		b = append(b, `<text transform="rotate(-90)" text-anchor="middle" fill="#333"`...)
		b = appendXY(b, -toTenths(l.top+l.ph/2), 120)
		b = append(b, '>')
		b = appendEscaped(b, u)
		b = append(b, "</text>\n"...)
	}
	if len(xTicks) > 0 {
		b = append(b, "<g text-anchor=\"middle\" fill=\"#333\">\n"...)
		for _, t := range xTicks {
			x := l.x(secs(t.t))
			half := toTenths(textWidth(t.label, fontSize) / 2)
			if x-half < 0 || x+half > int32(l.w)*10 {
				continue
			}
			b = appendText(b, x, toTenths(l.bottom()+14), t.label)
		}
		b = append(b, "</g>\n"...)
	}
	return b
}

func appendXY(b []byte, x, y int32) []byte {
	b = append(b, ` x="`...)
	b = appendTenths(b, x)
	b = append(b, `" y="`...)
	b = appendTenths(b, y)
	return append(b, '"')
}

func appendText(b []byte, x, y int32, s string) []byte {
	b = append(b, "<text"...)
	b = appendXY(b, x, y)
	b = append(b, '>')
	b = appendEscaped(b, s)
	return append(b, "</text>\n"...)
}
