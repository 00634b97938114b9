package web

import (
	"bytes"
	"errors"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/internal/svgchart"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// pathName returns the path wildcard key after rrdstore.ValidateName, or
// answers 400 and returns false: a name that could not be a path component
// of the RRD tree names nothing here.
func (h *handler) pathName(w http.ResponseWriter, r *http.Request, kind, key string) (string, bool) {
	v := r.PathValue(key)
	if err := rrdstore.ValidateName(kind, v, 0); err != nil {
		h.fail(w, r, http.StatusBadRequest, "invalid "+kind+" name")
		return "", false
	}
	return v, true
}

// queryRange returns the range parameter, or answers 400.
func (h *handler) queryRange(w http.ResponseWriter, r *http.Request) (timeRange, bool) {
	rng, err := parseRange(r.URL.Query().Get("range"))
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err.Error())
		return rng, false
	}
	return rng, true
}

// lparSeries reads one metric of a host over a range, or answers the
// error: 400 for bad names or ranges, 404 without an RRD file.
func (h *handler) lparSeries(w http.ResponseWriter, r *http.Request, metric string, now time.Time) (string, timeRange, *series, bool) {
	host, ok := h.pathName(w, r, rrdstore.NameKindHost, "host")
	if !ok {
		return "", timeRange{}, nil, false
	}
	if err := rrdstore.ValidateName(rrdstore.NameKindMetric, metric, 0); err != nil {
		h.fail(w, r, http.StatusBadRequest, "invalid metric name")
		return "", timeRange{}, nil, false
	}
	rng, ok := h.queryRange(w, r)
	if !ok {
		return "", rng, nil, false
	}
	path, err := h.rrdPath(host, metric)
	if errors.Is(err, errNoRRD) {
		h.fail(w, r, http.StatusNotFound, "no data for this LPAR and metric")
		return "", rng, nil, false
	}
	if err == nil {
		var s *series
		if s, err = h.fetch(path, rng, now); err == nil {
			return host, rng, s, true
		}
	}
	h.serverError(w, r, err)
	return "", rng, nil, false
}

// lparGraph answers /graph/lpar/<host>/<metric>.svg?range=: the metric
// from <LPARDir>/<host>, so the line runs across the host's moves, which
// are marked on the time axis.
func (h *handler) lparGraph(w http.ResponseWriter, r *http.Request) {
	metric, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok {
		h.fail(w, r, http.StatusNotFound, "graphs end in .svg")
		return
	}
	now := h.now()
	host, rng, s, ok := h.lparSeries(w, r, metric, now)
	if !ok {
		return
	}
	title, units := metric, ""
	snap := h.src.Snapshot(now)
	if hst, _ := findHost(snap, host); hst != nil {
		for i := range hst.Metrics {
			if m := &hst.Metrics[i]; m.Name == metric {
				units = strings.TrimSpace(m.Units)
				if t := extra(m, "TITLE"); t != "" {
					title = t
				}
			}
		}
	}
	start := now.Add(-rng.Span).UTC()
	c := svgchart.Chart{Title: host + ": " + title + " (" + rng.Name + ")", Units: units, Start: start, End: now.UTC(),
		Width: 640, Height: 220, Min: math.NaN(), Max: math.NaN(),
		Series: []svgchart.Series{{Name: metric, Points: s.points(maxPoints)}}}
	c.Markers = moveMarkers(h.src.Moves(), start, now, func(m *grid.Move) bool { return m.Host == host })
	h.writeSVG(w, r, c)
}

// moveMarkers returns the moves in [start, end] that keep accepts as
// markers labelled "host: from → to".
func moveMarkers(moves []grid.Move, start, end time.Time, keep func(*grid.Move) bool) []svgchart.Marker {
	var out []svgchart.Marker
	for i := range moves {
		m := &moves[i]
		if keep(m) && !m.Time.Before(start) && !m.Time.After(end) {
			out = append(out, svgchart.Marker{T: m.Time.UTC(), Label: m.Host + ": " + m.From + " → " + m.To})
		}
	}
	return out
}

// systemGraph answers /graph/system/<name>/physc.svg?range=: the stacked
// physc of every LPAR while it was on the system (see stack).
func (h *handler) systemGraph(w http.ResponseWriter, r *http.Request) {
	name, ok := h.pathName(w, r, rrdstore.NameKindCluster, "name")
	if !ok {
		return
	}
	if r.PathValue("file") != "physc.svg" {
		h.fail(w, r, http.StatusNotFound, "no such graph")
		return
	}
	st, _, ok := h.requestStack(w, r, name)
	if !ok {
		return
	}
	h.writeSVG(w, r, st.chart())
}

// writeSVG renders c. An SVG opened on its own is a document, so it gets a
// policy of its own: no scripts, inline styles allowed.
func (h *handler) writeSVG(w http.ResponseWriter, r *http.Request, c svgchart.Chart) {
	var buf bytes.Buffer
	if err := svgchart.Render(&buf, c); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}
