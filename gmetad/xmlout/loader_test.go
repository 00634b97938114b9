package xmlout

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loadDocs builds the Snapshot stock gmetad held from its own XML answers
// (test-only). It reads one element per line, as gmetad writes, and takes
// attribute values between quotes, so stock's unescaped '<' and '&' in
// string VALs (Q7) do not stop it. Each document's clock is its GRID
// LOCALTIME: T0 = LOCALTIME − TN reproduces gmetad's t0. Later documents
// add to earlier ones: a CLUSTER that lists HOSTs replaces the hosts, one
// with HOSTS/METRICS replaces the summary.
func loadDocs(t testing.TB, paths ...string) *Snapshot {
	t.Helper()
	snap := &Snapshot{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := loadDoc(snap, b); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	return snap
}

var attrRE = regexp.MustCompile(`([A-Z_]+)="([^"]*)"`)

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&")

type docLoader struct {
	snap   *Snapshot
	now    int64
	depth  int      // GRID depth
	src    *Source  // current CLUSTER or GRID source
	host   *Host    // current HOST
	sum    *Summary // where HOSTS/METRICS go
	extras *[]Extra // where EXTRA_ELEMENTs go
	reset  map[*Source]bool
}

func loadDoc(snap *Snapshot, doc []byte) error {
	l := &docLoader{snap: snap, sum: &snap.Summary, reset: map[*Source]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(doc))
	sc.Buffer(nil, 1<<20)
	body := false
	for sc.Scan() {
		line := sc.Text()
		if !body {
			body = strings.HasPrefix(line, "<GANGLIA_XML")
			continue
		}
		l.line(line)
	}
	return sc.Err()
}

func tagAttrs(line string) (string, map[string]string) {
	tag := strings.TrimLeft(line, "<")
	if i := strings.IndexAny(tag, " >/"); i > 0 && !strings.HasPrefix(tag, "/") {
		tag = tag[:i]
	} else {
		tag = strings.TrimRight(tag, ">")
	}
	a := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(line, -1) {
		a[m[1]] = unescaper.Replace(m[2])
	}
	return tag, a
}

func num[T int | int64 | uint32](s string) T {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return T(v)
	}
	return 0
}

func (l *docLoader) birth(tn string) time.Time {
	return time.Unix(l.now-num[int64](tn), 0)
}

func (l *docLoader) source(kind SourceKind, name string) *Source {
	for i := range l.snap.Sources {
		if l.snap.Sources[i].Name == name {
			return &l.snap.Sources[i]
		}
	}
	l.snap.Sources = append(l.snap.Sources, Source{Kind: kind, Name: name})
	return &l.snap.Sources[len(l.snap.Sources)-1]
}

func (l *docLoader) line(line string) {
	tag, a := tagAttrs(line)
	switch tag {
	case "GRID":
		l.grid(a)
	case "/GRID":
		l.depth--
		l.src, l.sum = nil, &l.snap.Summary
	case "CLUSTER":
		l.cluster(a)
	case "/CLUSTER":
		l.src, l.sum = nil, &l.snap.Summary
	case "HOSTS":
		l.sum.Up, l.sum.Down, l.sum.Metrics = num[int](a["UP"]), num[int](a["DOWN"]), nil
	case "METRICS":
		l.sum.Metrics = append(l.sum.Metrics, summaryMetric(a))
		l.extras = &l.sum.Metrics[len(l.sum.Metrics)-1].Extra
	case "HOST":
		l.hostStart(a)
	case "METRIC":
		l.host.Metrics = append(l.host.Metrics, Metric{
			Name: a["NAME"], Val: a["VAL"], Type: a["TYPE"], Units: a["UNITS"],
			Slope: a["SLOPE"], Source: a["SOURCE"], TMax: num[uint32](a["TMAX"]),
			DMax: num[uint32](a["DMAX"]), T0: l.birth(a["TN"]),
		})
		l.extras = &l.host.Metrics[len(l.host.Metrics)-1].Extra
	case "EXTRA_ELEMENT":
		*l.extras = append(*l.extras, Extra{Name: a["NAME"], Val: a["VAL"]})
	}
}

func (l *docLoader) grid(a map[string]string) {
	if l.depth == 0 {
		l.snap.Grid = GridInfo{Name: a["NAME"], Authority: a["AUTHORITY"]}
		l.now = num[int64](a["LOCALTIME"])
	} else {
		l.src = l.source(Grid, a["NAME"])
		l.src.Authority, l.src.LocalTime = a["AUTHORITY"], num[int64](a["LOCALTIME"])
		l.sum = &l.src.Summary
	}
	l.depth++
}

func (l *docLoader) cluster(a map[string]string) {
	l.src = l.source(Cluster, a["NAME"])
	l.src.Owner, l.src.LatLong, l.src.URL = a["OWNER"], a["LATLONG"], a["URL"]
	l.src.LocalTime = num[int64](a["LOCALTIME"])
	l.sum = &l.src.Summary
}

func (l *docLoader) hostStart(a map[string]string) {
	if !l.reset[l.src] {
		l.src.Hosts, l.reset[l.src] = nil, true
	}
	started, err := strconv.ParseUint(a["GMOND_STARTED"], 10, 32)
	if err != nil { // gmond prints its garbage with %d
		started = uint64(uint32(num[int64](a["GMOND_STARTED"])))
	}
	l.src.Hosts = append(l.src.Hosts, Host{
		Name: a["NAME"], IP: a["IP"], Location: a["LOCATION"], Tags: a["TAGS"],
		Reported: num[int64](a["REPORTED"]), T0: l.birth(a["TN"]),
		TMax: num[uint32](a["TMAX"]), DMax: num[uint32](a["DMAX"]),
		GmondStarted: uint32(started),
	})
	l.host = &l.src.Hosts[len(l.src.Hosts)-1]
}

// summaryMetric reads a METRICS element. The printed SUM already carries
// the precision; Int and Float with precision 0 print alike, so the kind
// is guessed from the '.'.
func summaryMetric(a map[string]string) SummaryMetric {
	sum, _ := strconv.ParseFloat(a["SUM"], 64)
	m := SummaryMetric{Name: a["NAME"], Sum: sum, Num: num[uint32](a["NUM"]),
		Kind: UInt, Units: a["UNITS"], Slope: a["SLOPE"]}
	if i := strings.LastIndexByte(a["SUM"], '.'); i >= 0 {
		m.Kind, m.Precision = Float, len(a["SUM"])-i-1
	}
	return m
}
