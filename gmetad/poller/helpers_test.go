package poller

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Builders of small documents in gmond's shape: one element per line.

const prolog = `<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>` + "\n"

// gmondDoc is a gmond dump of cluster "c" (LOCALTIME 1000) with hosts.
func gmondDoc(hosts ...string) string {
	return prolog + `<GANGLIA_XML VERSION="3.7.2" SOURCE="gmond">` + "\n" +
		`<CLUSTER NAME="c" LOCALTIME="1000" OWNER="o" LATLONG="l" URL="u">` + "\n" +
		strings.Join(hosts, "") + "</CLUSTER>\n</GANGLIA_XML>\n"
}

// host is a HOST element; attrs follow the name.
func host(name, attrs string, metrics ...string) string {
	if attrs == "" {
		attrs = `IP="10.0.0.1" REPORTED="995" TN="5" TMAX="20" DMAX="0"`
	}
	return fmt.Sprintf("<HOST NAME=\"%s\" %s>\n%s</HOST>\n", name, attrs, strings.Join(metrics, ""))
}

// metric is a METRIC with value val of type typ and EXTRA_ELEMENTs given as
// name, value pairs.
func metric(name, val, typ string, extra ...string) string {
	return metricAttrs(fmt.Sprintf(`NAME="%s" VAL="%s" TYPE="%s" UNITS="u" TN="1" TMAX="60" DMAX="0" SLOPE="both"`,
		name, val, typ), extra...)
}

func metricAttrs(attrs string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<METRIC %s>\n<EXTRA_DATA>\n", attrs)
	for i := 0; i+1 < len(extra); i += 2 {
		fmt.Fprintf(&b, "<EXTRA_ELEMENT NAME=\"%s\" VAL=\"%s\"/>\n", extra[i], extra[i+1])
	}
	b.WriteString("</EXTRA_DATA>\n</METRIC>\n")
	return b.String()
}

var testNow = time.Unix(1000, 0).UTC()

func parseString(t testing.TB, doc string, opts ParseOptions) (*Report, error) {
	t.Helper()
	rep, err := Parse(strings.NewReader(doc), testNow, opts)
	if rep == nil {
		t.Fatalf("Parse returned a nil report (err %v)", err)
	}
	return rep, err
}

// mustCluster parses doc, which must be a complete cluster document.
func mustCluster(t testing.TB, doc string, opts ParseOptions) (*Report, *Cluster) {
	t.Helper()
	rep, err := parseString(t, doc, opts)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, doc)
	}
	if rep.Kind != KindCluster || rep.Cluster == nil || !rep.Complete {
		t.Fatalf("Kind %q Complete %v, want a complete cluster", rep.Kind, rep.Complete)
	}
	return rep, rep.Cluster
}

func findHost(c *Cluster, name string) *Host {
	for i := range c.Hosts {
		if c.Hosts[i].Name == name {
			return &c.Hosts[i]
		}
	}
	return nil
}

func findMetric(h *Host, name string) *Metric {
	for i := range h.Metrics {
		if h.Metrics[i].Name == name {
			return &h.Metrics[i]
		}
	}
	return nil
}

func findSummary(s Summary, name string) *SummaryMetric {
	for i := range s.Metrics {
		if s.Metrics[i].Name == name {
			return &s.Metrics[i]
		}
	}
	return nil
}
