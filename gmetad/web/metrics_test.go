package web

import (
	"bufio"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sampleLine is one sample of the text format: name{labels} value.
var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)

// labelPair is one label="value" with the format's escapes.
var labelPair = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)`)

// parseMetrics parses an exposition line by line into "name{k=v,...}" →
// value (labels in written order, unescaped), failing on any line that is
// not a comment, a declared family's sample, or blank.
func parseMetrics(t *testing.T, text string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	types := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if f, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(f, " ")
			if typ != "counter" && typ != "gauge" {
				t.Errorf("line %d: type %q", n, typ)
			}
			if types[name] != "" {
				t.Errorf("line %d: %s declared twice", n, name)
			}
			types[name] = typ
			continue
		}
		if strings.HasPrefix(line, "# HELP ") || line == "" {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d: not a sample: %q", n, line)
			continue
		}
		if types[m[1]] == "" {
			t.Errorf("line %d: %s has no TYPE before it", n, m[1])
		}
		if types[m[1]] == "counter" && !strings.HasSuffix(m[1], "_total") {
			t.Errorf("line %d: counter %s does not end in _total", n, m[1])
		}
		var labels []string
		for rest := m[2]; rest != ""; {
			lp := labelPair.FindStringSubmatch(rest)
			if lp == nil {
				t.Errorf("line %d: bad labels %q", n, m[2])
				break
			}
			v := strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(lp[2])
			labels = append(labels, lp[1]+"="+v)
			rest = rest[len(lp[0]):]
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %d: value %q: %v", n, m[3], err)
		}
		key := m[1]
		if len(labels) > 0 {
			key += "{" + strings.Join(labels, ",") + "}"
		}
		if _, dup := out[key]; dup {
			t.Errorf("line %d: %s twice", n, key)
		}
		out[key] = v
	}
	return out
}

func TestMetrics(t *testing.T) {
	_, h, _ := newFixture(t)
	rec := get(t, h, "/metrics")
	got := parseMetrics(t, rec.Body.String())
	for key, want := range map[string]float64{
		"gmetad_udp_packets_total{port=8301,cluster=" + sysA + "}":       1000,
		"gmetad_udp_decode_errors_total{port=8301,cluster=" + sysA + "}": 2,
		"gmetad_udp_decode_errors_total{port=8303,cluster=" + sysC + "}": 5,
		"gmetad_udp_bytes_total{port=8302,cluster=" + sysB + "}":         400000,
		"gmetad_cluster_hosts{cluster=" + sysB + ",state=up}":            3,
		"gmetad_cluster_hosts{cluster=" + sysB + ",state=down}":          1,
		"gmetad_cluster_metrics{cluster=" + sysB + "}":                   44,
		"gmetad_lpm_moves_remembered":                                    2,
		"gmetad_lpm_moves{cluster=" + sysB + ",direction=in}":            1,
		"gmetad_lpm_moves{cluster=" + sysB + ",direction=out}":           1,
		"gmetad_lpm_last_move_timestamp_seconds":                         float64(now.Unix() - 1800),
		"gmetad_rrd_updates_total":                                       36000,
		"gmetad_rrd_errors_total":                                        3,
		"gmetad_rrd_queue_depth":                                         12,
		"gmetad_rrd_lag_seconds":                                         1.5,
		"gmetad_xml_clients":                                             2,
		"gmetad_xml_requests_total":                                      42,
		"gmetad_start_time_seconds":                                      float64(now.Unix() - 3600),
		"gmetad_tree_check_findings":                                     2,
		"gmetad_tree_check_findings_by_rule{rule=orphan-lpar}":           1,
		"gmetad_tree_check_ok":                                           1,
	} {
		if v, ok := got[key]; !ok {
			t.Errorf("%s missing", key)
		} else if v != want {
			t.Errorf("%s = %v, want %v", key, v, want)
		}
	}
}

// TestMetricsEscapesLabels feeds names with the three characters the
// format escapes, and no tree check.
func TestMetricsEscapesLabels(t *testing.T) {
	src := fixtureSource()
	odd := "a\"b\\c\nd"
	src.health.Ports = []PortHealth{{Port: 9000, Cluster: odd, Packets: 7}}
	src.health.TreeCheck = nil
	rec := get(t, NewHandler(Options{Source: src, Now: func() time.Time { return now }}), "/metrics")
	got := parseMetrics(t, rec.Body.String())
	if v := got["gmetad_udp_packets_total{port=9000,cluster="+odd+"}"]; v != 7 {
		t.Errorf("escaped cluster label lost: %v\n%s", got, rec.Body)
	}
	for k := range got {
		if strings.HasPrefix(k, "gmetad_tree_check") {
			t.Errorf("%s without a tree check", k)
		}
	}
}
