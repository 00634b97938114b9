package main

// Live Partition Mobility end to end: one simulated LPAR moves across three
// managed systems while it keeps sending, as gmond does after LPM: the same
// source address, a new port, metadata first.

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/loadgen"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// lpar is a simulated LPAR: every second it sends load_one (float),
// cpu_num (uint16), a string metric and the heartbeat from its own loopback
// address to the port in target, with the metadata first after every
// change of port.
type lpar struct {
	s       *udpSender
	target  atomic.Int64
	ticks   atomic.Int64
	load    atomic.Value // string: the load_one value sent, e.g. "1.25"
	stopped chan struct{}
	done    chan error
	meta    [][]byte
	started uint32
}

func startLPAR(t *testing.T, ip string, port int, load string) *lpar {
	t.Helper()
	l := &lpar{s: newUDPSender(t, ip), stopped: make(chan struct{}), done: make(chan error, 1),
		started: uint32(time.Now().Unix())}
	id := func(name string) xdr.MetricID { return xdr.MetricID{Host: "lpar-e2e", Name: name} }
	l.meta = [][]byte{
		metaPkt(t, id("heartbeat"), "uint32", "", xdr.SlopeUnspecified, 20),
		metaPkt(t, id("load_one"), "float", " ", xdr.SlopeBoth, 70,
			xdr.Extra{Name: "GROUP", Data: "load"}, xdr.Extra{Name: "TITLE", Data: "One Minute Load Average"}),
		metaPkt(t, id("cpu_num"), "uint16", "CPUs", xdr.SlopeZero, 1200, xdr.Extra{Name: "GROUP", Data: "cpu"}),
		metaPkt(t, id("e2e_stage"), "string", "", xdr.SlopeZero, 60),
	}
	values := func() [][]byte {
		v, _ := l.load.Load().(string)
		f := float32(parseFloat(v))
		return [][]byte{
			valuePkt(t, xdr.IDUInt, id("heartbeat"), xdr.Value{Fmt: "%u", U: l.started}),
			valuePkt(t, xdr.IDFloat, id("load_one"), xdr.Value{Fmt: "%.2f", F32: f}),
			valuePkt(t, xdr.IDUShort, id("cpu_num"), xdr.Value{Fmt: "%hu", U: 8}),
			valuePkt(t, xdr.IDString, id("e2e_stage"), xdr.Value{Fmt: "%s", Str: "load " + v}),
		}
	}
	l.load.Store(load)
	l.target.Store(int64(port))
	go l.run(values)
	t.Cleanup(l.stop)
	return l
}

// run is the LPAR's gmond: paced by its own one-second ticker.
func (l *lpar) run(values func() [][]byte) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sentTo := int64(0)
	for {
		port := l.target.Load()
		if port != sentTo { // a new chassis: metadata first
			if err := l.s.send(int(port), l.meta...); err != nil {
				l.done <- err
				return
			}
			sentTo = port
		}
		if err := l.s.send(int(port), values()...); err != nil {
			l.done <- err
			return
		}
		l.ticks.Add(1)
		select {
		case <-l.stopped:
			l.done <- nil
			return
		case <-tick.C:
		}
	}
}

// moveTo retargets the LPAR, as LPM plus gmond's chassis check do.
func (l *lpar) moveTo(port int, load string) {
	l.load.Store(load)
	l.target.Store(int64(port))
}

func (l *lpar) stop() {
	select {
	case <-l.stopped:
	default:
		close(l.stopped)
		<-l.done
	}
}

// waitTicks waits until the LPAR has sent n more rounds.
func (l *lpar) waitTicks(t *testing.T, n int64) {
	t.Helper()
	want := l.ticks.Load() + n
	stockganglia.Eventually(t, time.Duration(n+5)*time.Second, func() error {
		if got := l.ticks.Load(); got < want {
			return fmt.Errorf("LPAR sent %d rounds, waiting for %d", got, want)
		}
		return nil
	})
}

func parseFloat(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

// lpmStep is the RRD step of our UDP clusters' host files, in seconds.
const lpmStep = 15

// TestE2ELPMMove: an LPAR moves A → B → C. After each move it is listed
// only under its current cluster, in the full XML and in the summaries,
// and the new cluster links to its one LPARS directory at once; the moves
// are logged; and its load_one.rrd holds one continuous series written in
// all three clusters. Each stage lasts until the host's RRD has been
// written there at a step boundary (steps are 15 s in our UDP clusters),
// so that the rows around both moves are complete; the test takes 35 to
// 50 s.
func TestE2ELPMMove(t *testing.T) {
	t.Parallel()
	const ip = "127.0.0.7"
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
			{Name: "P770-DC2-R35", Serial: "9117-MMB_0004711"},
		},
		MappingFlag: true,
		// A second move within the window of the first is a conflict
		// until the old chassis has been silent for a window (grid's LPM
		// rule); 2 s keeps the test short.
		Extra: []string{"lpm_conflict_window 2"},
	})
	loads := []string{"1.25", "2.50", "3.75"}
	l := startLPAR(t, ip, g.Systems[0].Port, loads[0])
	begin := time.Now().Unix()
	var name, rrd string
	for i, sys := range g.Systems {
		if i > 0 {
			l.moveTo(sys.Port, loads[i])
		}
		name = waitOnlyIn(t, g, sys.Name, ip, loads[i])
		arrived := time.Now().Unix()
		rrd = filepath.Join(g.RRDRoot, "LPARS", name, "load_one.rrd")
		if i == 0 {
			stockganglia.WaitForFile(t, rrd, 20*time.Second) // written at the first step
		}
		// A move links the new cluster at once (DESIGN.md: "creates
		// the symlink if missing"), not at the next step, so that
		// ganglia-web's graphs under the new cluster work right away.
		waitHostLink(t, g.RRDRoot, sys.Name, name, 5*time.Second)
		// Stay until the step boundary after the arrival has been
		// written here, so that the rows around each move are complete.
		waitRRDLast(t, rrd, (arrived/lpmStep+1)*lpmStep, 2*lpmStep*time.Second)
		l.waitTicks(t, 2)
		waitOnlyIn(t, g, sys.Name, ip, loads[i]) // still there, still alone
	}
	l.stop()
	checkRRDErrors(t, g)
	g.Stop(t)
	end := time.Now().Unix()

	for _, sys := range g.Systems {
		checkHostLink(t, g.RRDRoot, sys.Name, name)
	}
	checkMovesLogged(t, g, name)
	if fi, err := os.Stat(g.StateFile); err != nil || fi.Size() == 0 {
		t.Errorf("state file after SIGTERM: %v", err)
	}
	checkContinuous(t, rrd, begin, end)
}

// waitHostLink reports (without stopping the test) a cluster link that
// does not appear within timeout.
func waitHostLink(t *testing.T, root, cluster, host string, timeout time.Duration) {
	t.Helper()
	link := filepath.Join(root, cluster, host)
	if err := poll(timeout, func() error { _, err := os.Readlink(link); return err }); err != nil {
		t.Errorf("%s: no link %v after the host was listed in %s: %v", link, timeout, cluster, err)
	}
}

// waitOnlyIn waits until the host with source ip is listed in cluster, and
// in no other cluster, both in the xml_port document and in the
// interactive summary, with load_one = load. It returns the HOST NAME.
func waitOnlyIn(t *testing.T, g *gmetad, cluster, ip, load string) string {
	t.Helper()
	var name string
	stockganglia.Eventually(t, 15*time.Second, func() error {
		d, _, err := fetchDoc(g.XMLAddr)
		if err != nil {
			return err
		}
		for _, c := range d.AllClusters() {
			h := c.HostByIP(ip)
			switch {
			case c.Name == cluster && h == nil:
				return fmt.Errorf("host %s not (yet) in %s", ip, cluster)
			case c.Name != cluster && h != nil:
				return fmt.Errorf("host %s still in %s (want only %s)", ip, c.Name, cluster)
			case h != nil:
				if m := h.Metric("load_one"); m == nil || m.Val != load {
					return fmt.Errorf("%s/%s: load_one %+v, want VAL %s", cluster, h.Name, m, load)
				}
				name = h.Name
			}
		}
		if name == "" {
			return fmt.Errorf("no cluster %q in the xml_port document", cluster)
		}
		return checkSummaries(g, cluster, load)
	})
	return name
}

// checkSummaries checks /?filter=summary: one host up, and the load_one
// SUM, only in cluster; the other clusters count nobody.
func checkSummaries(g *gmetad, cluster, load string) error {
	d, _, err := queryDoc(g.InteractiveAddr, "/?filter=summary")
	if err != nil {
		return err
	}
	for _, c := range d.AllClusters() {
		up, s := 0, c.Summary("load_one")
		if c.HostsSummary != nil {
			up = c.HostsSummary.Up
		}
		if c.Name == cluster {
			if up != 1 || s == nil || s.Num != 1 || parseFloat(s.Sum) != parseFloat(load) {
				return fmt.Errorf("summary of %s: HOSTS UP %d, load_one %+v; want 1 up, SUM %s NUM 1", c.Name, up, s, load)
			}
			continue
		}
		if up != 0 || (s != nil && (s.Num != 0 || parseFloat(s.Sum) != 0)) {
			return fmt.Errorf("summary of %s (host is in %s): HOSTS UP %d, load_one %+v", c.Name, cluster, up, s)
		}
	}
	return nil
}

// checkMovesLogged looks for a log line naming the host and both clusters
// of each move.
func checkMovesLogged(t *testing.T, g *gmetad, name string) {
	t.Helper()
	lines := strings.Split(g.log(), "\n")
	for i := 1; i < len(g.Systems); i++ {
		from, to := g.Systems[i-1].Name, g.Systems[i].Name
		found := false
		for _, line := range lines {
			if strings.Contains(line, name) && strings.Contains(line, from) && strings.Contains(line, to) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no log line names host %s and the move %s -> %s (log %s)", name, from, to, g.logPath)
		}
	}
}

// checkContinuous fetches the file over the whole run: between the first
// and the last known row every row is known (a move lost no step), and
// there is at least one.
func checkContinuous(t *testing.T, path string, begin, end int64) {
	t.Helper()
	rows := rrdFetch(t, path, begin-30, end+30)
	first, last := -1, -1
	for i, r := range rows {
		if !math.IsNaN(r.Val) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		t.Fatalf("%s: no known value between %d and %d: %v\nrrdtool info:\n%s", path, begin, end, rows, rrdtool(t, "info", path))
	}
	for _, r := range rows[first : last+1] {
		if math.IsNaN(r.Val) {
			t.Errorf("%s: unknown row at %d between known rows %d and %d: %v", path, r.T, rows[first].T, rows[last].T, rows)
			return
		}
		if r.Val < 1.25-1e-6 || r.Val > 3.75+1e-6 {
			t.Errorf("%s: row %d = %g, outside the loads sent (1.25 .. 3.75)", path, r.T, r.Val)
		}
	}
	if last-first+1 < 2 {
		t.Errorf("%s: %d known row(s), want the rows of at least two steps: %v", path, last-first+1, rows)
	}
	t.Logf("%s: %d known rows from %d to %d", path, last-first+1, rows[first].T, rows[last].T)
}

// TestE2ERestartKeepsState: the state file carries a moved host across a
// restart: the restarted binary lists it, metrics and metadata included,
// in the cluster it had moved to, before any packet arrives; and when the
// LPAR later moves back, that is a logged move.
func TestE2ERestartKeepsState(t *testing.T) {
	t.Parallel()
	const ip = "127.0.0.8"
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
		},
		Extra: []string{"lpm_conflict_window 2"},
	})
	a, b := g.Systems[0], g.Systems[1]
	l := startLPAR(t, ip, a.Port, "1.25")
	waitOnlyIn(t, g, a.Name, ip, "1.25")
	l.moveTo(b.Port, "2.50")
	waitOnlyIn(t, g, b.Name, ip, "2.50")
	l.stop()
	before, _, err := fetchDoc(clusterAddr(b.Port))
	if err != nil {
		t.Fatal(err)
	}
	g.Stop(t)

	g2 := g.restart(t, 2)
	after, _, err := fetchDoc(clusterAddr(b.Port))
	if err != nil {
		t.Fatal(err)
	}
	if err := compareHosts(findCluster(after, b.Name).Hosts, findCluster(before, b.Name).Hosts, nil, false); err != nil {
		t.Errorf("cluster %s after the restart, against before it:\n%v", b.Name, err)
	}
	name := waitOnlyIn(t, g2, b.Name, ip, "2.50")

	startLPAR(t, ip, a.Port, "1.25") // LPM back, gmond restarted
	waitOnlyIn(t, g2, a.Name, ip, "1.25")
	found := false
	for _, line := range strings.Split(g2.log(), "\n") {
		if strings.Contains(line, "host moved") && strings.Contains(line, name) &&
			strings.Contains(line, "from="+b.Name) && strings.Contains(line, "to="+a.Name) {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: no \"host moved\" line for %s from %s to %s", g2.logPath, name, b.Name, a.Name)
	}
	waitHostLink(t, g2.RRDRoot, a.Name, name, 5*time.Second)
}

// TestE2ELPMConflict: one host (one source address) heard on two ports at
// once, as when a duplicate or a half-migrated LPAR keeps sending: the
// host must not flap between the clusters. It may move once (the first
// packet on the new port is a move), then stays put, and the conflict is
// logged naming both clusters (DESIGN.md decision 2).
func TestE2ELPMConflict(t *testing.T) {
	t.Parallel()
	const ip = "127.0.0.11"
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
		},
		Extra: []string{"lpm_conflict_window 3"},
	})
	a, b := g.Systems[0], g.Systems[1]
	first := startLPAR(t, ip, a.Port, "1.25")
	waitOnlyIn(t, g, a.Name, ip, "1.25")
	second := startLPAR(t, ip, b.Port, "2.50") // same address, the other port
	second.waitTicks(t, 2)
	// From now on the host must stay in one cluster.
	var owner string
	for range 8 {
		first.waitTicks(t, 1)
		d, _, err := fetchDoc(g.XMLAddr)
		if err != nil {
			t.Fatal(err)
		}
		var in []string
		for _, c := range d.AllClusters() {
			h := c.HostByIP(ip)
			if h == nil {
				continue
			}
			in = append(in, c.Name)
			// The refused side's packets are dropped, not merged.
			want := map[string]string{a.Name: "1.25", b.Name: "2.50"}[c.Name]
			if m := h.Metric("load_one"); m == nil || m.Val != want {
				t.Errorf("host %s in %s: load_one %+v, want the %s sender's %s", ip, c.Name, m, c.Name, want)
			}
		}
		if len(in) != 1 {
			t.Fatalf("host %s listed in %q, want exactly one cluster", ip, in)
		}
		if owner == "" {
			owner = in[0]
		} else if in[0] != owner {
			t.Fatalf("host %s flapped from %s to %s while both ports hear it", ip, owner, in[0])
		}
	}
	logText := g.log()
	if n := strings.Count(logText, `msg="host moved"`); n > 1 {
		t.Errorf("%d moves logged for one host heard on two ports; want at most 1:\n%s", n, logText)
	}
	conflict := false
	for _, line := range strings.Split(logText, "\n") {
		if strings.Contains(line, "conflict") && strings.Contains(line, a.Name) && strings.Contains(line, b.Name) {
			conflict = true
		}
	}
	if !conflict {
		t.Errorf("no conflict line naming %s and %s in %s", a.Name, b.Name, g.logPath)
	}
	t.Logf("host %s kept by %s", ip, owner)
}

// checkRRDErrors reads the metrics.rrd group of /status: no file or
// directory failed to be created and no update was refused.
func checkRRDErrors(t *testing.T, g *gmetad) {
	t.Helper()
	metrics, _ := statusJSON(t, g.InteractiveAddr)["metrics"].(map[string]any)
	rrd, ok := metrics["rrd"].(map[string]any)
	if !ok {
		t.Errorf("/status has no metrics.rrd group")
		return
	}
	// stale_updates (a second step in the same second, a source not
	// polled since the last step) are skipped by design and not counted.
	for _, k := range []string{"create_errors", "update_errors", "tree_errors"} {
		if v, _ := rrd[k].(float64); v != 0 {
			t.Errorf("/status rrd.%s = %v, want 0 (%v)", k, v, rrd)
		}
	}
}

// TestE2EFleet: 300 simulated gmonds (internal/loadgen: the standard
// metric set plus heartbeat, each from its own 127.1.x.y address, paced
// over a 5 s interval) across three managed systems. Every host is listed
// in its cluster with every metric at the value it sent, the summaries
// count every host, and the persister creates every RRD without an error.
func TestE2EFleet(t *testing.T) {
	t.Parallel()
	const hosts, perCluster = 300, 100
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
			{Name: "P770-DC2-R35", Serial: "9117-MMB_0004711"},
		},
		Extra: []string{`RRAs "RRA:AVERAGE:0.5:1:20"`},
	})
	var targets []loadgen.Target
	for i, s := range g.Systems {
		targets = append(targets, loadgen.Target{Addr: clusterAddr(s.Port), First: i * perCluster, End: (i + 1) * perCluster})
	}
	gen, err := loadgen.New(loadgen.Config{Hosts: hosts, Metrics: loadgen.StandardMetrics, Interval: 5 * time.Second,
		Targets: targets, Heartbeat: true, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := gen.Run(ctx); done <- err }()
	stop := sync.OnceValue(func() error { cancel(); return <-done })
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("loadgen: %v", err)
		}
		gen.Close()
	})
	stockganglia.Eventually(t, 30*time.Second, func() error {
		if r := gen.Stats().Rounds; r < 2 {
			return fmt.Errorf("loadgen finished %d rounds, want 2", r)
		}
		return nil
	})
	if err := stop(); err != nil {
		t.Fatalf("loadgen: %v", err)
	}
	rounds := int64(gen.Stats().Rounds)
	// A value must be from the last round or the one before, unless the
	// sender skipped rounds (an overloaded machine) or the kernel dropped
	// datagrams (receive buffer full): then any round it sent will do.
	var drops int
	for _, s := range g.Systems {
		drops += udpDrops(t, s.Port)
	}
	strict := gen.Stats().Skipped == 0 && drops == 0
	if !strict {
		t.Logf("loadgen skipped %d host rounds, the kernel dropped %d datagrams: checking values loosely", gen.Stats().Skipped, drops)
	}
	err = poll(20*time.Second, func() error { // a race-built binary drains its socket buffers slowly
		for i, s := range g.Systems {
			if err := checkFleetCluster(g, gen, s, i*perCluster, perCluster, rounds, strict); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	numeric := 0
	for _, m := range gen.Metrics() {
		if m.ID != xdr.IDString {
			numeric++
		}
	}
	waitFilesCreated(t, g, hosts*numeric, 40*time.Second)
	checkRRDErrors(t, g)
	t.Logf("gmetad VmHWM %d MiB with %d hosts; loadgen %+v; kernel UDP drops %d", vmHWM(t, g.pid())>>20, hosts, gen.Stats(), drops)
}

// checkFleetCluster checks one cluster's dump and summary: n hosts from
// host first on, each with every metric at the value of the last or the
// previous round.
func checkFleetCluster(g *gmetad, gen *loadgen.Generator, s system, first, n int, rounds int64, strict bool) error {
	d, _, err := fetchDoc(clusterAddr(s.Port))
	if err != nil {
		return err
	}
	c := findCluster(d, s.Name)
	if c == nil || len(c.Hosts) != n {
		return fmt.Errorf("cluster %s: %d hosts, want %d", s.Name, hostCount(c), n)
	}
	metrics := gen.Metrics()
	for i := first; i < first+n; i++ {
		h := c.HostByIP(gen.Addr(i).String())
		if h == nil {
			return fmt.Errorf("cluster %s: no host %s", s.Name, gen.Addr(i))
		}
		if h.GmondStarted != int64(gen.Heartbeat()) {
			return fmt.Errorf("host %s: GMOND_STARTED %d, heartbeat %d", h.Name, h.GmondStarted, gen.Heartbeat())
		}
		for m := range metrics {
			got := h.Metric(metrics[m].Name())
			if got == nil {
				return fmt.Errorf("host %s: no metric %s", h.Name, metrics[m].Name())
			}
			if !sentVAL(gen, i, m, rounds, got.Val, strict) {
				return fmt.Errorf("host %s %s: VAL %q, not a value it sent; last rounds %q (round %d), %q",
					h.Name, got.Name, got.Val, gen.VAL(i, m, rounds-1), rounds-1, gen.VAL(i, m, rounds))
			}
		}
	}
	sd, _, err := queryDoc(g.InteractiveAddr, "/"+s.Name+"?filter=summary")
	if err != nil {
		return err
	}
	sc := findCluster(sd, s.Name)
	if sc == nil || sc.HostsSummary == nil {
		return fmt.Errorf("summary of %s: no HOSTS element", s.Name)
	}
	if hs, cn := *sc.HostsSummary, sc.Summary("cpu_num"); hs.Up != n || hs.Down != 0 || cn == nil || cn.Num != n {
		return fmt.Errorf("summary of %s: HOSTS %+v, cpu_num %+v; want %d up, 0 down, NUM %d (the dump lists %d hosts)",
			s.Name, hs, cn, n, n, len(c.Hosts))
	}
	return nil
}

// sentVAL reports whether host i sent val for metric m in the last round
// or the one before, or with strict false in any round so far.
func sentVAL(gen *loadgen.Generator, i, m int, rounds int64, val string, strict bool) bool {
	oldest := int64(0)
	if strict {
		oldest = rounds - 1
	}
	for r := rounds; r >= oldest; r-- {
		if gen.VAL(i, m, r) == val {
			return true
		}
	}
	return false
}

// udpDrops is the kernel's count of datagrams dropped on the UDP sockets
// bound to port (/proc/net/udp and udp6, column "drops").
func udpDrops(t *testing.T, port int) int {
	t.Helper()
	n := 0
	suffix := fmt.Sprintf(":%04X", port)
	for _, f := range []string{"/proc/net/udp", "/proc/net/udp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fields := strings.Fields(line)
			if len(fields) < 13 || !strings.HasSuffix(fields[1], suffix) {
				continue
			}
			d, _ := strconv.Atoi(fields[len(fields)-1])
			n += d
		}
	}
	return n
}

func hostCount(c *stockganglia.Cluster) int {
	if c == nil {
		return -1
	}
	return len(c.Hosts)
}

// waitFilesCreated waits until /status says the persister created n files.
func waitFilesCreated(t *testing.T, g *gmetad, n int, timeout time.Duration) {
	t.Helper()
	stockganglia.Eventually(t, timeout, func() error {
		metrics, _ := statusJSON(t, g.InteractiveAddr)["metrics"].(map[string]any)
		rrd, _ := metrics["rrd"].(map[string]any)
		if got, _ := rrd["files_created"].(float64); int(got) < n {
			return fmt.Errorf("/status rrd.files_created %v, want %d", got, n)
		}
		return nil
	})
}

// TestE2ELPMNewAddress: an LPAR that comes back from LPM under another
// address but the same name (hostname_from_packet) is the same host: once
// the old cluster has not heard it for lpm_conflict_window it moves, with
// its new IP, its one LPARS directory and a link from the new cluster;
// the old address is listed nowhere.
func TestE2ELPMNewAddress(t *testing.T) {
	t.Parallel()
	g := startGmetad(t, gmetadOptions{
		Systems: []system{
			{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"},
			{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002"},
		},
		Extra: []string{"lpm_conflict_window 2", "hostname_from_packet on"},
	})
	a, b := g.Systems[0], g.Systems[1]
	old := startLPAR(t, "127.0.0.16", a.Port, "1.25")
	name := waitOnlyIn(t, g, a.Name, "127.0.0.16", "1.25")
	if name != "lpar-e2e" {
		t.Fatalf("hostname_from_packet: host named %q, want lpar-e2e", name)
	}
	old.stop()
	startLPAR(t, "127.0.0.17", b.Port, "2.50")
	waitOnlyIn(t, g, b.Name, "127.0.0.17", "2.50")
	d, _, err := fetchDoc(g.XMLAddr)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range d.AllClusters() {
		if h := c.HostByIP("127.0.0.16"); h != nil {
			t.Errorf("old address 127.0.0.16 still listed in %s as %q", c.Name, h.Name)
		}
		for _, h := range c.Hosts {
			if h.Name == name && c.Name != b.Name {
				t.Errorf("host %s also listed in %s", name, c.Name)
			}
		}
	}
	waitHostLink(t, g.RRDRoot, b.Name, name, 5*time.Second)
	checkHostLink(t, g.RRDRoot, b.Name, name)
}

// TestE2ECaseInsensitiveHostnames: with case_sensitive_hostnames 0 the
// host's directory and links are lower-cased while the XML keeps the
// name as sent (PROTOCOL.md §4.6, Q11).
func TestE2ECaseInsensitiveHostnames(t *testing.T) {
	t.Parallel()
	g := startGmetad(t, gmetadOptions{Extra: []string{"case_sensitive_hostnames 0", "hostname_from_packet on"}})
	s := newUDPSender(t, "127.0.0.18")
	id := xdr.MetricID{Host: "LPAR-Mixed.Example", Name: "load_one"}
	if err := s.send(g.Default.Port, metaPkt(t, id, "float", " ", xdr.SlopeBoth, 70),
		valuePkt(t, xdr.IDFloat, id, xdr.Value{Fmt: "%.2f", F32: 0.5})); err != nil {
		t.Fatal(err)
	}
	waitDoc(t, g.XMLAddr, 10*time.Second, stockganglia.HasMetric("LPAR-Mixed.Example", "load_one"))
	stockganglia.WaitForFile(t, filepath.Join(g.RRDRoot, "LPARS", "lpar-mixed.example", "load_one.rrd"), 20*time.Second)
	checkHostLink(t, g.RRDRoot, g.Default.Name, "lpar-mixed.example")
	if _, err := os.Lstat(filepath.Join(g.RRDRoot, "LPARS", "LPAR-Mixed.Example")); err == nil {
		t.Errorf("a directory with the original case exists too")
	}
}
