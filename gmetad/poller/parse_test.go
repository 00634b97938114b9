package poller

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
)

func TestAliveRule(t *testing.T) {
	// The cluster's LOCALTIME is 1000.
	tests := []struct {
		name    string
		version string
		attrs   string
		up      bool
	}{
		{"TN below 4×TMAX", "3.7.2", `IP="x" REPORTED="0" TN="79" TMAX="20"`, true},
		{"TN at 4×TMAX", "3.7.2", `IP="x" REPORTED="1000" TN="80" TMAX="20"`, false},
		{"TMAX 0 reported 59 s ago", "3.7.2", `IP="x" REPORTED="941" TN="9999" TMAX="0"`, true},
		{"TMAX 0 reported 60 s ago", "3.7.2", `IP="x" REPORTED="940" TN="0" TMAX="0"`, false},
		{"TMAX 0 reported 59 s ahead", "3.7.2", `IP="x" REPORTED="1059" TN="0" TMAX="0"`, true},
		{"TMAX absent counts as 0", "3.7.2", `IP="x" REPORTED="2000" TN="0"`, false},
		{"old stream ignores TN", "2.4.1", `IP="x" REPORTED="990" TN="9999" TMAX="20"`, true},
		{"old stream reported long ago", "2.4.1", `IP="x" REPORTED="100" TN="0" TMAX="20"`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := gmondDoc(host("h", tc.attrs, metric("m", "1", "uint32")))
			doc = strings.Replace(doc, `VERSION="3.7.2"`, `VERSION="`+tc.version+`"`, 1)
			rep, c := mustCluster(t, doc, ParseOptions{})
			h := findHost(c, "h")
			if h == nil || h.Up != tc.up {
				t.Fatalf("host = %+v, want Up %v", h, tc.up)
			}
			wantUp, wantDown, wantMetrics, wantSkip := uint32(1), uint32(0), 1, 0
			if !tc.up {
				wantUp, wantDown, wantMetrics, wantSkip = 0, 1, 0, 1
			}
			if c.Summary.Up != wantUp || c.Summary.Down != wantDown {
				t.Errorf("summary up/down = %d/%d, want %d/%d", c.Summary.Up, c.Summary.Down, wantUp, wantDown)
			}
			// A down host keeps no metrics and adds nothing to the summary.
			if len(h.Metrics) != wantMetrics || len(c.Summary.Metrics) != wantMetrics {
				t.Errorf("%d metrics, %d summary entries, want %d", len(h.Metrics), len(c.Summary.Metrics), wantMetrics)
			}
			if rep.Skipped[ReasonHostDown] != wantSkip {
				t.Errorf("Skipped = %v", rep.Skipped)
			}
		})
	}
}

func TestMetricRules(t *testing.T) {
	m := func(attrs string) string { return metricAttrs(`NAME="m" ` + attrs) }
	tests := []struct {
		name    string
		metric  string
		skipped Reason // "" = kept
		numeric bool
		value   float64
	}{
		{"DMAX exceeded", m(`VAL="1" TYPE="float" TN="11" DMAX="10"`), ReasonExpired, false, 0},
		{"DMAX reached", m(`VAL="1" TYPE="float" TN="10" DMAX="10"`), "", true, 1},
		{"DMAX 0 never expires", m(`VAL="1" TYPE="float" TN="999999" DMAX="0"`), "", true, 1},
		{"unknown type", m(`VAL="1" TYPE="int64"`), ReasonUnknownType, false, 0},
		{"types are case-sensitive", m(`VAL="1" TYPE="Float"`), ReasonUnknownType, false, 0},
		{"no TYPE", m(`VAL="1"`), ReasonMissingAttr, false, 0},
		{"no VAL", m(`TYPE="float"`), ReasonMissingAttr, false, 0},
		{"int8", m(`VAL="-42" TYPE="int8"`), "", true, -42},
		{"uint8", m(`VAL="200" TYPE="uint8"`), "", true, 200},
		{"int16", m(`VAL="-1234" TYPE="int16"`), "", true, -1234},
		{"uint16", m(`VAL="65000" TYPE="uint16"`), "", true, 65000},
		{"int32", m(`VAL="-2000000000" TYPE="int32"`), "", true, -2e9},
		{"uint32", m(`VAL="4000000000" TYPE="uint32"`), "", true, 4e9},
		{"float", m(`VAL="0.42" TYPE="float"`), "", true, 0.42},
		{"double exponent", m(`VAL="1.5e10" TYPE="double"`), "", true, 1.5e10},
		{"strtod prefix", m(`VAL="12.5abc" TYPE="double"`), "", true, 12.5},
		{"not a number", m(`VAL="abc" TYPE="float"`), "", true, 0},
		{"timestamp is not summed", m(`VAL="1795300688" TYPE="timestamp"`), "", false, 0},
		{"string", m(`VAL="Linux" TYPE="string"`), "", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, c := mustCluster(t, gmondDoc(host("h", "", tc.metric)), ParseOptions{})
			got := findMetric(&c.Hosts[0], "m")
			if tc.skipped != "" {
				if got != nil || rep.Skipped[tc.skipped] != 1 {
					t.Fatalf("metric %+v kept, Skipped %v; want it skipped as %s", got, rep.Skipped, tc.skipped)
				}
				return
			}
			if got == nil {
				t.Fatalf("metric skipped: %v", rep.Skipped)
			}
			if got.Numeric != tc.numeric || got.Value != tc.value {
				t.Errorf("Numeric %v Value %v, want %v %v", got.Numeric, got.Value, tc.numeric, tc.value)
			}
			if sum := findSummary(c.Summary, "m"); (sum != nil) != tc.numeric {
				t.Errorf("summary entry %+v, want one only for numeric metrics", sum)
			}
		})
	}
}

func TestMetricSourceDefault(t *testing.T) {
	// gmond never writes SOURCE; gmetad prints the DTD default (Q14).
	_, c := mustCluster(t, gmondDoc(host("h", "",
		metric("plain", "1", "uint32"),
		metricAttrs(`NAME="given" VAL="1" TYPE="uint32" SOURCE="gmond"`),
		metricAttrs(`NAME="other" VAL="1" TYPE="uint32" SOURCE="gmetric"`),
	)), ParseOptions{})
	for name, want := range map[string]string{"plain": "gmond", "given": "gmond", "other": "gmetric"} {
		if got := findMetric(&c.Hosts[0], name).Source; got != want {
			t.Errorf("%s: SOURCE %q, want %q", name, got, want)
		}
	}
}

func TestExtraElements(t *testing.T) {
	var extras []string
	for i := range 40 {
		extras = append(extras, fmt.Sprintf("K%d", i), "v")
	}
	rep, c := mustCluster(t, gmondDoc(
		host("a", "", metric("many", "1", "float", extras...),
			metric("m", "1", "float", "GROUP", "disk", "SPOOF_HOST", "1.2.3.4:a")),
		host("b", "", metric("m", "2.50", "float", "group", "DISK", "GROUP", "net", "SPOOF_HOST", "1.2.3.5:b")),
	), ParseOptions{})
	if got := len(findMetric(&c.Hosts[0], "many").Extra); got != maxExtras {
		t.Errorf("%d extras kept, want gmetad's maximum %d", got, maxExtras)
	}
	if rep.Skipped[ReasonExtraLimit] != 40-maxExtras {
		t.Errorf("Skipped = %v, want %d extra_limit", rep.Skipped, 40-maxExtras)
	}
	// Every host keeps its own extras, SPOOF_HOST included.
	if got := findMetric(&c.Hosts[1], "m").Extra; len(got) != 3 {
		t.Errorf("host b extras = %v", got)
	}
	// The summary copies each name+value once (case-insensitive), without
	// SPOOF_HOST; its sum and NUM cover both hosts.
	sum := findSummary(c.Summary, "m")
	want := []Extra{{"GROUP", "disk"}, {"GROUP", "net"}}
	if fmt.Sprint(sum.Extra) != fmt.Sprint(want) || sum.Sum != 3.5 || sum.Num != 2 || sum.Precision != 0 {
		t.Errorf("summary = %+v, want Sum 3.5 Num 2 Precision 0 (from the first VAL) Extra %v", *sum, want)
	}
}

func TestGridSummary(t *testing.T) {
	doc := prolog + `<GANGLIA_XML VERSION="3.7.2" SOURCE="gmetad">
<GRID NAME="g" AUTHORITY="http://g/" LOCALTIME="1000">
<CLUSTER NAME="c1" LOCALTIME="999">
` + host("up", "", metric("load", "1.25", "float"), metric("os", "Linux", "string")) +
		host("down", `IP="x" REPORTED="0" TN="500" TMAX="20"`, metric("load", "7", "float")) + `</CLUSTER>
<GRID NAME="remote" AUTHORITY="http://r/" LOCALTIME="998">
<HOSTS UP="10" DOWN="2" SOURCE="gmetad"/>
<METRICS NAME="load" SUM="20.5000" NUM="10" TYPE="double" UNITS=" " SLOPE="both" SOURCE="gmond">
<EXTRA_DATA>
<EXTRA_ELEMENT NAME="GROUP" VAL="load"/>
</EXTRA_DATA>
</METRICS>
<METRICS NAME="disk" SUM="100" NUM="3" TYPE="double" UNITS="GB" SLOPE="both" SOURCE="gmond">
</METRICS>
<METRICS NAME="odd" SUM="1" NUM="1" TYPE="int64"/>
</GRID>
</GRID>
</GANGLIA_XML>
`
	rep, err := parseString(t, doc, ParseOptions{})
	if err != nil || rep.Kind != KindGrid || !rep.Complete || rep.Cluster != nil {
		t.Fatalf("Kind %q Complete %v err %v", rep.Kind, rep.Complete, err)
	}
	g := rep.Grid
	if g.Name != "g" || g.Authority != "http://g/" || g.LocalTime != 1000 {
		t.Errorf("grid = %+v", g)
	}
	if g.Summary.Up != 11 || g.Summary.Down != 3 {
		t.Errorf("up/down = %d/%d, want 11/3", g.Summary.Up, g.Summary.Down)
	}
	want := []SummaryMetric{
		{Name: "load", Sum: 21.75, Num: 11, Type: "float", Units: "u", Slope: "both", Precision: 2},
		{Name: "disk", Sum: 100, Num: 3, Type: "double", Units: "GB", Slope: "both"},
	}
	if fmt.Sprint(g.Summary.Metrics) != fmt.Sprint(want) {
		t.Errorf("summary\n got %+v\nwant %+v", g.Summary.Metrics, want)
	}
	wantSkip := map[Reason]int{ReasonHostDown: 1, ReasonUnknownType: 1}
	if !maps.Equal(rep.Skipped, wantSkip) {
		t.Errorf("Skipped = %v, want %v", rep.Skipped, wantSkip)
	}
}

func TestZeroSummaryKept(t *testing.T) {
	// A metric whose hosts are all down still has no entry in this poll:
	// gmetad's zeroed entries (Q12) live in the state, not in the poll.
	_, c := mustCluster(t, gmondDoc(host("h", `IP="x" REPORTED="0" TN="500" TMAX="20"`,
		metric("m", "1", "float"))), ParseOptions{})
	if len(c.Summary.Metrics) != 0 || c.Summary.Down != 1 {
		t.Errorf("summary = %+v", c.Summary)
	}
}

func TestSourceShape(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		kind    Kind
		err     error
		skipped map[Reason]int
	}{
		{"empty input", "", "", ErrNoSource, nil},
		{"only the root", prolog + "<GANGLIA_XML VERSION=\"3.7.2\" SOURCE=\"gmond\">\n</GANGLIA_XML>\n", "", ErrNoSource, nil},
		{"host outside a cluster", prolog + "<GANGLIA_XML>\n" + host("h", "") + "</GANGLIA_XML>\n",
			"", ErrNoSource, map[Reason]int{ReasonOutsideSource: 1}},
		{"second cluster", strings.Replace(gmondDoc(host("a", "")), "</CLUSTER>\n",
			"</CLUSTER>\n<CLUSTER NAME=\"d\" LOCALTIME=\"1\">\n"+host("b", "")+"</CLUSTER>\n", 1),
			KindCluster, nil, map[Reason]int{ReasonExtraSource: 1}},
		{"cluster without a name", strings.Replace(gmondDoc(host("a", "")), `NAME="c" `, "", 1),
			"", ErrNoSource, map[Reason]int{ReasonMissingAttr: 1}},
		{"no GANGLIA_XML root", "<CLUSTER NAME=\"c\" LOCALTIME=\"1000\">\n" + host("a", "") + "</CLUSTER>\n",
			KindCluster, nil, nil},
		{"truncated", strings.TrimSuffix(gmondDoc(host("a", ""), host("b", "")), "</CLUSTER>\n</GANGLIA_XML>\n"),
			KindCluster, ErrTruncated, nil},
		{"truncated inside a tag", gmondDoc(host("a", ""))[:len(gmondDoc(host("a", "")))-20],
			KindCluster, ErrTruncated, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := parseString(t, tc.doc, ParseOptions{})
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if rep.Kind != tc.kind || rep.Complete != (tc.err == nil) {
				t.Errorf("Kind %q Complete %v", rep.Kind, rep.Complete)
			}
			if !maps.Equal(rep.Skipped, tc.skipped) && len(rep.Skipped)+len(tc.skipped) > 0 {
				t.Errorf("Skipped = %v, want %v", rep.Skipped, tc.skipped)
			}
			if tc.kind == KindCluster && findHost(rep.Cluster, "a") == nil {
				t.Errorf("host a lost: %+v", rep.Cluster)
			}
		})
	}
}
