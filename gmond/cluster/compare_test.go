package cluster

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// hostExceptions adjust a documented difference of one host (by NAME)
// before the comparison.
type hostExceptions map[string]func(ours, stock *stockganglia.Host)

// compareDocHosts compares every HOST and METRIC attribute and the
// EXTRA_ELEMENTs in order, matching hosts by IP and metrics by NAME. With
// ignoreTimes TN, REPORTED and metric TN are left out (live daemons).
func compareDocHosts(t *testing.T, ours, stock []stockganglia.Host, exc hostExceptions, ignoreTimes bool) {
	t.Helper()
	if len(ours) != len(stock) {
		t.Errorf("%d hosts, stock has %d", len(ours), len(stock))
	}
	for i := range stock {
		sh := &stock[i]
		oh := findHost(ours, sh.IP)
		if oh == nil {
			t.Errorf("no host with IP %q (stock: %q)", sh.IP, sh.Name)
			continue
		}
		if f := exc[sh.Name]; f != nil {
			f(oh, sh)
		}
		if ignoreTimes {
			oh.Reported, oh.TN, sh.Reported, sh.TN = 0, 0, 0, 0
		}
		if a, b := hostAttrs(oh), hostAttrs(sh); !slices.Equal(a, b) {
			t.Errorf("HOST %s:\n ours  %q\n stock %q", sh.IP, a, b)
		}
		if len(oh.Metrics) != len(sh.Metrics) {
			t.Errorf("host %s: %d metrics, stock has %d", sh.Name, len(oh.Metrics), len(sh.Metrics))
		}
		for j := range sh.Metrics {
			sm := &sh.Metrics[j]
			om := oh.Metric(sm.Name)
			if om == nil {
				t.Errorf("host %s: no metric %q", sh.Name, sm.Name)
				continue
			}
			if ignoreTimes {
				om.TN, sm.TN = 0, 0
			}
			if a, b := metricAttrs(om), metricAttrs(sm); !slices.Equal(a, b) {
				t.Errorf("%s/%s:\n ours  %q\n stock %q", sh.Name, sm.Name, a, b)
			}
			if !slices.Equal(om.Extra, sm.Extra) {
				t.Errorf("%s/%s EXTRA_DATA:\n ours  %q\n stock %q", sh.Name, sm.Name, om.Extra, sm.Extra)
			}
		}
	}
}

func findHost(hosts []stockganglia.Host, ip string) *stockganglia.Host {
	for i := range hosts {
		if hosts[i].IP == ip {
			return &hosts[i]
		}
	}
	return nil
}

func hostAttrs(h *stockganglia.Host) []string {
	return []string{h.Name, h.IP, h.Tags, strconv.FormatInt(h.Reported, 10), strconv.FormatInt(h.TN, 10),
		strconv.FormatInt(h.TMAX, 10), strconv.FormatInt(h.DMAX, 10), h.Location, strconv.FormatInt(h.GmondStarted, 10)}
}

func metricAttrs(m *stockganglia.Metric) []string {
	return []string{m.Name, m.Val, m.Type, m.Units, strconv.FormatInt(m.TN, 10),
		strconv.FormatInt(m.TMAX, 10), strconv.FormatInt(m.DMAX, 10), m.Slope, m.Source}
}

// canonical sorts a gmond document's hosts, and each host's metrics, by
// their text, so that two documents differing only in order compare equal.
func canonical(doc string) string {
	lines := strings.SplitAfter(body([]byte(doc)), "\n")
	var head, tail []string
	type hostBlock struct {
		start   string
		metrics []string
	}
	var hosts []hostBlock
	var cur *hostBlock
	var metric strings.Builder
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "<HOST "):
			hosts = append(hosts, hostBlock{start: l})
			cur = &hosts[len(hosts)-1]
		case strings.HasPrefix(l, "</HOST>"):
			cur = nil
		case cur == nil && len(hosts) == 0:
			head = append(head, l)
		case cur == nil:
			tail = append(tail, l)
		default:
			metric.WriteString(l)
			if strings.HasPrefix(l, "</METRIC>") {
				cur.metrics = append(cur.metrics, metric.String())
				metric.Reset()
			}
		}
	}
	slices.SortFunc(hosts, func(a, b hostBlock) int { return cmp.Compare(a.start, b.start) })
	var out strings.Builder
	out.WriteString(strings.Join(head, ""))
	for _, h := range hosts {
		slices.Sort(h.metrics)
		out.WriteString(h.start + strings.Join(h.metrics, "") + "</HOST>\n")
	}
	out.WriteString(strings.Join(tail, ""))
	return out.String()
}

// lineDiff lists the lines only one side has.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			out.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			out.WriteString("+ " + l + "\n")
		}
	}
	return out.String()
}
