package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

func (h *handler) apiGrid(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	h.writeJSON(w, http.StatusOK, buildGrid(h.src.Snapshot(now), h.src.Moves(), now))
}

// systemOf returns the view of the system named in the path, or answers
// the error (400 bad name or sort, 404 unknown).
func (h *handler) systemOf(w http.ResponseWriter, r *http.Request) (*systemView, bool) {
	name, ok := h.pathName(w, r, rrdstore.NameKindCluster, "name")
	if !ok {
		return nil, false
	}
	now := h.now()
	moves := h.src.Moves()
	src := findCluster(h.src.Snapshot(now), name)
	if src == nil && slices.ContainsFunc(moves, func(m grid.Move) bool { return m.From == name || m.To == name }) {
		// A system that left the configuration keeps its history.
		src = &xmlout.Source{Kind: xmlout.Cluster, Name: name}
	}
	if src == nil {
		h.fail(w, r, http.StatusNotFound, "unknown managed system")
		return nil, false
	}
	q := r.URL.Query()
	v, err := buildSystem(src, moves, now, q.Get("sort"), q.Get("order"))
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err.Error())
		return nil, false
	}
	return v, true
}

func (h *handler) apiSystem(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.systemOf(w, r); ok {
		h.writeJSON(w, http.StatusOK, v)
	}
}

// lparOf returns the view of the LPAR named in the path, or answers the
// error (400 bad name, 404 unknown).
func (h *handler) lparOf(w http.ResponseWriter, r *http.Request) (*lparView, bool) {
	name, ok := h.pathName(w, r, rrdstore.NameKindHost, "host")
	if !ok {
		return nil, false
	}
	now := h.now()
	v, err := h.buildLPAR(h.src.Snapshot(now), h.src.Moves(), name, now)
	if errors.Is(err, errUnknownHost) {
		h.fail(w, r, http.StatusNotFound, err.Error())
		return nil, false
	}
	if err != nil {
		h.serverError(w, r, err)
		return nil, false
	}
	return v, true
}

func (h *handler) apiLPAR(w http.ResponseWriter, r *http.Request) {
	if v, ok := h.lparOf(w, r); ok {
		h.writeJSON(w, http.StatusOK, v)
	}
}

func (h *handler) apiMoves(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := buildMoves(h.src.Moves(), q)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	switch q.Get("format") {
	case "", "json":
		h.writeJSON(w, http.StatusOK, v)
	case "csv":
		rows := [][]string{{"time", "host", "from", "to", "key", "old_key"}}
		for _, m := range v.Moves {
			rows = append(rows, []string{m.Time.Format(time.RFC3339), m.Host, m.From, m.To, m.Key, m.OldKey})
		}
		h.writeCSV(w, r, "moves.csv", rows)
	default:
		h.fail(w, r, http.StatusBadRequest, "format must be json or csv")
	}
}

// seriesJSON is /api/series and /api/stack: Values[i] (one per host for a
// stack) belongs to the step ending at Times[i].
type seriesJSON struct {
	Host   string      `json:"host,omitempty"`
	System string      `json:"system,omitempty"`
	Metric string      `json:"metric"`
	Range  string      `json:"range"`
	Start  time.Time   `json:"start"`
	End    time.Time   `json:"end"`
	Step   int64       `json:"step"`
	Times  []int64     `json:"times"`
	Values []num       `json:"values,omitempty"`
	Hosts  []stackJSON `json:"hosts,omitempty"`
	Moves  []moveRow   `json:"moves"`
}

// stackJSON is one LPAR of /api/stack: its values are null while it was on
// another system (On lists when it was here; a null bound is open).
type stackJSON struct {
	Host   string         `json:"host"`
	On     []intervalJSON `json:"on"`
	Values []num          `json:"values"`
}

type intervalJSON struct {
	From *time.Time `json:"from"`
	To   *time.Time `json:"to"`
}

func nums(vs []float64) []num {
	out := make([]num, len(vs))
	for i, v := range vs {
		out[i] = num(v)
	}
	return out
}

func times(s *series) []int64 {
	out := make([]int64, len(s.Values))
	for k := range out {
		out[k] = s.T(k).Unix()
	}
	return out
}

func (h *handler) apiSeries(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	metric := r.PathValue("metric")
	format, ok := h.queryFormat(w, r)
	if !ok {
		return
	}
	host, rng, s, ok := h.lparSeries(w, r, metric, now)
	if !ok {
		return
	}
	if format == "csv" {
		rows := [][]string{{"time", metric}}
		for k, v := range s.Values {
			rows = append(rows, []string{s.T(k).Format(time.RFC3339), csvNum(v)})
		}
		h.writeCSV(w, r, host+"-"+metric+".csv", rows)
		return
	}
	h.writeJSON(w, http.StatusOK, seriesJSON{Host: host, Metric: metric, Range: rng.Name,
		Start: now.Add(-rng.Span).UTC(), End: now.UTC(), Step: int64(s.Step / time.Second), Times: times(s),
		Values: nums(s.Values), Moves: hostMoves(h.src.Moves(), host)})
}

func (h *handler) apiStack(w http.ResponseWriter, r *http.Request) {
	name, ok := h.pathName(w, r, rrdstore.NameKindCluster, "name")
	if !ok {
		return
	}
	format, ok := h.queryFormat(w, r)
	if !ok {
		return
	}
	st, rng, ok := h.requestStack(w, r, name)
	if !ok {
		return
	}
	grid := st.Grid
	if grid == nil {
		grid = &series{}
	}
	if format == "csv" {
		head := []string{"time"}
		for _, sh := range st.Hosts {
			head = append(head, sh.Host)
		}
		rows := [][]string{head}
		for k := range grid.Values {
			row := []string{grid.T(k).Format(time.RFC3339)}
			for _, sh := range st.Hosts {
				row = append(row, csvNum(sh.Values[k]))
			}
			rows = append(rows, row)
		}
		h.writeCSV(w, r, name+"-physc.csv", rows)
		return
	}
	out := seriesJSON{System: name, Metric: mCPUUsed, Range: rng.Name, Start: st.Start, End: st.End,
		Step: int64(grid.Step / time.Second), Times: times(grid), Hosts: []stackJSON{}, Moves: []moveRow{}}
	for _, sh := range st.Hosts {
		sj := stackJSON{Host: sh.Host, Values: nums(sh.Values)}
		for _, iv := range sh.On {
			sj.On = append(sj.On, intervalJSON{From: optTime(iv.From), To: optTime(iv.To)})
		}
		out.Hosts = append(out.Hosts, sj)
	}
	for _, m := range st.Moves {
		out.Moves = append(out.Moves, newMoveRow(m))
	}
	h.writeJSON(w, http.StatusOK, out)
}

func (h *handler) apiHealth(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	h.writeJSON(w, http.StatusOK, buildHealth(h.src.Health(), clusterSizes(h.src.Snapshot(now)), now))
}

// queryFormat returns the format parameter ("json" or "csv"), or answers 400.
func (h *handler) queryFormat(w http.ResponseWriter, r *http.Request) (string, bool) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		return "json", true
	case "csv":
		return f, true
	}
	h.fail(w, r, http.StatusBadRequest, "format must be json or csv")
	return "", false
}

// csvNum formats a value for CSV: empty when unknown.
func csvNum(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (h *handler) writeCSV(w http.ResponseWriter, r *http.Request, filename string, rows [][]string) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(rows); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	if cd := mime.FormatMediaType("inline", map[string]string{"filename": filename}); cd != "" {
		w.Header().Set("Content-Disposition", cd)
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}
