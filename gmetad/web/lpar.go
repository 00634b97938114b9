package web

import (
	"cmp"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// lparView is the LPAR page and /api/lpar/<host>.
type lparView struct {
	lparRow
	Reporting bool          `json:"reporting"` // a cluster lists it now
	AlsoIn    []string      `json:"also_in"`   // other clusters listing it (polled sources)
	Groups    []metricGroup `json:"groups"`
	Moves     []moveRow     `json:"moves"` // oldest first
	Time      time.Time     `json:"time"`
	Range     string        `json:"-"`
	Ranges    []link        `json:"-"`
}

// metricGroup is the metrics of one GROUP extra element.
type metricGroup struct {
	Name    string      `json:"name"`
	Metrics []metricRow `json:"metrics"`
}

// metricRow is one metric; Graph and Series are set when it has an RRD.
type metricRow struct {
	Name   string `json:"name"`
	Title  string `json:"title,omitempty"`
	Desc   string `json:"desc,omitempty"`
	Value  string `json:"value"`
	Units  string `json:"units,omitempty"`
	Type   string `json:"type"`
	Graph  string `json:"graph,omitempty"`
	Series string `json:"series,omitempty"`
}

// noGroup names the metrics that carry no GROUP.
const noGroup = "other"

// extra returns the value of an EXTRA_ELEMENT.
func extra(m *xmlout.Metric, name string) string {
	for _, e := range m.Extra {
		if e.Name == name {
			return e.Val
		}
	}
	return ""
}

// findHost returns the clusters listing a host named name, in snapshot
// (name) order, and the host as the first lists it.
func findHost(snap *xmlout.Snapshot, name string) (*xmlout.Host, []string) {
	var found *xmlout.Host
	var in []string
	for i := range snap.Sources {
		s := &snap.Sources[i]
		if s.Kind != xmlout.Cluster {
			continue
		}
		for j := range s.Hosts {
			if s.Hosts[j].Name == name {
				if found == nil {
					found = &s.Hosts[j]
				}
				in = append(in, s.Name)
				break
			}
		}
	}
	return found, in
}

// hostMoves returns name's moves, oldest first.
func hostMoves(moves []grid.Move, name string) []moveRow {
	out := []moveRow{}
	for _, m := range moves {
		if m.Host == name {
			out = append(out, newMoveRow(m))
		}
	}
	return out
}

func graphURL(host, metric string) string {
	return "/graph/lpar/" + url.PathEscape(host) + "/" + url.PathEscape(metric) + ".svg"
}

func seriesURL(host, metric string) string {
	return "/api/series/" + url.PathEscape(host) + "/" + url.PathEscape(metric)
}

// errUnknownHost is a host no cluster lists and no move names.
var errUnknownHost = errors.New("unknown LPAR")

// buildLPAR returns the view of host name: its metrics by group from the
// snapshot, or, for a host that no longer reports but moved, the RRD files
// it left.
func (h *handler) buildLPAR(snap *xmlout.Snapshot, moves []grid.Move, name string, now time.Time) (*lparView, error) {
	host, in := findHost(snap, name)
	v := &lparView{Moves: hostMoves(moves, name), Time: now.UTC(), AlsoIn: []string{}, Groups: []metricGroup{}}
	if host == nil && len(v.Moves) == 0 {
		return nil, errUnknownHost
	}
	if host == nil {
		v.lparRow = lparRow{Name: name, Physc: unknown, Entc: unknown, Ent: unknown, Pool: unknown, Load: unknown,
			MemTotal: unknown, MemFree: unknown, BytesIn: unknown, BytesOut: unknown}
		v.Groups = h.rrdOnlyGroups(name)
		return v, nil
	}
	v.Reporting = true
	v.lparRow = newLPARRow(in[0], host, now)
	v.AlsoIn = append(v.AlsoIn, in[1:]...)
	groups := map[string][]metricRow{}
	for i := range host.Metrics {
		m := &host.Metrics[i]
		g := extra(m, "GROUP")
		if g == "" {
			g = noGroup
		}
		row := metricRow{Name: m.Name, Title: extra(m, "TITLE"), Desc: extra(m, "DESC"), Value: m.Val,
			Units: strings.TrimSpace(m.Units), Type: m.Type}
		if m.Type != "string" && m.Type != "timestamp" {
			if _, err := h.rrdPath(name, m.Name); err == nil {
				row.Graph, row.Series = graphURL(name, m.Name), seriesURL(name, m.Name)
			}
		}
		groups[g] = append(groups[g], row)
	}
	for _, g := range sortedKeys(groups) {
		rows := groups[g]
		slices.SortFunc(rows, func(a, b metricRow) int { return cmp.Compare(a.Name, b.Name) })
		v.Groups = append(v.Groups, metricGroup{Name: g, Metrics: rows})
	}
	return v, nil
}

// rrdOnlyGroups lists the RRD files of a host that no cluster lists now,
// so its history stays reachable from its moves.
func (h *handler) rrdOnlyGroups(name string) []metricGroup {
	if h.root == "" || rrdstore.ValidateName(rrdstore.NameKindHost, name, 0) != nil {
		return []metricGroup{}
	}
	ents, err := os.ReadDir(filepath.Join(h.root, h.lparDir, name))
	if err != nil {
		return []metricGroup{}
	}
	var rows []metricRow
	for _, e := range ents {
		metric, ok := strings.CutSuffix(e.Name(), ".rrd")
		if !ok {
			continue
		}
		if _, err := h.rrdPath(name, metric); err == nil {
			rows = append(rows, metricRow{Name: metric, Graph: graphURL(name, metric), Series: seriesURL(name, metric)})
		}
	}
	if len(rows) == 0 {
		return []metricGroup{}
	}
	return []metricGroup{{Name: "RRD files", Metrics: rows}}
}
