package poller

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fuzzOpts are small limits, so the fuzzer reaches them.
var fuzzOpts = ParseOptions{MaxBytes: 1 << 16, MaxHosts: 4, MaxMetricsPerHost: 8, MaxNameLen: 32,
	MaxSummaryMetrics: 16, MaxMalformed: 50}

// FuzzParse: Parse never panics, keeps within its limits, reads no more
// than MaxBytes (+1 to notice), and a cluster it parsed completely
// round-trips: rendered back as a well-formed gmond dump and parsed again it
// gives the same cluster.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for i, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(fuzzSeed(b, i == 0))
	}
	f.Add(gzipBytes(f, []byte(gmondDoc(host("a", "", metric("m", "1", "float", "G", "g"))))))
	f.Add([]byte(gmondDoc(host("a", "", metric("s", brokenVal, "string")), host("b<", ""))))
	f.Add([]byte("<CLUSTER NAME='c'><HOST NAME=h TMAX=0 REPORTED=1><METRIC NAME=m VAL=1 TYPE=float/></HOST>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &countingReader{r: bytes.NewReader(data)}
		rep, err := Parse(src, testNow, fuzzOpts)
		if rep == nil {
			t.Fatalf("nil report, err %v", err)
		}
		if src.n > fuzzOpts.MaxBytes+1 {
			t.Fatalf("read %d bytes, limit %d", src.n, fuzzOpts.MaxBytes)
		}
		checkLimits(t, rep, fuzzOpts)
		if err != nil || rep.Kind != KindCluster {
			return
		}
		doc := renderCluster(rep)
		opts := fuzzOpts
		opts.MaxBytes = 1 << 24 // escaping may make the rendering longer
		again, err := Parse(strings.NewReader(doc), testNow, opts)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, doc)
		}
		if again.Skipped[ReasonMalformed] != 0 {
			t.Fatalf("rendering is not well-formed: %q\n%s", again.Errors, doc)
		}
		a, b := *rep.Cluster, *again.Cluster
		a.Summary, b.Summary = Summary{}, Summary{} // METRICS elements are not rendered
		if !reflect.DeepEqual(canonical(a), canonical(b)) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v\n%s", b, a, doc)
		}
	})
}

// fuzzSeed shortens a capture to its first 40 body lines, and its broken
// line if it has one, closed by every end tag; small seeds keep the
// fuzzer's minimising fast. keepDTD keeps the DOCTYPE of one seed.
func fuzzSeed(b []byte, keepDTD bool) []byte {
	var out []string
	body, inDTD := 0, false
	for _, line := range strings.SplitAfter(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "<!DOCTYPE"):
			inDTD = true
		case inDTD:
			inDTD = !strings.HasPrefix(line, "]>")
		case strings.HasPrefix(line, "<?xml"):
		default:
			body++
			if body > 40 && !strings.Contains(line, brokenVal) {
				continue
			}
		}
		if keepDTD || !inDTD && !strings.HasPrefix(line, "]>") {
			out = append(out, line)
		}
	}
	out = append(out, "</EXTRA_DATA>\n</METRIC>\n</HOST>\n</CLUSTER>\n</GRID>\n</GANGLIA_XML>\n")
	return []byte(strings.Join(out, ""))
}

func checkLimits(t *testing.T, rep *Report, o ParseOptions) {
	t.Helper()
	if len(rep.Errors) > maxErrors {
		t.Fatalf("%d errors kept", len(rep.Errors))
	}
	var sums []Summary
	if rep.Grid != nil {
		sums = append(sums, rep.Grid.Summary)
		if len(rep.Grid.Name) > o.MaxNameLen {
			t.Fatalf("grid name of %d bytes", len(rep.Grid.Name))
		}
	}
	if c := rep.Cluster; c != nil {
		sums = append(sums, c.Summary)
		if len(c.Hosts) > o.MaxHosts || len(c.Name) > o.MaxNameLen {
			t.Fatalf("%d hosts, name of %d bytes", len(c.Hosts), len(c.Name))
		}
		for _, h := range c.Hosts {
			if len(h.Metrics) > o.MaxMetricsPerHost || len(h.Name) > o.MaxNameLen || (!h.Up && len(h.Metrics) > 0) {
				t.Fatalf("host %q: %d metrics, up %v", h.Name, len(h.Metrics), h.Up)
			}
			for _, m := range h.Metrics {
				if len(m.Extra) > maxExtras || len(m.Name) > o.MaxNameLen {
					t.Fatalf("metric %q: %d extras", m.Name, len(m.Extra))
				}
			}
		}
	}
	for _, s := range sums {
		if len(s.Metrics) > o.MaxSummaryMetrics {
			t.Fatalf("%d summary entries", len(s.Metrics))
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// canonical replaces NaN values, which never compare equal, by a marker.
func canonical(c Cluster) Cluster {
	hosts := make([]Host, len(c.Hosts))
	for i, h := range c.Hosts {
		h.Metrics = append([]Metric(nil), h.Metrics...)
		for j := range h.Metrics {
			if math.IsNaN(h.Metrics[j].Value) {
				h.Metrics[j].Value = -1.25e-300
			}
		}
		hosts[i] = h
	}
	c.Hosts = hosts
	return c
}

// renderCluster writes a report's cluster as a gmond dump, every value
// escaped (test-only: the real XML writer is the XML server's job).
func renderCluster(rep *Report) string {
	var b strings.Builder
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString(prolog)
	b.WriteString("<GANGLIA_XML")
	if rep.Version != "" || rep.Old {
		fmt.Fprintf(&b, ` VERSION="%s"`, esc(rep.Version))
	}
	fmt.Fprintf(&b, " SOURCE=\"%s\">\n", esc(rep.Source))
	c := rep.Cluster
	fmt.Fprintf(&b, "<CLUSTER NAME=\"%s\" LOCALTIME=\"%d\" OWNER=\"%s\" LATLONG=\"%s\" URL=\"%s\">\n",
		esc(c.Name), c.LocalTime, esc(c.Owner), esc(c.LatLong), esc(c.URL))
	for _, h := range c.Hosts {
		fmt.Fprintf(&b, "<HOST NAME=\"%s\" IP=\"%s\" TAGS=\"%s\" REPORTED=\"%d\" TN=\"%d\" TMAX=\"%d\" DMAX=\"%d\" LOCATION=\"%s\" GMOND_STARTED=\"%d\">\n",
			esc(h.Name), esc(h.IP), esc(h.Tags), h.Reported, h.TN, h.TMax, h.DMax, esc(h.Location), h.GmondStarted)
		for _, m := range h.Metrics {
			fmt.Fprintf(&b, "<METRIC NAME=\"%s\" VAL=\"%s\" TYPE=\"%s\" UNITS=\"%s\" TN=\"%d\" TMAX=\"%d\" DMAX=\"%d\" SLOPE=\"%s\" SOURCE=\"%s\">\n<EXTRA_DATA>\n",
				esc(m.Name), esc(m.Val), esc(m.Type), esc(m.Units), m.TN, m.TMax, m.DMax, esc(m.Slope), esc(m.Source))
			for _, e := range m.Extra {
				fmt.Fprintf(&b, "<EXTRA_ELEMENT NAME=\"%s\" VAL=\"%s\"/>\n", esc(e.Name), esc(e.Val))
			}
			b.WriteString("</EXTRA_DATA>\n</METRIC>\n")
		}
		b.WriteString("</HOST>\n")
	}
	b.WriteString("</CLUSTER>\n</GANGLIA_XML>\n")
	return b.String()
}
