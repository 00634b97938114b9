package web

import (
	"bytes"
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// promWriter writes the Prometheus text exposition format (version 0.0.4):
// a HELP and TYPE line per family, then its samples.
type promWriter struct {
	buf bytes.Buffer
}

func (p *promWriter) family(name, typ, help string) {
	p.buf.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + typ + "\n")
}

// sample writes name{k="v",...} value; labels are pairs.
func (p *promWriter) sample(name string, v float64, labels ...string) {
	p.buf.WriteString(name)
	if len(labels) > 0 {
		p.buf.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				p.buf.WriteByte(',')
			}
			p.buf.WriteString(labels[i] + `="` + labelEscaper.Replace(labels[i+1]) + `"`)
		}
		p.buf.WriteByte('}')
	}
	p.buf.WriteByte(' ')
	switch {
	case math.IsNaN(v):
		p.buf.WriteString("NaN")
	case math.IsInf(v, 1):
		p.buf.WriteString("+Inf")
	case math.IsInf(v, -1):
		p.buf.WriteString("-Inf")
	case math.Abs(v) < 1e15:
		p.buf.WriteString(strconv.FormatFloat(v, 'f', -1, 64)) // timestamps without an exponent
	default:
		p.buf.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	p.buf.WriteByte('\n')
}

// labelEscaper escapes a label value as the format requires.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// clusterSizes counts the hosts up and down (as HOSTS UP/DOWN says) and
// the metrics of each cluster in the snapshot.
func clusterSizes(snap *xmlout.Snapshot) []clusterMetrics {
	out := []clusterMetrics{}
	for i := range snap.Sources {
		s := &snap.Sources[i]
		if s.Kind != xmlout.Cluster {
			continue
		}
		c := clusterMetrics{Name: s.Name, Up: s.Summary.Up, Down: s.Summary.Down}
		for j := range s.Hosts {
			c.Metrics += len(s.Hosts[j].Metrics)
		}
		out = append(out, c)
	}
	return out
}

// metrics answers /metrics: the receivers per port, the clusters, the
// moves, the RRD writer, the XML servers and the tree check.
func (h *handler) metrics(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	hl := h.src.Health()
	snap := h.src.Snapshot(now)
	moves := h.src.Moves()
	var p promWriter
	writeProcess(&p, hl)
	writePorts(&p, hl.Ports)
	writeClusters(&p, clusterSizes(snap))
	writeMoves(&p, moves)
	writeRRD(&p, hl.RRD)
	writeTreeCheck(&p, hl.TreeCheck)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(p.buf.Bytes())
}

func writeProcess(p *promWriter, hl Health) {
	p.family("gmetad_start_time_seconds", "gauge", "Start time of gmetad since the Unix epoch.")
	p.sample("gmetad_start_time_seconds", unixSeconds(hl.Started))
	p.family("gmetad_xml_clients", "gauge", "XML and interactive port connections being served.")
	p.sample("gmetad_xml_clients", float64(hl.XMLClients))
	p.family("gmetad_xml_requests_total", "counter", "XML and interactive port answers served.")
	p.sample("gmetad_xml_requests_total", float64(hl.XMLRequests))
}

func writePorts(p *promWriter, ports []PortHealth) {
	ports = slices.Clone(ports)
	slices.SortStableFunc(ports, func(a, b PortHealth) int { return cmp.Compare(a.Port, b.Port) })
	fams := []struct {
		name, help string
		v          func(*PortHealth) uint64
	}{
		{"gmetad_udp_packets_total", "UDP packets received, by managed-system port.", func(x *PortHealth) uint64 { return x.Packets }},
		{"gmetad_udp_bytes_total", "UDP bytes received, by port.", func(x *PortHealth) uint64 { return x.Bytes }},
		{"gmetad_udp_decode_errors_total", "UDP packets that did not decode as Ganglia XDR, by port.", func(x *PortHealth) uint64 { return x.DecodeErrors }},
		{"gmetad_udp_denied_total", "UDP packets refused by the port's access list, by port.", func(x *PortHealth) uint64 { return x.Denied }},
		{"gmetad_udp_oversize_total", "UDP packets larger than the receive buffer, by port.", func(x *PortHealth) uint64 { return x.Oversize }},
	}
	for _, f := range fams {
		p.family(f.name, "counter", f.help)
		for i := range ports {
			p.sample(f.name, float64(f.v(&ports[i])), "port", strconv.Itoa(ports[i].Port), "cluster", ports[i].Cluster)
		}
	}
	p.family("gmetad_port_hosts", "gauge", "Hosts held by the cluster of each port.")
	for i := range ports {
		p.sample("gmetad_port_hosts", float64(ports[i].Hosts), "port", strconv.Itoa(ports[i].Port), "cluster", ports[i].Cluster)
	}
}

func writeClusters(p *promWriter, cs []clusterMetrics) {
	p.family("gmetad_cluster_hosts", "gauge", "Hosts of each cluster, up or down as HOSTS UP/DOWN count them.")
	for _, c := range cs {
		p.sample("gmetad_cluster_hosts", float64(c.Up), "cluster", c.Name, "state", "up")
		p.sample("gmetad_cluster_hosts", float64(c.Down), "cluster", c.Name, "state", "down")
	}
	p.family("gmetad_cluster_metrics", "gauge", "Metrics held for the hosts of each cluster.")
	for _, c := range cs {
		p.sample("gmetad_cluster_metrics", float64(c.Metrics), "cluster", c.Name)
	}
}

func writeMoves(p *promWriter, moves []grid.Move) {
	p.family("gmetad_lpm_moves_remembered", "gauge", "LPM moves in the bounded move history (move_history).")
	p.sample("gmetad_lpm_moves_remembered", float64(len(moves)))
	in, out := map[string]int{}, map[string]int{}
	for _, m := range moves {
		in[m.To]++
		out[m.From]++
	}
	p.family("gmetad_lpm_moves", "gauge", "Remembered moves into and out of each managed system.")
	for _, c := range sortedKeys(in) {
		p.sample("gmetad_lpm_moves", float64(in[c]), "cluster", c, "direction", "in")
	}
	for _, c := range sortedKeys(out) {
		p.sample("gmetad_lpm_moves", float64(out[c]), "cluster", c, "direction", "out")
	}
	if len(moves) > 0 {
		p.family("gmetad_lpm_last_move_timestamp_seconds", "gauge", "Time of the newest remembered move.")
		p.sample("gmetad_lpm_last_move_timestamp_seconds", unixSeconds(moves[len(moves)-1].Time))
	}
}

func writeRRD(p *promWriter, r RRDHealth) {
	p.family("gmetad_rrd_updates_total", "counter", "RRD updates written.")
	p.sample("gmetad_rrd_updates_total", float64(r.Updates))
	p.family("gmetad_rrd_errors_total", "counter", "RRD creates and updates that failed.")
	p.sample("gmetad_rrd_errors_total", float64(r.Errors))
	p.family("gmetad_rrd_skipped_steps_total", "counter", "Write steps skipped because the previous one was still running.")
	p.sample("gmetad_rrd_skipped_steps_total", float64(r.SkippedSteps))
	p.family("gmetad_rrd_queue_depth", "gauge", "RRD updates waiting to be written.")
	p.sample("gmetad_rrd_queue_depth", float64(r.QueueDepth))
	p.family("gmetad_rrd_lag_seconds", "gauge", "How far the last write step lagged behind its schedule.")
	p.sample("gmetad_rrd_lag_seconds", r.Lag.Seconds())
	if !r.LastStep.IsZero() {
		p.family("gmetad_rrd_last_step_timestamp_seconds", "gauge", "Time of the last RRD write step.")
		p.sample("gmetad_rrd_last_step_timestamp_seconds", unixSeconds(r.LastStep))
	}
}

func writeTreeCheck(p *promWriter, tc *TreeCheck) {
	if tc == nil {
		return
	}
	ok := 1.0
	if tc.Err != "" {
		ok = 0
	}
	p.family("gmetad_tree_check_ok", "gauge", "1 when the last tree check output could be read.")
	p.sample("gmetad_tree_check_ok", ok)
	p.family("gmetad_tree_check_findings", "gauge", "Problems the last tree check left.")
	p.sample("gmetad_tree_check_findings", float64(tc.Findings))
	p.family("gmetad_tree_check_findings_by_rule", "gauge", "Problems the last tree check left, by rule.")
	for _, rule := range sortedKeys(tc.ByRule) {
		p.sample("gmetad_tree_check_findings_by_rule", float64(tc.ByRule[rule]), "rule", rule)
	}
	if !tc.Time.IsZero() {
		p.family("gmetad_tree_check_timestamp_seconds", "gauge", "Time the last tree check wrote its output.")
		p.sample("gmetad_tree_check_timestamp_seconds", unixSeconds(tc.Time))
	}
}

// unixSeconds is t in seconds since the epoch; the zero time is 0.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
