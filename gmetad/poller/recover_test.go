package poller

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// brokenVal is what stock gmetad prints for the string VAL `hello <world> &
// x`: not escaped (PROTOCOL.md §5.2 quirk).
const brokenVal = `hello <world> & x`

func TestRecovery(t *testing.T) {
	good := func(name string) string { return metric(name, "1", "float", "GROUP", "g") }
	tests := []struct {
		name      string
		doc       string
		malformed int
		hosts     map[string][]string // host → metrics kept, in order
		check     func(t *testing.T, c *Cluster)
	}{
		{
			name: "unescaped < in a METRIC: the metric and its extras are skipped",
			doc: gmondDoc(host("a", "", good("m1"), metric("s", brokenVal, "string", "GROUP", "x"), good("m2")),
				host("b", "", good("m1"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1", "m2"}, "b": {"m1"}},
		},
		{
			name: "bare & is read literally",
			doc: strings.Replace(gmondDoc(host("a", "", metric("s", "R&D", "string", "DESC", "a & b"))),
				`OWNER="o"`, `OWNER="R&D"`, 1),
			hosts: map[string][]string{"a": {"s"}},
			check: func(t *testing.T, c *Cluster) {
				m := findMetric(&c.Hosts[0], "s")
				if c.Owner != "R&D" || m.Val != "R&D" || m.Extra[0].Val != "a & b" {
					t.Errorf("owner %q val %q extra %v", c.Owner, m.Val, m.Extra)
				}
			},
		},
		{
			name: "unescaped quote in a VAL",
			doc: gmondDoc(host("a", "", good("m1"),
				metricAttrs(`NAME="q" VAL="say "hi"" TYPE="string"`), good("m2"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1", "m2"}},
		},
		{
			name: "broken HOST line: the host and its metrics are skipped",
			doc: gmondDoc(host("a", "", good("m1")), host("b<c", "", good("m1"), good("m2")),
				host("d", "", good("m1"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1"}, "d": {"m1"}},
		},
		{
			name:      "broken EXTRA_ELEMENT: only that extra is lost",
			doc:       gmondDoc(host("a", "", metric("m", "1", "float", "GROUP", "a<b", "TITLE", "T"), good("m2"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m", "m2"}},
			check: func(t *testing.T, c *Cluster) {
				if got := findMetric(&c.Hosts[0], "m").Extra; fmt.Sprint(got) != "[{TITLE T}]" {
					t.Errorf("extras = %v", got)
				}
			},
		},
		{
			name:      "broken end tag still closes its element",
			doc:       strings.Replace(gmondDoc(host("a", "", good("m1"), good("m2"))), "</METRIC>", "</METRIC junk>", 1),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1", "m2"}},
		},
		{
			name:      "missing end tag is closed by its parent's",
			doc:       strings.Replace(gmondDoc(host("a", "", good("m1")), host("b", "", good("m1"))), "</METRIC>\n</HOST>", "</HOST>", 1),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1"}, "b": {"m1"}},
		},
		{
			name:      "stray end tag is ignored",
			doc:       strings.Replace(gmondDoc(host("a", "", good("m1"))), "</HOST>", "</HOST>\n</METRIC>", 1),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1"}},
		},
		{
			name: "control character reference (gmond's two-digit &#NN; bug)",
			doc: gmondDoc(host("a", "", good("m1"), metricAttrs(`NAME="s" VAL="caf&#23;" TYPE="string"`),
				good("m2"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1", "m2"}},
		},
		{
			name:      "garbage line between hosts",
			doc:       gmondDoc(host("a", "", good("m1")), "<<<>>> \xff\x00 junk\n", host("b", "", good("m1"))),
			malformed: 1,
			hosts:     map[string][]string{"a": {"m1"}, "b": {"m1"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, c := mustCluster(t, tc.doc, ParseOptions{})
			if got := rep.Skipped[ReasonMalformed]; got != tc.malformed {
				t.Errorf("malformed = %d, want %d (errors %q)", got, tc.malformed, rep.Errors)
			}
			if len(rep.Errors) != tc.malformed {
				t.Errorf("Errors = %q", rep.Errors)
			}
			got := map[string][]string{}
			for _, h := range c.Hosts {
				got[h.Name] = []string{}
				for _, m := range h.Metrics {
					got[h.Name] = append(got[h.Name], m.Name)
				}
			}
			if !reflect.DeepEqual(got, tc.hosts) {
				t.Errorf("hosts = %v, want %v", got, tc.hosts)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

// TestMalformedCaptures checks the recovery on the three stock gmetad
// answers that are not well-formed: the report equals that of the same
// document with the broken METRIC removed (which encoding/xml and stock
// gmetad can read), except for the skip count.
func TestMalformedCaptures(t *testing.T) {
	for _, name := range []string{"gmetad_xml_port", "gmetad_interactive_cluster", "gmetad_interactive_host"} {
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile("testdata/" + name + ".xml")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := stockganglia.ParseXML(doc); err == nil {
				t.Fatal("the capture is well-formed; it should show the gmetad escaping bug")
			}
			repaired := dropMetric(t, doc, "test_str")
			if _, err := stockganglia.ParseXML(repaired); err != nil {
				t.Fatalf("repaired capture: %v", err)
			}
			got, err := Parse(bytes.NewReader(doc), testNow, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse(bytes.NewReader(repaired), testNow, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Skipped[ReasonMalformed] != 1 || len(got.Errors) != 1 ||
				!strings.Contains(got.Errors[0], "<METRIC>") {
				t.Errorf("Skipped %v Errors %q, want one malformed METRIC", got.Skipped, got.Errors)
			}
			got.Skipped, got.Errors = want.Skipped, want.Errors
			if !reflect.DeepEqual(got, want) {
				t.Errorf("report differs from the repaired document's:\n got %+v\nwant %+v", got.Grid, want.Grid)
			}
		})
	}
}

// TestMalformedClusterKeepsHosts is the same recovery in authority mode: a
// gmond dump whose string VAL is unescaped keeps every other host and
// metric with all attributes.
func TestMalformedClusterKeepsHosts(t *testing.T) {
	doc, err := os.ReadFile("testdata/gmond_tcp_dump.xml")
	if err != nil {
		t.Fatal(err)
	}
	escaped := `VAL="hello &lt;world&gt; &amp; x"`
	broken := bytes.Replace(doc, []byte(escaped), []byte(`VAL="`+brokenVal+`"`), 1)
	if bytes.Equal(broken, doc) {
		t.Fatal("test_str not found in the capture")
	}
	got, err := Parse(bytes.NewReader(broken), testNow, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(bytes.NewReader(dropMetric(t, doc, "test_str")), testNow, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Skipped[ReasonMalformed] != 1 {
		t.Errorf("Skipped = %v", got.Skipped)
	}
	got.Skipped, got.Errors = want.Skipped, want.Errors
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report differs from the document without test_str")
	}
	if n := len(findHost(got.Cluster, "localhost").Metrics); n != 37 {
		t.Errorf("localhost kept %d metrics, want 38 - 1", n)
	}
}

// dropMetric removes the METRIC element called name (its lines up to
// </METRIC>) from a one-element-per-line document.
func dropMetric(t *testing.T, doc []byte, name string) []byte {
	t.Helper()
	var out []string
	skipping := false
	for _, line := range strings.SplitAfter(string(doc), "\n") {
		switch {
		case strings.HasPrefix(line, `<METRIC NAME="`+name+`"`):
			skipping = true
		case skipping:
			skipping = !strings.HasPrefix(line, "</METRIC>")
		default:
			out = append(out, line)
		}
	}
	return []byte(strings.Join(out, ""))
}

func TestMalformedInsideSkipped(t *testing.T) {
	// A broken line inside a host skipped for the host limit stays skipped
	// with the host.
	doc := gmondDoc(host("a", ""), host("b", "", metric("s", "a<b", "string"), metric("m", "1", "float")),
		host("c", ""))
	rep, c := mustCluster(t, doc, ParseOptions{MaxHosts: 2})
	want := map[Reason]int{ReasonHostLimit: 1, ReasonMalformed: 1}
	if !maps.Equal(rep.Skipped, want) || len(c.Hosts) != 2 || c.Hosts[1].Name != "b" || len(c.Hosts[1].Metrics) != 1 {
		t.Errorf("Skipped %v, hosts %+v", rep.Skipped, c.Hosts)
	}
	doc = gmondDoc(host("a", ""), host("b", "", metric("s", "a<b", "string"), metric("m", "1", "float")))
	rep, c = mustCluster(t, doc, ParseOptions{MaxHosts: 1})
	want = map[Reason]int{ReasonHostLimit: 1, ReasonMalformed: 1}
	if !maps.Equal(rep.Skipped, want) || len(c.Hosts) != 1 || len(c.Summary.Metrics) != 0 {
		t.Errorf("Skipped %v, hosts %+v", rep.Skipped, c.Hosts)
	}
}

func TestBrokenRootKeepsContent(t *testing.T) {
	doc := strings.Replace(gmondDoc(host("a", "")), `SOURCE="gmond"`, `SOURCE="gm<ond"`, 1)
	rep, c := mustCluster(t, doc, ParseOptions{})
	if rep.Skipped[ReasonMalformed] != 1 || len(c.Hosts) != 1 {
		t.Errorf("Skipped %v hosts %+v", rep.Skipped, c.Hosts)
	}
}

func TestMaxMalformed(t *testing.T) {
	var hosts []string
	for i := range 20 {
		hosts = append(hosts, host(fmt.Sprintf("h%d", i), "", metric("s", "a<b", "string")))
	}
	rep, err := parseString(t, gmondDoc(hosts...), ParseOptions{MaxMalformed: 5})
	if !errors.Is(err, ErrMalformed) || rep.Complete {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if len(rep.Cluster.Hosts) != 6 || len(rep.Errors) != 6 { // the sixth host is kept, its metric broke the limit
		t.Errorf("%d hosts, errors %q", len(rep.Cluster.Hosts), rep.Errors)
	}
}

func TestEncoding(t *testing.T) {
	latin1 := gmondDoc(host("caf\xe9", "", metric("m", "1", "float", "DESC", "\xb5s")))
	_, c := mustCluster(t, latin1, ParseOptions{})
	if h := c.Hosts[0]; h.Name != "café" || h.Metrics[0].Extra[0].Val != "µs" {
		t.Errorf("ISO-8859-1 host %q extra %q", h.Name, h.Metrics[0].Extra[0].Val)
	}
	utf8 := strings.Replace(gmondDoc(host("café", "")), "ISO-8859-1", "UTF-8", 1)
	if _, c := mustCluster(t, utf8, ParseOptions{}); c.Hosts[0].Name != "café" {
		t.Errorf("UTF-8 host %q", c.Hosts[0].Name)
	}
	// An encoding we cannot read loses the prolog line only; the rest is
	// read as UTF-8.
	other := strings.Replace(gmondDoc(host("a", "")), "ISO-8859-1", "UTF-16", 1)
	rep, c := mustCluster(t, other, ParseOptions{})
	if rep.Skipped[ReasonMalformed] != 1 || c.Hosts[0].Name != "a" {
		t.Errorf("Skipped %v hosts %+v", rep.Skipped, c.Hosts)
	}
}
