package web

import (
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/internal/svgchart"
)

// stack is the physc of every LPAR that was on a managed system during a
// range, each restricted to the time it was there: the managed system's
// processor pool use over time, whoever ran on it then.
type stack struct {
	System string
	Range  timeRange
	Start  time.Time // of the range
	End    time.Time
	Grid   *series // the common time grid (its Values are unused)
	Hosts  []stackHost
	Moves  []grid.Move // into or out of System during the range
}

// stackHost is one LPAR's part: Values on the stack's grid, NaN where
// unknown or while it was elsewhere (On says when it was here).
type stackHost struct {
	Host   string
	On     []interval
	Values []float64
}

var errUnknownSystem = errors.New("unknown managed system")

// buildStack reads cpu_used of every LPAR that was on system during r up
// to now, from <LPARDir>/<host>, so an LPAR's samples from before it moved
// in, or after it moved out, count for the system it was on then.
// requestStack builds the stack of system over the request's range, or
// answers the error (a bad range, an unknown system) and returns false.
func (h *handler) requestStack(w http.ResponseWriter, r *http.Request, system string) (*stack, timeRange, bool) {
	rng, ok := h.queryRange(w, r)
	if !ok {
		return nil, rng, false
	}
	now := h.now()
	st, err := h.buildStack(h.src.Snapshot(now), h.src.Moves(), system, rng, now)
	if errors.Is(err, errUnknownSystem) {
		h.fail(w, r, http.StatusNotFound, err.Error())
		return nil, rng, false
	}
	if err != nil {
		h.serverError(w, r, err)
		return nil, rng, false
	}
	return st, rng, true
}

func (h *handler) buildStack(snap *xmlout.Snapshot, moves []grid.Move, system string, r timeRange, now time.Time) (*stack, error) {
	known := findCluster(snap, system) != nil
	for i := 0; !known && i < len(moves); i++ {
		known = moves[i].From == system || moves[i].To == system
	}
	if !known {
		return nil, errUnknownSystem
	}
	st := &stack{System: system, Range: r, End: now.UTC(), Start: now.Add(-r.Span).UTC()}
	for _, m := range moves {
		if (m.From == system || m.To == system) && !m.Time.Before(st.Start) && !m.Time.After(st.End) {
			st.Moves = append(st.Moves, m)
		}
	}
	members := systemMembers(system, currentSystems(snap), moves, st.Start, st.End)
	for _, host := range sortedKeys(members) {
		path, err := h.rrdPath(host, mCPUUsed)
		if err != nil {
			if !errors.Is(err, errNoRRD) {
				h.log.Warn("web: stacked graph skips a host", "system", system, "host", host, "err", err)
			}
			continue
		}
		s, err := h.fetch(path, r, now)
		if err != nil {
			h.log.Warn("web: stacked graph skips a host", "system", system, "host", host, "err", err)
			continue
		}
		if st.Grid == nil {
			st.Grid = &series{Start: s.Start, Step: s.Step, Values: make([]float64, len(s.Values))}
		}
		sh := stackHost{Host: host, On: members[host], Values: make([]float64, len(st.Grid.Values))}
		for k := range sh.Values {
			t := st.Grid.T(k)
			sh.Values[k] = math.NaN()
			if inAny(sh.On, t) {
				sh.Values[k] = s.at(t)
			}
		}
		st.Hosts = append(st.Hosts, sh)
	}
	return st, nil
}

// chart draws the stack: while an LPAR was elsewhere it adds nothing (0),
// while it was here and its value is unknown it leaves a gap.
func (st *stack) chart() svgchart.Chart {
	c := svgchart.Chart{Title: "physc of the LPARs on " + st.System + " (" + st.Range.Name + ")", Units: "cores",
		Stacked: true, Start: st.Start, End: st.End, Width: 900, Height: 320, Min: 0, Max: math.NaN()}
	for _, sh := range st.Hosts {
		s := series{Start: st.Grid.Start, Step: st.Grid.Step, Values: make([]float64, len(sh.Values))}
		for k, v := range sh.Values {
			if !inAny(sh.On, s.T(k)) {
				v = 0
			}
			s.Values[k] = v
		}
		c.Series = append(c.Series, svgchart.Series{Name: sh.Host, Points: s.points(maxPoints)})
	}
	for _, m := range st.Moves {
		c.Markers = append(c.Markers, svgchart.Marker{T: m.Time, Label: m.Host + ": " + m.From + " → " + m.To})
	}
	return c
}
