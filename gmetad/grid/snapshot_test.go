package grid

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/poller"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestSnapshotHostAttributes: the HOST and METRIC lines of a UDP cluster,
// with TN counted at request time from the last packet.
func TestSnapshotHostAttributes(t *testing.T) {
	o := testOptions()
	o.Cluster.Tags = "power,lpar"
	g := New(o)
	g.SetClusters([]ClusterSpec{{Name: "A", Port: 8301, Owner: "Ops", URL: "http://a/"}})
	lpar := addr("10.0.0.1")
	handle(t, g, 8301, metadata("cpu_user", "float", 90, 0, xdr.Extra{Name: "GROUP", Data: "cpu"}, xdr.Extra{Name: "TITLE", Data: "CPU"}), lpar, at(0))
	handle(t, g, 8301, floatValue("cpu_user", 1.5), lpar, at(0.4))
	handle(t, g, 8301, &xdr.Message{ID: xdr.IDUInt, MetricID: xdr.MetricID{Name: "heartbeat"}, Value: xdr.Value{Fmt: "%u", U: 1795300000}}, lpar, at(3))
	handle(t, g, 8301, &xdr.Message{ID: xdr.IDString, MetricID: xdr.MetricID{Name: "location"}, Value: xdr.Value{Fmt: "%s", Str: "9117-MMB_0000002"}}, lpar, at(5.9))

	now := at(12.7)
	doc := full(t, g.Snapshot(now), now)
	sec := func(s float64) string { return strconv.FormatInt(at(s).Unix(), 10) }
	for _, want := range []string{
		`<GRID NAME="Test Grid" AUTHORITY="http://test/ganglia/" LOCALTIME="` + sec(12.7) + `">`,
		`<CLUSTER NAME="A" LOCALTIME="` + sec(12.7) + `" OWNER="Ops" LATLONG="unspecified" URL="http://a/">`,
		`<HOST NAME="lpar1.example.com" IP="10.0.0.1" REPORTED="` + sec(5.9) + `" TN="7" TMAX="20" DMAX="86400" LOCATION="9117-MMB_0000002" GMOND_STARTED="1795300000" TAGS="power,lpar">`,
		`<METRIC NAME="cpu_user" VAL="1.50" TYPE="float" UNITS="u" TN="12" TMAX="90" DMAX="0" SLOPE="both" SOURCE="gmond">` + "\n" +
			`<EXTRA_DATA>` + "\n" + `<EXTRA_ELEMENT NAME="TITLE" VAL="CPU"/>` + "\n" + `<EXTRA_ELEMENT NAME="GROUP" VAL="cpu"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("missing %s\nin %s", want, doc)
		}
	}
	if strings.Contains(doc, "heartbeat") || strings.Contains(doc, `NAME="location"`) {
		t.Errorf("heartbeat or location listed:\n%s", doc)
	}
	// The same snapshot served 30 s later: TN grows, nothing else.
	if later := full(t, g.Snapshot(now), now.Add(30*time.Second)); !strings.Contains(later, `TN="37"`) {
		t.Errorf("TN 30 s later:\n%s", later)
	}
}

// TestSnapshotCache: within SnapshotMaxAge callers share one view; a move
// or a cluster change ends it at once.
func TestSnapshotCache(t *testing.T) {
	o := testOptions()
	o.SnapshotMaxAge = time.Second
	g := newGrid(t, o)
	lpar := addr("10.0.0.1")
	report(t, g, 8301, lpar, at(0), 1, 1)
	s1 := g.Snapshot(at(0))
	handle(t, g, 8301, floatValue("cpu_user", 2), lpar, at(0.5))
	if g.Snapshot(at(0.9)) != s1 {
		t.Errorf("a new view within the max age")
	}
	s2 := g.Snapshot(at(1))
	if s2 == s1 || findMetric(findHost(source(t, s2, clA), "lpar1.example.com"), "cpu_user").Val != "2.00" {
		t.Errorf("no new view after the max age")
	}
	handle(t, g, 8302, floatValue("cpu_user", 3), lpar, at(1.1))
	if s3 := g.Snapshot(at(1.1)); s3 == s2 || findHost(source(t, s3, clB), "lpar1.example.com") == nil {
		t.Errorf("the view after a move is the old one")
	}
	s4 := g.Snapshot(at(1.2))
	g.SetClusters(threeClusters[:1])
	if s5 := g.Snapshot(at(1.2)); s5 == s4 || len(s5.Sources) != 1 {
		t.Errorf("the view after SetClusters is the old one")
	}
}

// parseTestdata parses a captured stock document at the time it was
// captured.
func parseTestdata(t *testing.T, name string) *poller.Report {
	t.Helper()
	doc, err := os.Open("testdata/" + name + ".xml")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	ts, err := os.ReadFile("testdata/" + name + ".time")
	if err != nil {
		t.Fatal(err)
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(string(ts)), 64)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := poller.Parse(doc, time.Unix(0, int64(secs*1e9)), poller.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestPolledCluster: a polled stock gmond dump is a CLUSTER source whose
// TNs grow from the poll, summarised like stock; it survives a dead poll
// (left out of the root), keeps hosts missing from a later poll, and
// expires them after their DMAX.
func TestPolledCluster(t *testing.T) {
	g := New(testOptions())
	g.SetClusters([]ClusterSpec{{Name: "udp", Port: 8301}})
	rep := parseTestdata(t, "gmond-dump-1")
	g.SetPolled("my ds", rep, rep.Time)
	now := rep.Time.Add(5 * time.Second)
	s := g.Snapshot(now)
	src := source(t, s, "P770-DC1-R05")
	if src.Kind != xmlout.Cluster || src.Owner != "Golden Owner" || src.LocalTime != 1795303199 || len(src.Hosts) != 3 {
		t.Fatalf("source %+v", src)
	}
	doc := full(t, s, now)
	for _, want := range []string{
		`<HOST NAME="lpar01.example.com" IP="lpar01.example.com" REPORTED="1795303197" TN="6" TMAX="20" DMAX="86400" LOCATION="8231-E2D_06AB35T" GMOND_STARTED="1795303137" TAGS="collector-tag">`,
		`<HOST NAME="localhost" IP="127.0.0.1" REPORTED="1795303150" TN="53" TMAX="20"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("missing %s in\n%s", want, doc)
		}
	}
	c := rep.Cluster
	if src.Summary.Up != int(c.Summary.Up) || len(src.Summary.Metrics) != len(c.Summary.Metrics) {
		t.Errorf("summary %d up %d metrics, poller %d %d", src.Summary.Up, len(src.Summary.Metrics), c.Summary.Up, len(c.Summary.Metrics))
	}
	checkSum(t, &src.Summary, "load_one", "0.23", 1)
	checkSum(t, &s.Summary, "load_one", "0.23", 1)
	if s.Summary.Up != 3 || g.Locate("lpar01.example.com")[0] != "P770-DC1-R05" {
		t.Errorf("root HOSTS %+v", s.Summary.Up)
	}

	g.PolledDead("my ds", now)
	s = g.Snapshot(now)
	if !hasSource(s, "P770-DC1-R05") || s.Summary.Up != 0 || sumOf(&s.Summary, "load_one").Num != 0 {
		t.Errorf("dead source: root %+v", s.Summary)
	}
	if st := g.Stats().Polled; len(st) != 1 || !st[0].Dead || st[0].Hosts != 3 || st[0].Source != "P770-DC1-R05" {
		t.Errorf("polled stats %+v", st)
	}

	// The next poll lists one host only: the others stay, with their
	// metrics, and their TN keeps growing.
	rep2 := parseTestdata(t, "gmond-dump-1")
	rep2.Cluster.Hosts = rep2.Cluster.Hosts[2:]
	rep2.Time = rep.Time.Add(15 * time.Second)
	g.SetPolled("my ds", rep2, rep2.Time)
	src = source(t, g.Snapshot(rep2.Time), "P770-DC1-R05")
	if h := findHost(src, "localhost"); len(src.Hosts) != 3 || h == nil || len(h.Metrics) != 1 || !h.T0.Equal(rep.Time.Add(-48*time.Second)) {
		t.Errorf("after a partial poll: %+v", src.Hosts)
	}
	if h, _ := g.Expire(rep.Time.Add(86400 * time.Second)); h != 2 {
		t.Errorf("expired %d polled hosts, want the two not polled again", h)
	}
	if src = source(t, g.Snapshot(rep.Time.Add(86400*time.Second)), "P770-DC1-R05"); len(src.Hosts) != 1 {
		t.Errorf("after expiry %+v", src.Hosts)
	}
}

// TestPolledGrid: a polled gmetad is a GRID source with its summary only,
// added to our root.
func TestPolledGrid(t *testing.T) {
	g := New(testOptions())
	rep := parseTestdata(t, "gmetad-full")
	g.SetPolled("remote", rep, rep.Time)
	s := g.Snapshot(rep.Time)
	src := source(t, s, "TestGrid")
	if src.Kind != xmlout.Grid || src.Authority != "http://golden.example.com/ganglia/" || len(src.Hosts) != 0 ||
		src.Summary.Up != 3 || len(src.Summary.Metrics) != len(rep.Grid.Summary.Metrics) {
		t.Fatalf("grid source %+v", src)
	}
	if s.Summary.Up != 3 || len(s.Summary.Metrics) != len(src.Summary.Metrics) {
		t.Errorf("root %+v", s.Summary)
	}
	for _, m := range rep.Grid.Summary.Metrics {
		if got := sumOf(&src.Summary, m.Name); got == nil || got.Sum != m.Sum || got.Num != m.Num {
			t.Errorf("%s: %+v, poller %+v", m.Name, got, m)
		}
	}
	g.SetPolled("remote", nil, rep.Time) // nothing to take
	if !hasSource(g.Snapshot(rep.Time), "TestGrid") {
		t.Errorf("a nil report removed the source")
	}
}
