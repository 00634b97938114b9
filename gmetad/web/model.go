package web

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// The metrics of the LPAR view: Perzl's ibmpower names, as our gmond
// sends them, and the standard ones.
const (
	mCPUUsed   = "cpu_used"        // physc: physical cores consumed
	mCPUEC     = "cpu_ec"          // %entc: cpu_used / entitlement × 100
	mCPUEnt    = "cpu_entitlement" // entitled capacity, cores
	mCPUInPool = "cpu_in_pool"     // shared pool size, cores
	mLoadOne   = "load_one"
	mMemTotal  = "mem_total" // KB
	mMemFree   = "mem_free"  // KB
	mBytesIn   = "bytes_in"  // bytes/s
	mBytesOut  = "bytes_out" // bytes/s
)

// num is a metric value; NaN means unknown and marshals to JSON null.
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f) // encoding/json's short, exponent-free form
}

func (n num) known() bool { return !math.IsNaN(float64(n)) }

// addTo adds n to a running sum that starts unknown.
func (n num) addTo(sum *num) {
	if !n.known() {
		return
	}
	if !sum.known() {
		*sum = 0
	}
	*sum += n
}

// maxTo keeps the larger of n and a running maximum that starts unknown.
func (n num) maxTo(max *num) {
	if n.known() && (!max.known() || n > *max) {
		*max = n
	}
}

var unknown = num(math.NaN())

// lparRow is one LPAR as the grid and system pages list it.
type lparRow struct {
	Name     string    `json:"name"`
	System   string    `json:"system"`
	IP       string    `json:"ip"`
	Location string    `json:"location"`
	Up       bool      `json:"up"`
	Reported time.Time `json:"reported"`
	Physc    num       `json:"cpu_used"`
	Entc     num       `json:"cpu_ec"`
	Ent      num       `json:"cpu_entitlement"`
	Pool     num       `json:"cpu_in_pool"`
	Load     num       `json:"load_one"`
	MemTotal num       `json:"mem_total"`
	MemFree  num       `json:"mem_free"`
	BytesIn  num       `json:"bytes_in"`
	BytesOut num       `json:"bytes_out"`
}

// MemUsedPct is the share of memory in use, or unknown.
func (r lparRow) MemUsedPct() num {
	if !r.MemTotal.known() || !r.MemFree.known() || r.MemTotal <= 0 {
		return unknown
	}
	return (r.MemTotal - r.MemFree) / r.MemTotal * 100
}

// systemRow is one managed system (a cluster) with its LPARs' totals.
type systemRow struct {
	Name     string `json:"name"`
	LPARs    int    `json:"lpars"`
	Up       int    `json:"up"`
	Down     int    `json:"down"`
	CPUUsed  num    `json:"cpu_used"`        // summed over LPARs that are up
	CPUEnt   num    `json:"cpu_entitlement"` // summed
	Pool     num    `json:"cpu_in_pool"`     // largest any LPAR reports
	Load     num    `json:"load_one"`        // summed
	BytesIn  num    `json:"bytes_in"`        // summed
	BytesOut num    `json:"bytes_out"`       // summed
	MovesIn  int    `json:"moves_in"`        // in the remembered history
	MovesOut int    `json:"moves_out"`
	hosts    []lparRow
}

// hostUp is gmetad's alive rule (PROTOCOL.md §2.6), as gmetad/grid
// computes HOSTS UP: TN < 4 × TMAX, or with TMAX 0 a report within 60 s.
func hostUp(now, reported time.Time, tmax uint32) bool {
	if tmax == 0 {
		d := now.Unix() - reported.Unix()
		return d > -60 && d < 60
	}
	return int64(now.Sub(reported)/time.Second) < 4*int64(tmax)
}

// metricValue parses a numeric metric that has not passed its DMAX;
// strings, timestamps and stale values are unknown.
func metricValue(m *xmlout.Metric, now time.Time) num {
	switch m.Type {
	case "string", "timestamp", "":
		return unknown
	}
	if m.DMax > 0 && int64(now.Sub(m.T0)/time.Second) > int64(m.DMax) {
		return unknown
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(m.Val), 64)
	if err != nil {
		return unknown
	}
	return num(f)
}

// newLPARRow reads the key metrics of h in one pass.
func newLPARRow(system string, h *xmlout.Host, now time.Time) lparRow {
	r := lparRow{Name: h.Name, System: system, IP: h.IP, Location: h.Location, Up: hostUp(now, h.T0, h.TMax),
		Reported: time.Unix(h.Reported, 0).UTC(), Physc: unknown, Entc: unknown, Ent: unknown, Pool: unknown,
		Load: unknown, MemTotal: unknown, MemFree: unknown, BytesIn: unknown, BytesOut: unknown}
	for i := range h.Metrics {
		m := &h.Metrics[i]
		var dst *num
		switch m.Name {
		case mCPUUsed:
			dst = &r.Physc
		case mCPUEC:
			dst = &r.Entc
		case mCPUEnt:
			dst = &r.Ent
		case mCPUInPool:
			dst = &r.Pool
		case mLoadOne:
			dst = &r.Load
		case mMemTotal:
			dst = &r.MemTotal
		case mMemFree:
			dst = &r.MemFree
		case mBytesIn:
			dst = &r.BytesIn
		case mBytesOut:
			dst = &r.BytesOut
		default:
			continue
		}
		*dst = metricValue(m, now)
	}
	return r
}

// newSystemRow lists src's hosts and adds up those that are up.
func newSystemRow(src *xmlout.Source, now time.Time) systemRow {
	s := systemRow{Name: src.Name, LPARs: len(src.Hosts), CPUUsed: unknown, CPUEnt: unknown, Pool: unknown,
		Load: unknown, BytesIn: unknown, BytesOut: unknown, hosts: make([]lparRow, len(src.Hosts))}
	for i := range src.Hosts {
		r := newLPARRow(src.Name, &src.Hosts[i], now)
		s.hosts[i] = r
		if !r.Up {
			s.Down++
			continue
		}
		s.Up++
		r.Physc.addTo(&s.CPUUsed)
		r.Ent.addTo(&s.CPUEnt)
		r.Pool.maxTo(&s.Pool)
		r.Load.addTo(&s.Load)
		r.BytesIn.addTo(&s.BytesIn)
		r.BytesOut.addTo(&s.BytesOut)
	}
	return s
}

// remoteGrid is a polled gmetad: only its summary is kept.
type remoteGrid struct {
	Name string `json:"name"`
	Up   int    `json:"up"`
	Down int    `json:"down"`
}

// gridView is the grid page and /api/grid.
type gridView struct {
	Grid    string       `json:"grid"`
	Time    time.Time    `json:"time"`
	Systems []systemRow  `json:"systems"`
	Grids   []remoteGrid `json:"grids"`
	Moves   []moveRow    `json:"latest_moves"`
}

// moveRow is one LPM move as pages and the API show it.
type moveRow struct {
	Time   time.Time `json:"time"`
	Host   string    `json:"host"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Key    string    `json:"key"`
	OldKey string    `json:"old_key,omitempty"`
}

func newMoveRow(m grid.Move) moveRow {
	return moveRow{Time: m.Time.UTC(), Host: m.Host, From: m.From, To: m.To, Key: m.Key, OldKey: m.OldKey}
}

// latestMoves returns the newest n moves, newest first.
func latestMoves(moves []grid.Move, n int, keep func(*grid.Move) bool) []moveRow {
	out := []moveRow{}
	for i := len(moves) - 1; i >= 0 && len(out) < n; i-- {
		if keep == nil || keep(&moves[i]) {
			out = append(out, newMoveRow(moves[i]))
		}
	}
	return out
}

// latestGridMoves is how many moves the grid page lists.
const latestGridMoves = 10

func buildGrid(snap *xmlout.Snapshot, moves []grid.Move, now time.Time) gridView {
	v := gridView{Grid: snap.Grid.Name, Time: now.UTC(), Systems: []systemRow{}, Grids: []remoteGrid{}}
	index := map[string]int{}
	for i := range snap.Sources {
		src := &snap.Sources[i]
		if src.Kind != xmlout.Cluster {
			v.Grids = append(v.Grids, remoteGrid{Name: src.Name, Up: src.Summary.Up, Down: src.Summary.Down})
			continue
		}
		index[src.Name] = len(v.Systems)
		v.Systems = append(v.Systems, newSystemRow(src, now))
	}
	for _, m := range moves {
		if i, ok := index[m.From]; ok {
			v.Systems[i].MovesOut++
		}
		if i, ok := index[m.To]; ok {
			v.Systems[i].MovesIn++
		}
	}
	v.Moves = latestMoves(moves, latestGridMoves, nil)
	return v
}

// findCluster returns the cluster source called name, or nil.
func findCluster(snap *xmlout.Snapshot, name string) *xmlout.Source {
	for i := range snap.Sources {
		if s := &snap.Sources[i]; s.Kind == xmlout.Cluster && s.Name == name {
			return s
		}
	}
	return nil
}

// currentSystems maps every host name to the first cluster (by name) that
// lists it: where it runs now.
func currentSystems(snap *xmlout.Snapshot) map[string]string {
	out := map[string]string{}
	for i := range snap.Sources {
		s := &snap.Sources[i]
		if s.Kind != xmlout.Cluster {
			continue
		}
		for j := range s.Hosts {
			if _, ok := out[s.Hosts[j].Name]; !ok {
				out[s.Hosts[j].Name] = s.Name
			}
		}
	}
	return out
}
