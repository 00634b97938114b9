package svgchart

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"
)

// fuzzInput reads a chart out of arbitrary bytes; running out of bytes reads
// zeros, so every input is some chart.
type fuzzInput struct{ b []byte }

func (in *fuzzInput) byte() byte {
	if len(in.b) == 0 {
		return 0
	}
	c := in.b[0]
	in.b = in.b[1:]
	return c
}

func (in *fuzzInput) int16() int16 {
	return int16(binary.BigEndian.Uint16([]byte{in.byte(), in.byte()}))
}

func (in *fuzzInput) string() string {
	n := int(in.byte() % 48)
	if n > len(in.b) {
		n = len(in.b)
	}
	s := string(in.b[:n])
	in.b = in.b[n:]
	return s
}

var fuzzUnits = []time.Duration{time.Second, time.Minute, time.Hour, 24 * time.Hour, 3000 * time.Hour}

func (in *fuzzInput) time(base time.Time, zero bool) time.Time {
	off := in.int16()
	unit := fuzzUnits[int(in.byte())%len(fuzzUnits)]
	if zero && off == 0 {
		return time.Time{}
	}
	return base.Add(time.Duration(off) * unit)
}

var fuzzSpecial = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, math.NaN()}

func (in *fuzzInput) value() float64 {
	k := in.byte()
	if k < 32 {
		return fuzzSpecial[int(k)%len(fuzzSpecial)]
	}
	return float64(in.int16()) * math.Pow(10, float64(int(k%64)-32))
}

func (in *fuzzInput) chart() Chart {
	flags := in.byte()
	zone := time.FixedZone("Z", (int(in.byte())-128)*15*60)
	base := time.Date(2025, 3, 10, 0, 0, 0, 0, zone)
	c := Chart{Stacked: flags&1 != 0, Width: int(in.int16()), Height: int(in.int16()),
		Title: in.string(), Units: in.string(), Min: math.NaN(), Max: math.NaN()}
	c.Start, c.End = in.time(base, true), in.time(base, true)
	if flags&2 != 0 {
		c.Min, c.Max = in.value(), in.value()
	}
	for range in.byte() % 6 {
		s := Series{Name: in.string()}
		for range in.byte() % 64 {
			s.Points = append(s.Points, Point{in.time(base, false), in.value()})
		}
		c.Series = append(c.Series, s)
	}
	for range in.byte() % 5 {
		c.Markers = append(c.Markers, Marker{in.time(base, false), in.string()})
	}
	return c
}

// FuzzRender: whatever the series, names, times, sizes and ranges, Render
// does not panic, writes one well-formed <svg> element, and never writes a
// NaN or an infinity into a coordinate.
func FuzzRender(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x80\x03\x20\x00\xfa\x05title\x05cores\x00\x00\x00\x00\x00\x00\x00\x00\x03\x03lp1\x05" +
		"\x00\x01\x01\x40\x00\x10\x00\x02\x01\x00\x00\x03\x01\x40\x00\x20\x00\x04\x01\x50\x7f\xff\x01\x07lp<&2\"\x02" +
		"\x00\x01\x01\x40\x00\x10\x00\x02\x01\x00\x00\x01\x00\x05\x01\x04move"))
	f.Add([]byte("\x02\x00\xff\xff\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x01\x03\x02\x01\x02\x01ab\x01\x00\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := fuzzInput{data}
		c := in.chart()
		var buf bytes.Buffer
		if err := Render(&buf, c); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		if err := wellFormed(out); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
		for _, e := range parseSVG(t, out) {
			for _, a := range []string{"x", "y", "width", "height", "d", "transform", "viewBox"} {
				if v := e.attr[a]; strings.Contains(v, "NaN") || strings.Contains(v, "Inf") {
					t.Fatalf("%s %s=%q", e.name, a, v)
				}
			}
			if e.name == "path" {
				parsePath(t, e.attr["d"])
			}
		}
	})
}
