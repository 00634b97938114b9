package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/svgchart"
)

func TestGraphsServeSVG(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, c := range []struct{ target, want string }{
		{"/graph/lpar/db01/cpu_used.svg?range=day", "P550-DC1-R01 → P770-DC1-R05"},
		{"/graph/lpar/db01/load_one.svg", "One minute load average"},
		{"/graph/system/" + sysB + "/physc.svg?range=day", "app02: P770-DC1-R05 → P880-DC2-R01"},
		{"/graph/system/" + sysA + "/physc.svg?range=year", "web01"},
	} {
		rec := get(t, h, c.target)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: %d %s", c.target, rec.Code, rec.Body)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "image/svg+xml" {
			t.Errorf("GET %s: Content-Type %q", c.target, ct)
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") {
			t.Errorf("GET %s: CSP %q", c.target, csp)
		}
		body := rec.Body.String()
		if !strings.HasPrefix(body, "<svg") || !strings.Contains(body, c.want) {
			t.Errorf("GET %s: no %q in %.300s", c.target, c.want, body)
		}
	}
	if rec := get(t, h, "/graph/lpar/db01/cpu_used.svg?range=century"); rec.Code != 400 {
		t.Errorf("bad range: %d", rec.Code)
	}
}

// TestStackChart checks the chart the stacked graph is drawn from: one
// layer per LPAR that was on the system, zero while it was elsewhere, and
// the moves as markers.
func TestStackChart(t *testing.T) {
	src, hh, _ := newFixture(t)
	h := hh.(*handler)
	rng, _ := parseRange("day")
	st, err := h.buildStack(src.snap, src.moves, sysB, rng, now)
	if err != nil {
		t.Fatal(err)
	}
	c := st.chart()
	if !c.Stacked || c.Min != 0 || !c.Start.Equal(now.Add(-24*time.Hour)) || !c.End.Equal(now) {
		t.Errorf("chart frame: stacked %v min %v %v–%v", c.Stacked, c.Min, c.Start, c.End)
	}
	if len(c.Markers) != 2 || !c.Markers[0].T.Equal(now.Add(-2*time.Hour)) {
		t.Errorf("markers %v", c.Markers)
	}
	var names []string
	for _, s := range c.Series {
		names = append(names, s.Name)
		if len(s.Points) == 0 || len(s.Points) > maxPoints {
			t.Errorf("%s: %d points", s.Name, len(s.Points))
		}
		run := s.Points[1].T.Sub(s.Points[0].T) // consolidated points average runs of rows
		straddles := func(p svgchart.Point, move time.Time) bool { return !p.T.Before(move) && p.T.Add(-run).Before(move) }
		for _, p := range s.Points {
			if straddles(p, now.Add(-2*time.Hour)) || straddles(p, now.Add(-30*time.Minute)) {
				continue // partly here, partly elsewhere
			}
			elsewhere := s.Name == "db01" && p.T.Before(now.Add(-2*time.Hour)) ||
				s.Name == "app02" && !p.T.Before(now.Add(-30*time.Minute))
			if elsewhere && p.V != 0 {
				t.Errorf("%s at %v: %v while elsewhere, want 0", s.Name, p.T, p.V)
			}
			inData := p.T.After(now.Add(-rrdHistory+time.Minute)) && p.T.Before(now.Add(-time.Minute))
			if !elsewhere && inData && p.V != fixturePhysc[s.Name] {
				t.Errorf("%s at %v: %v, want %v", s.Name, p.T, p.V, fixturePhysc[s.Name])
			}
		}
	}
	if got := strings.Join(names, ","); got != "app02,db01,db02" {
		t.Errorf("layers %s", got)
	}
	if _, err := h.buildStack(src.snap, src.moves, "nosuch", rng, now); err != errUnknownSystem {
		t.Errorf("unknown system: %v", err)
	}
	// A system no cluster lists any more is still known from the history.
	if _, err := h.buildStack(src.snap, src.moves[:1], sysA, rng, now); err != nil {
		t.Errorf("system from the history: %v", err)
	}
}

func TestSeriesPoints(t *testing.T) {
	nan := math.NaN()
	s := &series{Start: now, Step: 10 * time.Second, Values: []float64{1, 3, nan, nan, 5, nan, 7}}
	got := s.points(3) // runs of 3: (1,3,NaN) (NaN,5,NaN) (7)
	want := []struct {
		t time.Duration
		v float64
	}{{30 * time.Second, 2}, {60 * time.Second, 5}, {70 * time.Second, 7}}
	if len(got) != len(want) {
		t.Fatalf("%d points", len(got))
	}
	for i, w := range want {
		if !got[i].T.Equal(now.Add(w.t)) || got[i].V != w.v {
			t.Errorf("point %d: %v %v, want %v %v", i, got[i].T, got[i].V, w.t, w.v)
		}
	}
	all := s.points(0)
	if len(all) != 7 || !math.IsNaN(all[2].V) || !all[0].T.Equal(now.Add(10*time.Second)) {
		t.Errorf("unconsolidated: %v", all)
	}
	for _, c := range []struct {
		t    time.Duration
		want float64
	}{{0, nan}, {time.Second, 1}, {10 * time.Second, 1}, {11 * time.Second, 3}, {70 * time.Second, 7}, {71 * time.Second, nan}} {
		if got := s.at(now.Add(c.t)); !(got == c.want || math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("at(+%v) = %v, want %v", c.t, got, c.want)
		}
	}
}

// TestGraphsFlushFirst: a graph asks gmetad's writer to write what it
// buffers for the file it reads, and a failing flush still draws the file
// as it is.
func TestGraphsFlushFirst(t *testing.T) {
	src := fixtureSource()
	root := t.TempDir()
	makeRRDs(t, root)
	var flushed []string
	fail := false
	h := NewHandler(Options{Source: src, RRDRoot: root, Now: func() time.Time { return now },
		FlushRRD: func(_ context.Context, path string) error {
			flushed = append(flushed, path)
			if fail {
				return errors.New("locked")
			}
			return nil
		}})
	want := filepath.Join(root, "LPARS", "db01", "load_one.rrd")
	for _, fail = range []bool{false, true} {
		flushed = nil
		if rec := get(t, h, "/api/series/db01/load_one?range=hour"); rec.Code != http.StatusOK {
			t.Errorf("flush failing %v: %d %s", fail, rec.Code, rec.Body)
		}
		if len(flushed) != 1 || flushed[0] != want {
			t.Errorf("flush failing %v: flushed %q, want [%s]", fail, flushed, want)
		}
	}
}
