package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// now is the fixed clock of every test.
var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// The fixture's managed systems and its one awkward host name, which
// must come out escaped everywhere.
const (
	sysA    = "P550-DC1-R01"
	sysB    = "P770-DC1-R05"
	sysC    = "P880-DC2-R01"
	oddHost = `x<b>"&'`
)

// fakeSource is a fixed gmetad state.
type fakeSource struct {
	snap   *xmlout.Snapshot
	moves  []grid.Move
	health Health
}

func (f *fakeSource) Snapshot(time.Time) *xmlout.Snapshot { return f.snap }
func (f *fakeSource) Moves() []grid.Move                  { return f.moves }
func (f *fakeSource) Health() Health                      { return f.health }

// lpar describes one fixture host by its key metrics.
type lpar struct {
	name                   string
	physc, entc, ent, pool float64
	load                   float64
	memGiB, freeGiB        float64
	in, out                float64
	down                   bool
}

func metric(name, val, typ, units, group, title string) xmlout.Metric {
	m := xmlout.Metric{Name: name, Val: val, Type: typ, Units: units, Slope: "both", TMax: 60,
		T0: now.Add(-5 * time.Second)}
	if group != "" {
		m.Extra = append(m.Extra, xmlout.Extra{Name: "GROUP", Val: group})
	}
	if title != "" {
		m.Extra = append(m.Extra, xmlout.Extra{Name: "TITLE", Val: title}, xmlout.Extra{Name: "DESC", Val: title + " of the LPAR"})
	}
	return m
}

func ff(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func (l lpar) host(i int) xmlout.Host {
	reported := now.Add(-10 * time.Second)
	if l.down {
		reported = now.Add(-10 * time.Minute)
	}
	const kb = 1 << 20
	return xmlout.Host{Name: l.name, IP: fmt.Sprintf("10.0.0.%d", i+1), Location: "8204-E8A_0000001",
		Reported: reported.Unix(), T0: reported, TMax: 20, Metrics: []xmlout.Metric{
			metric("cpu_used", ff(l.physc), "float", "cores", "cpu", "Physical CPU used"),
			metric("cpu_ec", ff(l.entc), "float", "%", "cpu", "Entitlement used"),
			metric("cpu_entitlement", ff(l.ent), "float", "cores", "cpu", ""),
			metric("cpu_in_pool", ff(l.pool), "uint32", "cores", "cpu", ""),
			metric("load_one", ff(l.load), "float", " ", "load", "One minute load average"),
			metric("mem_total", ff(l.memGiB*kb), "float", "KB", "memory", ""),
			metric("mem_free", ff(l.freeGiB*kb), "float", "KB", "memory", ""),
			metric("bytes_in", ff(l.in), "float", "bytes/sec", "network", ""),
			metric("bytes_out", ff(l.out), "float", "bytes/sec", "network", ""),
			metric("os_name", "AIX", "string", "", "system", "Operating System"),
			metric("no_group", "7", "uint16", "", "", ""),
		}}
}

func cluster(name string, lpars ...lpar) xmlout.Source {
	s := xmlout.Source{Kind: xmlout.Cluster, Name: name}
	for i, l := range lpars {
		s.Hosts = append(s.Hosts, l.host(i))
		if l.down {
			s.Summary.Down++
		} else {
			s.Summary.Up++
		}
	}
	return s
}

// fixtureSource is three managed systems, a remote grid and two moves:
// db01 from A to B two hours ago, app02 from B to C half an hour ago.
func fixtureSource() *fakeSource {
	snap := &xmlout.Snapshot{Grid: xmlout.GridInfo{Name: "DC grid"}, Sources: []xmlout.Source{
		cluster(sysA,
			lpar{name: "web01", physc: 0.25, entc: 50, ent: 0.5, pool: 8, load: 0.5, memGiB: 8, freeGiB: 2, in: 1500, out: 3000},
			lpar{name: "web02", physc: 0.40, entc: 80, ent: 0.5, pool: 8, load: 1.25, memGiB: 8, freeGiB: 6, in: 500, out: 700}),
		cluster(sysB,
			lpar{name: "db01", physc: 1.00, entc: 100, ent: 1, pool: 16, load: 2, memGiB: 64, freeGiB: 16, in: 2e6, out: 1e6},
			lpar{name: "db02", physc: 0.50, entc: 25, ent: 2, pool: 16, load: 1, memGiB: 32, freeGiB: 30, in: 1000, out: 2000},
			lpar{name: oddHost, physc: 0.10, entc: 10, ent: 1, pool: 14, load: 0.1, memGiB: 4, freeGiB: 1, in: 10, out: 20},
			lpar{name: "old01", physc: 3, entc: 300, ent: 1, pool: 99, load: 9, memGiB: 4, freeGiB: 1, in: 10, out: 20, down: true}),
		cluster(sysC,
			lpar{name: "app02", physc: 2.00, entc: 66.7, ent: 3, pool: 32, load: 3, memGiB: 16, freeGiB: 4, in: 4e5, out: 2e5},
			lpar{name: "app03", physc: 0.05, entc: 5, ent: 1, pool: 32, load: 0.05, memGiB: 16, freeGiB: 15, in: 100, out: 100}),
		{Kind: xmlout.Grid, Name: "remote-grid", Summary: xmlout.Summary{Up: 5, Down: 1}},
	}}
	moves := []grid.Move{
		{Time: now.Add(-2 * time.Hour), Host: "db01", Key: "10.0.0.1", From: sysA, To: sysB},
		{Time: now.Add(-30 * time.Minute), Host: "app02", Key: "10.0.0.1", From: sysB, To: sysC},
	}
	health := Health{
		Started: now.Add(-time.Hour),
		Ports: []PortHealth{
			{Port: 8302, Cluster: sysB, Packets: 2000, Bytes: 400000, DecodeErrors: 0, Hosts: 4},
			{Port: 8301, Cluster: sysA, Packets: 1000, Bytes: 200000, DecodeErrors: 2, Denied: 1, Oversize: 3, Hosts: 2},
			{Port: 8303, Cluster: sysC, Packets: 1500, Bytes: 300000, DecodeErrors: 5, Hosts: 2},
		},
		RRD: RRDHealth{Updates: 36000, Errors: 3, SkippedSteps: 1, QueueDepth: 12, Lag: 1500 * time.Millisecond,
			LastStep: now.Add(-15 * time.Second)},
		XMLClients: 2, XMLRequests: 42,
		TreeCheck: &TreeCheck{Path: "/var/lib/ganglia/check.jsonl", Time: now.Add(-6 * time.Hour), Findings: 2,
			ByRule: map[string]int{"orphan-lpar": 1, "stray-file": 1}},
	}
	return &fakeSource{snap: snap, moves: moves, health: health}
}

// rrdHistory is how much data the fixture RRDs hold, up to now.
const rrdHistory = 4 * time.Hour

// fixturePhysc is the constant cpu_used each fixture RRD holds, so a stack
// is easy to check by hand.
var fixturePhysc = map[string]float64{"db01": 1, "db02": 0.5, "app02": 2, "web01": 0.25, "app03": 0.125}

// makeRRDs writes <root>/LPARS/<host>/cpu_used.rrd for fixturePhysc, every
// 15 s over rrdHistory, and db01's load_one.
func makeRRDs(t testing.TB, root string) {
	t.Helper()
	start := now.Add(-rrdHistory).Unix()
	write := func(host, metric string, v func(ts int64) float64) {
		dir := filepath.Join(root, "LPARS", host)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, metric+".rrd")
		if err := rrdstore.Create(path, rrdstore.GmetadSpec(15, start-1, "both", false, nil), rrdstore.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		var args []string
		for ts := start; ts <= now.Unix(); ts += 15 {
			args = append(args, strconv.FormatInt(ts, 10)+":"+strconv.FormatFloat(v(ts), 'g', -1, 64))
		}
		if err := rrdstore.Update(path, args...); err != nil {
			t.Fatal(err)
		}
	}
	for host, v := range fixturePhysc {
		write(host, "cpu_used", func(int64) float64 { return v })
	}
	// load_one rises by 1 each hour, so a golden series shows real steps.
	write("db01", "load_one", func(ts int64) float64 { return float64((ts-start)/3600) + 0.5 })
}

// newFixture returns a handler on the fixture state and fixture RRDs.
func newFixture(t testing.TB) (*fakeSource, http.Handler, string) {
	t.Helper()
	src := fixtureSource()
	root := t.TempDir()
	makeRRDs(t, root)
	return src, NewHandler(Options{Source: src, RRDRoot: root, Now: func() time.Time { return now }}), root
}

// get runs one GET through h from a loopback client.
func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
