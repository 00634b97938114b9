package svgchart

import (
	"slices"
)

const (
	markerFont   = 10
	markerRows   = 3  // label rows before a crowded label is left out
	markerRunes  = 24 // longer labels are cut, the whole text in a tooltip
	markerColour = "#555"
)

// appendMarkers draws each marker inside the time range as a dashed vertical
// line with its label at the top of the plot, right of the line (left of it
// near the right edge). Labels that would overlap go one row down; past
// markerRows rows the line stays and the label is left out.
func appendMarkers(b []byte, l *layout, markers []Marker) []byte {
	var in []Marker
	for _, m := range markers {
		if t := secs(m.T); t >= l.t0 && t <= l.t1 {
			in = append(in, m)
		}
	}
	if len(in) == 0 {
		return b
	}
	slices.SortStableFunc(in, func(a, b Marker) int { return a.T.Compare(b.T) })
	top, ph := toTenths(l.top), toTenths(l.bottom())-toTenths(l.top)
	b = append(b, `<path stroke="`+markerColour+`" stroke-dasharray="4 3" fill="none" d="`...)
	for _, m := range in {
		b = appendMove(b, pt{l.x(secs(m.T)), top})
		b = append(b, 'v')
		b = appendTenths(b, ph)
	}
	b = append(b, "\"/>\n"...)
	b = append(b, `<g font-size="10" fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">`+"\n"...)
	var rowEnd [markerRows]float64
	for i := range rowEnd {
		rowEnd[i] = -1e9
	}
	for _, m := range in {
		b = appendMarkerLabel(b, l, m, &rowEnd)
	}
	return append(b, "</g>\n"...)
}

func appendMarkerLabel(b []byte, l *layout, m Marker, rowEnd *[markerRows]float64) []byte {
	label, cut := truncate(m.Label, markerRunes)
	if label == "" {
		return b
	}
	x := float64(l.x(secs(m.T))) / 10
	w := textWidth(label, markerFont)
	from, anchorEnd := x+3, false
	if from+w > float64(l.w)-2 {
		from, anchorEnd = x-3-w, true
	}
	row := -1
	for r := range rowEnd {
		if from > rowEnd[r]+4 {
			row = r
			break
		}
	}
	if row < 0 {
		return b
	}
	rowEnd[row] = from + w
	b = append(b, "<text"...)
	tx := from
	if anchorEnd {
		tx = x - 3
		b = append(b, ` text-anchor="end"`...)
	}
	b = appendXY(b, toTenths(tx), toTenths(l.top+10+float64(row)*12))
	b = append(b, '>')
	b = appendEscaped(b, label)
	if cut {
		b = appendTooltip(b, m.Label)
	}
	return append(b, "</text>\n"...)
}

func appendTooltip(b []byte, s string) []byte {
	b = append(b, "<title>"...)
	b = appendEscaped(b, s)
	return append(b, "</title>"...)
}
