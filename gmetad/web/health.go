package web

import (
	"cmp"
	"slices"
	"time"
)

// healthView is the health page and /api/health.
type healthView struct {
	Started       time.Time        `json:"started"`
	UptimeSeconds int64            `json:"uptime_seconds"`
	Ports         []portJSON       `json:"ports"`
	RRD           rrdJSON          `json:"rrd"`
	XMLClients    uint64           `json:"xml_clients"`
	XMLRequests   uint64           `json:"xml_requests"`
	TreeCheck     *treeCheckJSON   `json:"tree_check"` // null: not configured
	Clusters      []clusterMetrics `json:"clusters"`
}

type portJSON struct {
	Port         int    `json:"port"`
	Cluster      string `json:"cluster"`
	Packets      uint64 `json:"packets"`
	Bytes        uint64 `json:"bytes"`
	DecodeErrors uint64 `json:"decode_errors"`
	Denied       uint64 `json:"denied"`
	Oversize     uint64 `json:"oversize"`
	Hosts        uint64 `json:"hosts"`
}

type rrdJSON struct {
	Updates      uint64 `json:"updates"`
	Errors       uint64 `json:"errors"`
	SkippedSteps uint64 `json:"skipped_steps"`
	QueueDepth   int    `json:"queue_depth"`
	LagSeconds   num    `json:"lag_seconds"`
	// LastStep is null before the first write step.
	LastStep *time.Time `json:"last_step"`
	// UpdatesPerSecond is the average since start.
	UpdatesPerSecond num `json:"updates_per_second"`
}

type treeCheckJSON struct {
	Path     string     `json:"path"`
	Time     *time.Time `json:"time"`
	Findings int        `json:"findings"`
	ByRule   []ruleJSON `json:"by_rule"`
	Err      string     `json:"error,omitempty"`
}

type ruleJSON struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// clusterMetrics is one cluster's size in the snapshot.
type clusterMetrics struct {
	Name    string `json:"name"`
	Up      int    `json:"hosts_up"`
	Down    int    `json:"hosts_down"`
	Metrics int    `json:"metrics"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// buildHealth turns Source.Health into the view, ports by number.
func buildHealth(hl Health, clusters []clusterMetrics, now time.Time) *healthView {
	v := &healthView{Started: hl.Started.UTC(), Ports: []portJSON{}, XMLClients: hl.XMLClients,
		XMLRequests: hl.XMLRequests, Clusters: clusters}
	up := now.Sub(hl.Started)
	if hl.Started.IsZero() || up < 0 {
		up = 0
	}
	v.UptimeSeconds = int64(up / time.Second)
	for _, p := range hl.Ports {
		v.Ports = append(v.Ports, portJSON{p.Port, p.Cluster, p.Packets, p.Bytes, p.DecodeErrors, p.Denied, p.Oversize, p.Hosts})
	}
	slices.SortStableFunc(v.Ports, func(a, b portJSON) int { return cmp.Compare(a.Port, b.Port) })
	r := hl.RRD
	v.RRD = rrdJSON{Updates: r.Updates, Errors: r.Errors, SkippedSteps: r.SkippedSteps, QueueDepth: r.QueueDepth,
		LagSeconds: num(r.Lag.Seconds()), LastStep: optTime(r.LastStep), UpdatesPerSecond: unknown}
	if up >= time.Second {
		v.RRD.UpdatesPerSecond = num(float64(r.Updates) / up.Seconds())
	}
	if tc := hl.TreeCheck; tc != nil {
		v.TreeCheck = &treeCheckJSON{Path: tc.Path, Time: optTime(tc.Time), Findings: tc.Findings,
			ByRule: []ruleJSON{}, Err: tc.Err}
		for _, rule := range sortedKeys(tc.ByRule) {
			v.TreeCheck.ByRule = append(v.TreeCheck.ByRule, ruleJSON{rule, tc.ByRule[rule]})
		}
	}
	return v
}
