package svgchart

import (
	"io"
	"math"
	"strconv"
	"time"
)

// Point is one sample of a series; V is NaN when the value is unknown (an
// RRD row without data), and the line breaks there.
type Point struct {
	T time.Time
	V float64
}

// Series is one named line, or one layer of a stacked chart.
type Series struct {
	Name   string
	Points []Point
}

// Marker is a vertical dashed line on the time axis with a short label, such
// as an LPM move of the host.
type Marker struct {
	T     time.Time
	Label string
}

// Chart describes one chart. Zero Start or End is taken from the points;
// labels of the time axis are in the Location of Start. Width and Height are
// in pixels, 800×250 when zero. Min and Max fix the value axis; NaN, or both
// zero, scales it to the data.
type Chart struct {
	Title, Units string
	Series       []Series
	// Stacked draws the series as areas piled in order, the first at the
	// bottom; an unknown value counts as zero there.
	Stacked    bool
	Markers    []Marker
	Start, End time.Time
	Width      int
	Height     int
	Min, Max   float64
}

// Size of a chart: the default, and the bounds that keep any layout sane.
const (
	defaultWidth, defaultHeight = 800, 250
	minSize, maxSize            = 120, 10000
)

const (
	fontSize  = 11
	rowHeight = 15 // of the legend
	right     = 14 // margin right of the plot
	axisBand  = 24 // under the plot: time labels, space above the legend
)

// palette is Paul Tol's "muted" scheme, ordered dark, light, dark, ... so
// that neighbouring layers of a stacked chart contrast. It stays readable
// for the common forms of colour blindness and on white.
var palette = []string{"#332288", "#DDCC77", "#117733", "#CC6677", "#88CCEE",
	"#882255", "#44AA99", "#999933", "#AA4499"}

// dashes tell apart lines of the same colour once the palette has cycled.
var dashes = []string{"", "6 3", "2 2", "8 2 2 2"}

// Render writes c as one standalone <svg> element. The output depends only
// on c, every text in it is escaped, and the only error is w's.
func Render(w io.Writer, c Chart) error {
	_, err := w.Write(appendChart(make([]byte, 0, sizeHint(c)), c))
	return err
}

// sizeHint guesses the output size, so that a chart of 100 000 points is
// built without copying its megabyte over and over: about ten bytes a point
// drawn, twice that for an area, which has a top and a bottom edge.
func sizeHint(c Chart) int {
	perColumn := 2 * size(c.Width, defaultWidth)
	n := 0
	for _, s := range c.Series {
		n += min(len(s.Points), perColumn)
	}
	if c.Stacked {
		n *= 2
	}
	return 4096 + 10*n
}

// layout places the plot area in the image and maps data onto it.
type layout struct {
	w, h               int
	left, top, pw, ph  float64
	t0, t1             float64 // time axis, Unix seconds
	lo, hi             float64 // value axis
	hasTime, hasValues bool
}

func (l *layout) x(t float64) int32 {
	return toTenths(l.left + (t-l.t0)/(l.t1-l.t0)*l.pw)
}

// y maps v onto the plot; values beyond a fixed Min or Max are held at the
// edge, as rrdtool does with --rigid.
func (l *layout) y(v float64) int32 {
	f := (v - l.lo) / (l.hi - l.lo)
	if math.IsInf(l.hi-l.lo, 0) {
		f = (v/2 - l.lo/2) / (l.hi/2 - l.lo/2)
	}
	f = math.Max(0, math.Min(1, f))
	if f != f {
		f = 0
	}
	return toTenths(l.top + (1-f)*l.ph)
}

func (l *layout) bottom() float64 { return l.top + l.ph }

// appendChart builds the whole image into b.
func appendChart(b []byte, c Chart) []byte {
	l := layout{w: size(c.Width, defaultWidth), h: size(c.Height, defaultHeight)}
	start, end, ok := timeRange(c)
	l.hasTime = ok
	l.t0, l.t1 = secs(start), secs(end)
	d := prepare(c, &l)
	var yTicks []float64
	var yLabels []string
	if l.hasValues {
		var step float64
		l.lo, l.hi, yTicks, step = axisRange(c, d.lo, d.hi)
		yLabels = formatTicks(yTicks, step)
	}
	l.left = 28
	for _, s := range yLabels {
		l.left = math.Max(l.left, textWidth(s, fontSize)+12)
	}
	if c.Units != "" {
		l.left += fontSize + 4
	}
	l.top = 10
	if c.Title != "" {
		l.top = 28
	}
	l.pw = float64(l.w) - l.left - right
	leg := placeLegend(c.Series, l.left, float64(l.w)-right, maxLegendRows(l))
	l.ph = float64(l.h) - l.top - axisBand - float64(leg.rows*rowHeight)

	var xTicks []timeTick
	if l.hasTime {
		xTicks = timeTicks(start, end, l.pw)
	}
	b = appendOpen(b, c, l)
	b = appendGrid(b, &l, yTicks, xTicks)
	b = appendAxisLabels(b, &l, c.Units, yTicks, yLabels, xTicks)
	if l.hasValues {
		b = d.appendSeries(b, &l, c.Stacked)
	} else {
		b = append(b, `<text x="`...)
		b = appendTenths(b, toTenths(l.left+l.pw/2))
		b = append(b, `" y="`...)
		b = appendTenths(b, toTenths(l.top+l.ph/2))
		b = append(b, `" text-anchor="middle" fill="#777">no data</text>`...)
	}
	if l.hasTime {
		b = appendMarkers(b, &l, c.Markers)
	}
	b = leg.appendTo(b, &l, c.Stacked)
	return append(b, "</svg>\n"...)
}

// size resolves Width or Height: zero or less is the default, and the rest
// is bounded so that a hostile size cannot make the layout explode.
func size(v, def int) int {
	if v <= 0 {
		return def
	}
	return min(max(v, minSize), maxSize)
}

// maxLegendRows leaves at least half the height, or 40 pixels, to the plot.
func maxLegendRows(l layout) int {
	free := float64(l.h) - l.top - axisBand - math.Max(40, float64(l.h)/2)
	return max(1, int(free/rowHeight))
}

func appendOpen(b []byte, c Chart, l layout) []byte {
	w, h := strconv.Itoa(l.w), strconv.Itoa(l.h)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" width="`+w+`" height="`+h+
		`" viewBox="0 0 `+w+` `+h+`" font-family="sans-serif" font-size="11" role="img"`...)
	if c.Title != "" {
		b = append(b, ` aria-label="`...)
		b = appendEscaped(b, c.Title)
		b = append(b, '"')
	}
	b = append(b, ">\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"...)
	if c.Title != "" {
		b = append(b, `<text x="`...)
		b = appendTenths(b, toTenths(l.left))
		b = append(b, `" y="18" font-size="13" font-weight="bold">`...)
		title, _ := truncate(c.Title, max(1, int((float64(l.w)-l.left)/(13*0.6))))
		b = appendEscaped(b, title)
		b = append(b, "</text>\n"...)
	}
	return b
}
