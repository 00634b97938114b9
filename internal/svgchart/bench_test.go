package svgchart

import (
	"io"
	"math"
	"testing"
	"time"
)

// benchChart is 100 series of 1000 points each, a week of 10-minute rows
// for a managed system with 100 LPARs.
func benchChart(stacked bool) Chart {
	c := Chart{Title: "bench", Units: "cores", Stacked: stacked, Min: math.NaN(), Max: math.NaN()}
	for i := range 100 {
		s := Series{Name: "lpar" + string(rune('a'+i%26)) + string(rune('a'+i/26))}
		for j := range 1000 {
			v := 0.5 + 0.4*math.Sin(float64(j)/50+float64(i))
			if (i+j)%97 == 0 {
				v = math.NaN()
			}
			s.Points = append(s.Points, Point{day0.Add(time.Duration(j) * 10 * time.Minute), v})
		}
		c.Series = append(c.Series, s)
	}
	return c
}

func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name    string
		stacked bool
	}{{"lines", false}, {"stacked", true}} {
		b.Run(bc.name, func(b *testing.B) {
			c := benchChart(bc.stacked)
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(io.Discard, c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(appendChart(nil, c))), "svg-bytes")
		})
	}
}
