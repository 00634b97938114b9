package svgchart

import (
	"strconv"
)

const legendRunes = 40 // longer names are cut, the whole name in a tooltip

// legend is the placed legend: one entry per series in order, wrapped into
// rows; when the rows run out the rest is summed up as "+N more".
type legend struct {
	items []legendItem
	rows  int
	more  int
	moreX float64
}

type legendItem struct {
	x     float64
	row   int
	index int
	label string
	name  string // whole, for the tooltip of a cut label
}

// placeLegend lays the entries out between x0 and x1 in at most maxRows rows.
func placeLegend(series []Series, x0, x1 float64, maxRows int) legend {
	var g legend
	x, row := x0, 0
	for i, s := range series {
		label, cut := truncate(s.Name, legendRunes)
		name := ""
		if cut {
			name = s.Name
		}
		w := entryWidth(label)
		if x > x0 && x+w > x1 {
			x, row = x0, row+1
		}
		if row >= maxRows {
			g.more = len(series) - i
			break
		}
		g.items = append(g.items, legendItem{x, row, i, label, name})
		x += w
	}
	if len(g.items) > 0 {
		g.rows = g.items[len(g.items)-1].row + 1
	}
	if g.more == 0 {
		return g
	}
	// Make room for "+N more" at the end of the last row.
	for {
		last := &g.items[len(g.items)-1]
		end := last.x + entryWidth(last.label)
		if end+textWidth(moreText(g.more), fontSize) <= x1 || len(g.items) == 1 {
			g.moreX = end
			return g
		}
		g.items = g.items[:len(g.items)-1]
		g.more++
	}
}

func entryWidth(label string) float64 {
	return 18 + textWidth(label, fontSize) + 14
}

func moreText(n int) string {
	return "+" + strconv.Itoa(n) + " more"
}

// appendTo draws the legend under the time labels: a line sample (or a
// colour square for stacked areas) and the name.
func (g legend) appendTo(b []byte, l *layout, stacked bool) []byte {
	if len(g.items) == 0 {
		return b
	}
	b = append(b, "<g fill=\"#333\">\n"...)
	for _, it := range g.items {
		rowTop := l.bottom() + axisBand - 4 + float64(it.row*rowHeight)
		colour := palette[it.index%len(palette)]
		if stacked {
			b = append(b, `<rect`...)
			b = appendXY(b, toTenths(it.x), toTenths(rowTop+1))
			b = append(b, ` width="10" height="10" fill="`+colour+`"/>`...)
		} else {
			b = append(b, `<path stroke="`+colour+`" stroke-width="2"`...)
			if dash := dashes[it.index/len(palette)%len(dashes)]; dash != "" {
				b = append(b, ` stroke-dasharray="`+dash+`"`...)
			}
			b = append(b, ` d="`...)
			b = appendMove(b, pt{toTenths(it.x), toTenths(rowTop + 6)})
			b = append(b, "h14\"/>"...)
		}
		b = append(b, "<text"...)
		b = appendXY(b, toTenths(it.x+18), toTenths(rowTop+10))
		b = append(b, '>')
		b = appendEscaped(b, it.label)
		if it.name != "" {
			b = appendTooltip(b, it.name)
		}
		b = append(b, "</text>\n"...)
	}
	if g.more > 0 {
		last := g.items[len(g.items)-1]
		rowTop := l.bottom() + axisBand - 4 + float64(last.row*rowHeight)
		b = appendText(b, toTenths(g.moreX), toTenths(rowTop+10), moreText(g.more))
	}
	return append(b, "</g>\n"...)
}
