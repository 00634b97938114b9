package main

// Interop with the real peers from Debian: stock gmond senders and gmetric
// feed our binary and a stock collector side by side, stock gmetad polls
// our binary, and our binary polls a stock collector next to a stock
// gmetad.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestE2EInteropStockSenders (a): two stock sender gmonds and stock
// gmetric send every packet both to one of our clusters and to a stock
// collector gmond; our cluster's TCP dump must equal the collector's XML
// attribute for attribute (times excluded), and our xml_port and
// interactive answers must carry the same metrics.
func TestE2EInteropStockSenders(t *testing.T) {
	t.Parallel()
	const name = "P550-DC1-R01"
	g := startGmetad(t, gmetadOptions{Systems: []system{{Name: name, Serial: "8204-E8A_0000001"}}})
	port := g.Systems[0].Port
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: name}})
	channels := []string{clusterAddr(port), coll.Addr}
	for _, ip := range []string{"127.0.0.2", "127.0.0.3"} {
		stockganglia.StartSender(t, stockganglia.SenderOptions{Channels: channels, Bind: ip})
	}
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: channels, Bind: "127.0.0.2"})
	for _, args := range gmetricVariety() {
		gm.Run(t, args...)
	}

	want := map[string]int{"127.0.0.2": 25 + 12, "127.0.0.3": 25, "10.9.8.7": 1, "10.9.8.6": 0}
	coll.WaitFor(t, 30*time.Second, func(d *stockganglia.Doc) error { return hostsReady(d, name, want) })

	// Q5: stock reads a spoofed heartbeat's string value through the
	// uint arm (garbage GMOND_STARTED); ours parses it. Q14: SOURCE.
	exceptions := map[string]func(ours, stock *stockganglia.Host){
		"10.9.8.6": func(ours, stock *stockganglia.Host) { ours.GmondStarted = stock.GmondStarted },
	}
	var ourDump *stockganglia.Cluster
	stockganglia.Eventually(t, 30*time.Second, func() error {
		od, _, err := fetchDoc(clusterAddr(port))
		if err != nil {
			return err
		}
		sd, _, err := fetchDoc(coll.Addr)
		if err != nil {
			return err
		}
		oc, sc := findCluster(od, name), findCluster(sd, name)
		if oc == nil || sc == nil {
			return fmt.Errorf("cluster %q: ours %v, stock %v", name, oc != nil, sc != nil)
		}
		if err := compareClusterAttrs(oc, sc); err != nil {
			return err
		}
		ourDump = oc
		return compareHosts(oc.Hosts, sc.Hosts, exceptions, false)
	})

	// The same hosts and metrics through gmetad's two ports.
	stockganglia.Eventually(t, 15*time.Second, func() error {
		od, _, err := fetchDoc(clusterAddr(port))
		if err != nil {
			return err
		}
		dump := findCluster(od, name)
		xd, _, err := fetchDoc(g.XMLAddr)
		if err != nil {
			return err
		}
		xc := findCluster(xd, name)
		if xc == nil || dump == nil {
			return fmt.Errorf("cluster %q missing from the xml_port (%v) or the dump (%v)", name, xc == nil, dump == nil)
		}
		if err := compareHosts(xc.Hosts, dump.Hosts, nil, true); err != nil {
			return fmt.Errorf("xml_port vs cluster dump: %w", err)
		}
		for _, h := range dump.Hosts {
			qd, _, err := queryDoc(g.InteractiveAddr, "/"+name+"/"+h.Name)
			if err != nil {
				return err
			}
			qc := findCluster(qd, name)
			if qc == nil || len(qc.Hosts) != 1 {
				return fmt.Errorf("/%s/%s: want one host in cluster %q, got %+v", name, h.Name, name, qc)
			}
			if err := compareHosts(qc.Hosts, []stockganglia.Host{h}, nil, true); err != nil {
				return fmt.Errorf("interactive /%s/%s vs cluster dump: %w", name, h.Name, err)
			}
		}
		return nil
	})
	t.Logf("compared %d hosts of %q", len(ourDump.Hosts), name)
}

// gmetricVariety are gmetric invocations covering every type (gmetric
// sends every value as a string message), slopes, units, tmax/dmax,
// groups, titles, escaping, spoofing and a spoofed heartbeat.
func gmetricVariety() [][]string {
	return [][]string{
		{"-n", "e2e_temp", "-v", "21.5", "-t", "float", "-u", "C", "-g", "env,lab", "-D", "inlet temperature", "-T", "Inlet"},
		{"-n", "e2e_int8", "-v", "-5", "-t", "int8"},
		{"-n", "e2e_uint8", "-v", "200", "-t", "uint8", "-s", "zero"},
		{"-n", "e2e_int16", "-v", "-300", "-t", "int16", "-s", "negative"},
		{"-n", "e2e_uint16", "-v", "65535", "-t", "uint16"},
		{"-n", "e2e_int32", "-v", "-42", "-t", "int32", "-s", "derivative"},
		{"-n", "e2e_uint32", "-v", "4294967295", "-t", "uint32", "-s", "positive"},
		{"-n", "e2e_double", "-v", "1.5e10", "-t", "double", "-u", "bytes/sec", "-x", "30", "-d", "3600"},
		{"-n", "e2e_pi", "-v", "3.14159", "-t", "float", "-s", "unspecified"},
		{"-n", "e2e_empty", "-v", "", "-t", "string"},
		{"-n", "e2e_markup", "-v", "a<b & c>d 'q'", "-t", "string", "-u", "m s", "-g", "g1 g2"}, // stock escapes only string VALs
		{"-n", "e2e:colon", "-v", "1", "-t", "uint32"},
		{"-n", "e2e_build", "-v", "v1.2 <beta> & 'x'", "-t", "string", "-S", "10.9.8.7:spoofed.e2e"},
		{"-S", "10.9.8.6:beat.e2e", "-H"},
	}
}

// hostsReady says whether the cluster lists each host (by IP) with at
// least the given number of metrics.
func hostsReady(d *stockganglia.Doc, cluster string, want map[string]int) error {
	c := findCluster(d, cluster)
	if c == nil {
		return fmt.Errorf("no cluster %q", cluster)
	}
	for ip, n := range want {
		h := c.HostByIP(ip)
		if h == nil {
			return fmt.Errorf("no host with IP %s", ip)
		}
		if len(h.Metrics) < n {
			return fmt.Errorf("host %s has %d metrics, want at least %d", ip, len(h.Metrics), n)
		}
	}
	return nil
}

func findCluster(d *stockganglia.Doc, name string) *stockganglia.Cluster {
	for _, c := range d.AllClusters() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func compareClusterAttrs(ours, stock *stockganglia.Cluster) error {
	a := []string{ours.Name, ours.Owner, ours.LatLong, ours.URL}
	b := []string{stock.Name, stock.Owner, stock.LatLong, stock.URL}
	if !slices.Equal(a, b) {
		return fmt.Errorf("CLUSTER NAME/OWNER/LATLONG/URL: ours %q, stock %q", a, b)
	}
	return nil
}

// compareHosts compares every HOST and METRIC attribute and the
// EXTRA_ELEMENTs, hosts matched by IP and metrics by NAME, in any order.
// TN and REPORTED are left out. gmetad is true when ours is a gmetad
// answer and stock a gmond dump of the same hosts: then TAGS (gmetad
// prints "unspecified" for an empty one) is left out and SOURCE must be
// "gmond" (Q14).
func compareHosts(ours, stock []stockganglia.Host, exc map[string]func(o, s *stockganglia.Host), gmetad bool) error {
	var errs []string
	if len(ours) != len(stock) {
		errs = append(errs, fmt.Sprintf("%d hosts, want %d (%q vs %q)", len(ours), len(stock), hostNames(ours), hostNames(stock)))
	}
	for i := range stock {
		s := stock[i]
		o := findHostByIP(ours, s.IP)
		if o == nil {
			errs = append(errs, fmt.Sprintf("no host with IP %q (%q)", s.IP, s.Name))
			continue
		}
		oc := *o
		if f := exc[s.IP]; f != nil {
			f(&oc, &s)
		}
		if a, b := hostAttrs(&oc, gmetad), hostAttrs(&s, gmetad); !slices.Equal(a, b) {
			errs = append(errs, fmt.Sprintf("HOST %s:\n  ours %q\n  want %q", s.IP, a, b))
		}
		errs = append(errs, compareMetrics(s.Name, oc.Metrics, s.Metrics, gmetad)...)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func compareMetrics(host string, ours, stock []stockganglia.Metric, gmetad bool) []string {
	var errs []string
	if len(ours) != len(stock) {
		errs = append(errs, fmt.Sprintf("host %s: %d metrics, want %d", host, len(ours), len(stock)))
	}
	for j := range stock {
		s := &stock[j]
		o := metricByName(ours, s.Name)
		if o == nil {
			errs = append(errs, fmt.Sprintf("host %s: no metric %q", host, s.Name))
			continue
		}
		if a, b := metricAttrs(o, gmetad), metricAttrs(s, gmetad); !slices.Equal(a, b) {
			errs = append(errs, fmt.Sprintf("%s/%s:\n  ours %q\n  want %q", host, s.Name, a, b))
		}
		if gmetad && o.Source != "gmond" {
			errs = append(errs, fmt.Sprintf("%s/%s: SOURCE %q, want gmond", host, s.Name, o.Source))
		}
		if a, b := extras(o), extras(s); !slices.Equal(a, b) {
			errs = append(errs, fmt.Sprintf("%s/%s EXTRA_DATA:\n  ours %q\n  want %q", host, s.Name, a, b))
		}
	}
	return errs
}

func hostAttrs(h *stockganglia.Host, gmetad bool) []string {
	a := []string{h.Name, h.IP, strconv.FormatInt(h.TMAX, 10), strconv.FormatInt(h.DMAX, 10),
		h.Location, strconv.FormatInt(h.GmondStarted, 10)}
	if !gmetad {
		a = append(a, h.Tags)
	}
	return a
}

func metricAttrs(m *stockganglia.Metric, gmetad bool) []string {
	a := []string{m.Name, m.Val, m.Type, m.Units, strconv.FormatInt(m.TMAX, 10),
		strconv.FormatInt(m.DMAX, 10), m.Slope}
	if !gmetad {
		a = append(a, m.Source)
	}
	return a
}

// extras returns the EXTRA_ELEMENTs as sorted NAME=VAL strings.
func extras(m *stockganglia.Metric) []string {
	var s []string
	for _, e := range m.Extra {
		s = append(s, e.Name+"="+e.Val)
	}
	sort.Strings(s)
	return s
}

func findHostByIP(hosts []stockganglia.Host, ip string) *stockganglia.Host {
	for i := range hosts {
		if hosts[i].IP == ip {
			return &hosts[i]
		}
	}
	return nil
}

func metricByName(ms []stockganglia.Metric, name string) *stockganglia.Metric {
	for i := range ms {
		if ms[i].Name == name {
			return &ms[i]
		}
	}
	return nil
}

func hostNames(hs []stockganglia.Host) []string {
	var s []string
	for _, h := range hs {
		s = append(s, h.Name)
	}
	sort.Strings(s)
	return s
}

// TestE2EStockGmetadPollsUs (b): a stock gmetad with one data_source on
// our cluster's TCP dump and one on our xml_port shows our cluster and our
// grid, and writes its RRD files without a single error in its log.
func TestE2EStockGmetadPollsUs(t *testing.T) {
	t.Parallel()
	const name = "P770-DC1-R05"
	g := startGmetad(t, gmetadOptions{Systems: []system{{Name: name, Serial: "9117-MMB_0000002"}}})
	port := g.Systems[0].Port
	stockganglia.StartSender(t, stockganglia.SenderOptions{Channels: []string{clusterAddr(port)}, Bind: "127.0.0.4"})
	stockganglia.Eventually(t, 20*time.Second, func() error {
		d, _, err := fetchDoc(clusterAddr(port))
		if err != nil {
			return err
		}
		return hostsReady(d, name, map[string]int{"127.0.0.4": 25})
	})

	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		Gridname: "stock-top",
		DataSources: []stockganglia.DataSource{
			{Name: "lpm-cluster", Step: 5, Addrs: []string{clusterAddr(port)}},
			{Name: "lpm-grid", Step: 5, Addrs: []string{g.XMLAddr}},
		},
	})
	stock.WaitFor(t, 30*time.Second, func(d *stockganglia.Doc) error {
		if err := hostsReady(d, name, map[string]int{"127.0.0.4": 25}); err != nil {
			return err
		}
		gr := findGrid(d, e2eGrid)
		if gr == nil || gr.HostsSummary == nil || gr.HostsSummary.Up != 1 {
			return fmt.Errorf("grid %q with HOSTS UP=1 not in the stock gmetad's XML: %+v", e2eGrid, gr)
		}
		if s := gr.Summary("load_one"); s == nil || s.Num != 1 {
			return fmt.Errorf("grid %q: load_one summary %+v, want NUM 1", e2eGrid, s)
		}
		return nil
	})
	files := []string{
		stock.RRDPath(name, "127.0.0.4", "load_one"),
		stock.RRDPath(name, "__SummaryInfo__", "load_one"),
		stock.RRDPath(e2eGrid, "__SummaryInfo__", "load_one"),
		filepath.Join(stock.RRDRoot, "__SummaryInfo__", "load_one.rrd"),
	}
	for _, f := range files {
		stockganglia.WaitForFile(t, f, 30*time.Second)
	}
	// Two more polls write the host file without errors. Its mtime is
	// watched, not `rrdtool last`: librrd's reader takes a read lock, and
	// stock gmetad's update then fails ("could not lock RRD").
	first := mtime(t, files[0])
	stockganglia.Eventually(t, 20*time.Second, func() error {
		if m := mtime(t, files[0]); m.Before(first.Add(10 * time.Second)) {
			return fmt.Errorf("%s: written at %v, want 10 s after %v", files[0], m, first)
		}
		return nil
	})
	stockErrors := regexp.MustCompile(`(?i)RRD_update|RRD_create:|XML_ParseBuffer|error|unable|failed`)
	if m := stockErrors.FindAllString(stock.Log(), -1); len(m) > 0 {
		t.Errorf("stock gmetad log (%s) reports problems %q:\n%s", stock.LogPath, m, stock.Log())
	}
}

func findGrid(d *stockganglia.Doc, name string) *stockganglia.Grid {
	var walk func(gs []stockganglia.Grid) *stockganglia.Grid
	walk = func(gs []stockganglia.Grid) *stockganglia.Grid {
		for i := range gs {
			if gs[i].Name == name {
				return &gs[i]
			}
			if g := walk(gs[i].Grids); g != nil {
				return g
			}
		}
		return nil
	}
	return walk(d.Grids)
}

// TestE2EPollStockCollector (c, d): our binary and a stock gmetad poll the
// same stock collector, fed by gmetric. Ours files the host under
// LPARS/<host> with a <cluster>/<host> link and lists the cluster in its
// XML; `rrdtool info` of our host, cluster summary and root summary files
// agrees with the stock gmetad's files on step, heartbeat, DS names and
// types and RRAs. The poll interval is 5 s, so the root summary's fixed
// 15 s step (Q9) is checked too.
func TestE2EPollStockCollector(t *testing.T) {
	t.Parallel()
	const cluster, host = "Stock Cluster", "127.0.0.6"
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: cluster}})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{coll.Addr}, Bind: host})
	gm.Run(t, "-n", "load_one", "-v", "0.75", "-t", "float", "-u", " ", "-s", "both", "-x", "70")
	gm.Run(t, "-n", "e2e_counter", "-v", "1234", "-t", "uint32", "-s", "positive")
	for _, args := range spoofedFleet() {
		gm.Run(t, args...)
	}
	coll.WaitFor(t, 15*time.Second, func(d *stockganglia.Doc) error {
		return hostsReady(d, cluster, map[string]int{host: 2, "10.1.1.1": 3, "10.1.1.2": 6})
	})

	source := `"stock" 5 ` + coll.Addr
	ours := startGmetad(t, gmetadOptions{DataSources: []string{source}})
	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "stock", Step: 5, Addrs: []string{coll.Addr}}},
	})

	// (c) the LPARS layout and the XML.
	d := waitDoc(t, ours.XMLAddr, 20*time.Second, func(d *stockganglia.Doc) error {
		c := findCluster(d, cluster)
		if c == nil || c.Host(host) == nil || c.Host(host).Metric("load_one") == nil {
			return fmt.Errorf("cluster %q with host %s and load_one not in our XML", cluster, host)
		}
		return nil
	})
	if v := findCluster(d, cluster).Host(host).Metric("load_one").Val; v != "0.75" {
		t.Errorf("our XML: load_one VAL %q, want 0.75", v)
	}
	ourFiles := map[string]string{
		"host":    filepath.Join(ours.RRDRoot, "LPARS", host, "load_one.rrd"),
		"cluster": filepath.Join(ours.RRDRoot, cluster, "__SummaryInfo__", "load_one.rrd"),
		"root":    filepath.Join(ours.RRDRoot, "__SummaryInfo__", "load_one.rrd"),
		"counter": filepath.Join(ours.RRDRoot, "LPARS", host, "e2e_counter.rrd"),
	}
	stockFiles := map[string]string{
		"host":    stock.RRDPath(cluster, host, "load_one"),
		"cluster": stock.RRDPath(cluster, "__SummaryInfo__", "load_one"),
		"root":    filepath.Join(stock.RRDRoot, "__SummaryInfo__", "load_one.rrd"),
		"counter": stock.RRDPath(cluster, host, "e2e_counter"),
	}
	for _, k := range []string{"host", "cluster", "root", "counter"} {
		stockganglia.WaitForFile(t, ourFiles[k], 30*time.Second)
		stockganglia.WaitForFile(t, stockFiles[k], 30*time.Second)
	}
	checkHostLink(t, ours.RRDRoot, cluster, host)
	checkRRDErrors(t, ours)

	// (d) the files' shapes.
	for _, k := range []string{"host", "cluster", "root", "counter"} {
		o, s := rrdShape(rrdInfo(t, ourFiles[k])), rrdShape(rrdInfo(t, stockFiles[k]))
		if !slices.Equal(o, s) {
			t.Errorf("%s file: rrdtool info differs\n ours  %s: %q\n stock %s: %q", k, ourFiles[k], o, stockFiles[k], s)
		}
	}

	// ganglia-web's requests (PROTOCOL.md §5.4), answered by both.
	for _, req := range []string{"/?filter=summary", "/" + cluster, "/" + cluster + "?filter=summary",
		"/" + cluster + "/" + host, "/" + cluster + "/web2", "/" + cluster + "/web2/load_one",
		"GET /" + cluster + "/web2 HTTP/1.0", "GET /*/web1 HTTP/1.1", "/nosuch"} {
		err := poll(15*time.Second, func() error {
			oh, od, err := queryHTTPDoc(ours.InteractiveAddr, req)
			if err != nil {
				return err
			}
			sh, sd, err := queryHTTPDoc(stock.InteractiveAddr, req)
			if err != nil {
				return err
			}
			if !slices.Equal(oh, sh) {
				return fmt.Errorf("HTTP header lines: ours %q, stock %q", oh, sh)
			}
			return compareAnswers(od, sd, cluster)
		})
		if err != nil {
			t.Errorf("interactive %q, ours against stock gmetad:\n%v", req, err)
		}
	}
}

// queryHTTPDoc is queryDoc for both request forms: for "GET ... HTTP/1.x"
// the answer's header lines come back sorted, apart from the body.
func queryHTTPDoc(addr, request string) ([]string, *stockganglia.Doc, error) {
	b, err := stockganglia.Query(addr, request, e2eIOTimeout)
	if err != nil {
		return nil, nil, err
	}
	var header []string
	if bytes.HasPrefix(b, []byte("HTTP/")) {
		head, body, ok := bytes.Cut(b, []byte("\r\n\r\n"))
		if !ok {
			return nil, nil, fmt.Errorf("%s %q: no end of the HTTP header in %q", addr, request, clip(b))
		}
		header = strings.Split(string(head), "\r\n")
		sort.Strings(header)
		b = body
	}
	d, err := stockganglia.ParseXML(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %q: %w", addr, request, err)
	}
	return header, d, nil
}

// spoofedFleet are gmetric runs that put two more hosts into the polled
// cluster, with values whose summaries exercise the SUM formatting rules
// (PROTOCOL.md §4.5). A summary's UNITS, SLOPE and SUM precision come
// from the first host summed, which for stock is gmond's hash order: so
// every host of one metric gets the same units, slope and decimals.
func spoofedFleet() [][]string {
	var runs [][]string
	for _, m := range []struct{ spoof, name, val, typ, units, slope string }{
		{"10.1.1.1:web1", "load_one", "1.50", "float", " ", "both"},
		{"10.1.1.1:web1", "cpu_num", "4", "uint16", "CPUs", "zero"},
		{"10.1.1.1:web1", "mem_total", "24039476", "uint32", "KB", "zero"},
		{"10.1.1.2:web2", "load_one", "0.42", "float", " ", "both"},
		{"10.1.1.2:web2", "cpu_num", "8", "uint16", "CPUs", "zero"},
		{"10.1.1.2:web2", "mem_total", "1000", "uint32", "KB", "zero"},
		{"10.1.1.2:web2", "e2e_big", "1.5e10", "double", "", "both"},
		{"10.1.1.2:web2", "e2e_neg", "-42", "int32", "", "both"},
		{"10.1.1.2:web2", "os_name", "Linux", "string", "", "zero"},
	} {
		runs = append(runs, []string{"-S", m.spoof, "-n", m.name, "-v", m.val, "-t", m.typ,
			"-u", m.units, "-s", m.slope, "-x", "120"})
	}
	return runs
}

// compareAnswers compares two gmetad answers to the same request: the
// top grid's summary, and the cluster's attributes, summary, hosts and
// metrics (TN and REPORTED left out). Clusters only one side has (our
// UDP cluster) are ignored.
func compareAnswers(ours, stock *stockganglia.Doc, cluster string) error {
	var errs []string
	if len(ours.Grids) != 1 || len(stock.Grids) != 1 {
		return fmt.Errorf("top GRID elements: ours %d, stock %d", len(ours.Grids), len(stock.Grids))
	}
	if e := compareSummary("GRID", ours.Grids[0].HostsSummary, stock.Grids[0].HostsSummary,
		ours.Grids[0].Summaries, stock.Grids[0].Summaries); e != "" {
		errs = append(errs, e)
	}
	oc, sc := findCluster(ours, cluster), findCluster(stock, cluster)
	switch {
	case oc == nil && sc == nil:
	case oc == nil || sc == nil:
		errs = append(errs, fmt.Sprintf("cluster %q: ours %v, stock %v", cluster, oc != nil, sc != nil))
	default:
		if err := compareClusterAttrs(oc, sc); err != nil {
			errs = append(errs, err.Error())
		}
		if e := compareSummary("CLUSTER", oc.HostsSummary, sc.HostsSummary, oc.Summaries, sc.Summaries); e != "" {
			errs = append(errs, e)
		}
		if err := compareHosts(oc.Hosts, sc.Hosts, nil, false); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

func compareSummary(what string, oh, sh *stockganglia.HostsSummary, om, sm []stockganglia.MetricSummary) string {
	var errs []string
	if (oh == nil) != (sh == nil) || (oh != nil && *oh != *sh) {
		errs = append(errs, fmt.Sprintf("%s HOSTS: ours %+v, stock %+v", what, oh, sh))
	}
	row := func(ms []stockganglia.MetricSummary) []string {
		var s []string
		for _, m := range ms {
			s = append(s, fmt.Sprintf("%s SUM=%s NUM=%d TYPE=%s UNITS=%q SLOPE=%s SOURCE=%s",
				m.Name, m.Sum, m.Num, m.Type, m.Units, m.Slope, m.Source))
		}
		sort.Strings(s)
		return s
	}
	if a, b := row(om), row(sm); !slices.Equal(a, b) {
		errs = append(errs, fmt.Sprintf("%s METRICS:\n  ours  %q\n  stock %q", what, a, b))
	}
	return strings.Join(errs, "\n")
}

// checkHostLink checks that root/<cluster>/<host> is a symlink to
// ../LPARS/<host> and resolves to that directory.
func checkHostLink(t *testing.T, root, cluster, host string) {
	t.Helper()
	link := filepath.Join(root, cluster, host)
	target, err := os.Readlink(link)
	if err != nil {
		t.Errorf("%s: %v (want a symlink to ../LPARS/%s)", link, err, host)
		return
	}
	if want := filepath.Join("..", "LPARS", host); target != want {
		t.Errorf("%s -> %s, want -> %s", link, target, want)
	}
	got, err := filepath.EvalSymlinks(link)
	if err != nil {
		t.Errorf("%s does not resolve: %v", link, err)
		return
	}
	want, _ := filepath.EvalSymlinks(filepath.Join(root, "LPARS", host))
	if got != want {
		t.Errorf("%s resolves to %s, want %s", link, got, want)
	}
}

// rrdShape keeps the parts of `rrdtool info` that a file's creation fixes
// and ganglia-web depends on: step, DS names, types, heartbeats and
// bounds, and every RRA's consolidation, rows, steps per row and xff.
func rrdShape(info map[string]string) []string {
	keep := regexp.MustCompile(`^(step|ds\[[^\]]+\]\.(type|minimal_heartbeat|min|max)|rra\[\d+\]\.(cf|rows|pdp_per_row|xff))$`)
	var s []string
	for k, v := range info {
		if keep.MatchString(k) {
			s = append(s, k+"="+v)
		}
	}
	sort.Strings(s)
	return s
}

// waitDoc polls a port that writes a document unasked until pred holds.
func waitDoc(t *testing.T, addr string, timeout time.Duration, pred func(*stockganglia.Doc) error) *stockganglia.Doc {
	t.Helper()
	var doc *stockganglia.Doc
	stockganglia.Eventually(t, timeout, func() error {
		d, _, err := fetchDoc(addr)
		if err != nil {
			return err
		}
		if err := pred(d); err != nil {
			return err
		}
		doc = d
		return nil
	})
	return doc
}

// TestE2EStatusLikeStock: the interactive port's /status JSON carries
// every field of stock gmetad 3.7.2's about gmetad itself, and the same
// host name. Stock also appends the gmetad machine's own cpu, disk, load,
// memory, network, process and system metrics under "metrics"; ganglia-web
// reads none of /status, so their absence is only logged.
func TestE2EStatusLikeStock(t *testing.T) {
	t.Parallel()
	ours := startGmetad(t, gmetadOptions{})
	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "none", Addrs: []string{clusterAddr(ours.Default.Port)}}},
	})
	o, s := statusJSON(t, ours.InteractiveAddr), statusJSON(t, stock.InteractiveAddr)
	if o["host"] != s["host"] {
		t.Errorf("/status host %q, stock gmetad says %q (its gethostname)", o["host"], s["host"])
	}
	machine := regexp.MustCompile(`^metrics\.(cpu|disk|load|memory|network|process|system)(\.|$)`)
	ok, sk := jsonPaths("", o), jsonPaths("", s)
	var absent []string
	for p := range sk {
		switch {
		case ok[p]:
		case machine.MatchString(p):
			if strings.Count(p, ".") == 1 {
				absent = append(absent, p)
			}
		default:
			t.Errorf("/status lacks stock's field %s", p)
		}
	}
	if len(absent) > 0 {
		sort.Strings(absent)
		t.Logf("/status leaves out stock's machine metrics: %s", strings.Join(absent, " "))
	}
}

// statusJSON asks for /status and decodes the JSON after the HTTP header.
func statusJSON(t *testing.T, addr string) map[string]any {
	t.Helper()
	b, err := stockganglia.Query(addr, "/status", e2eIOTimeout)
	if err != nil {
		t.Fatalf("%s /status: %v", addr, err)
	}
	_, body, ok := strings.Cut(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n")
	var m map[string]any
	if !ok {
		t.Fatalf("%s /status: no header end in %q", addr, b)
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("%s /status: %v in %q", addr, err, body)
	}
	return m
}

// jsonPaths lists the dotted paths of every field of a decoded object.
func jsonPaths(prefix string, m map[string]any) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		p := prefix + k
		out[p] = true
		if sub, ok := v.(map[string]any); ok {
			for q := range jsonPaths(p+".", sub) {
				out[q] = true
			}
		}
	}
	return out
}

// TestE2EUDPClusterLikeStockGmetad: the same packets go to one of our
// clusters and to a stock collector that a stock gmetad polls; ganglia-web's
// requests to our interactive port must get what stock gmetad answers
// (summaries included), so the collector role plus the grid behave as the
// stock pair they replace. The senders are static (gmetric and one
// hand-made gmond), so both sides settle on the same values.
func TestE2EUDPClusterLikeStockGmetad(t *testing.T) {
	t.Parallel()
	const cluster = "P770-DC2-R35"
	ours := startGmetad(t, gmetadOptions{Systems: []system{{Name: cluster, Serial: "9117-MMB_0004711"}}})
	port := ours.Systems[0].Port
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: cluster}})
	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "coll", Step: 5, Addrs: []string{coll.Addr}}},
	})
	channels := []string{clusterAddr(port), coll.Addr}
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: channels, Bind: "127.0.0.2"})
	for _, args := range append(gmetricVariety(), spoofedFleet()...) {
		// Stock gmetad re-emits text unescaped (Q7), and gmetric's
		// spoofed heartbeat gives garbage GMOND_STARTED (Q5).
		if !strings.Contains(strings.Join(args, " "), "<") && !slices.Contains(args, "-H") {
			gm.Run(t, args...)
		}
	}
	s := newUDPSender(t, "127.0.0.5")
	id := func(name string) xdr.MetricID { return xdr.MetricID{Host: "lpar5", Name: name} }
	pkts := [][]byte{
		metaPkt(t, id("heartbeat"), "uint32", "", xdr.SlopeUnspecified, 20),
		valuePkt(t, xdr.IDUInt, id("heartbeat"), xdr.Value{Fmt: "%u", U: 1700000000}),
		metaPkt(t, id("load_one"), "float", " ", xdr.SlopeBoth, 70, xdr.Extra{Name: "GROUP", Data: "load"}),
		valuePkt(t, xdr.IDFloat, id("load_one"), xdr.Value{Fmt: "%.2f", F32: 0.33}),
		metaPkt(t, id("cpu_num"), "uint16", "CPUs", xdr.SlopeZero, 1200),
		valuePkt(t, xdr.IDUShort, id("cpu_num"), xdr.Value{Fmt: "%hu", U: 16}),
		metaPkt(t, id("disk_free"), "double", "GB", xdr.SlopeBoth, 180),
		valuePkt(t, xdr.IDDouble, id("disk_free"), xdr.Value{Fmt: "%.3f", F64: 85.188}),
	}
	for _, to := range []int{port, coll.Port} {
		if err := s.send(to, pkts...); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{"127.0.0.2": 11, "127.0.0.5": 3, "10.1.1.1": 3, "10.1.1.2": 6}
	stock.WaitFor(t, 20*time.Second, func(d *stockganglia.Doc) error { return hostsReady(d, cluster, want) })
	for _, req := range []string{"/?filter=summary", "/" + cluster, "/" + cluster + "?filter=summary",
		"/" + cluster + "/127.0.0.2", "/" + cluster + "/127.0.0.5", "/" + cluster + "/web2"} {
		err := poll(15*time.Second, func() error {
			od, _, err := queryDoc(ours.InteractiveAddr, req)
			if err != nil {
				return err
			}
			sd, _, err := queryDoc(stock.InteractiveAddr, req)
			if err != nil {
				return err
			}
			return compareAnswers(od, sd, cluster)
		})
		if err != nil {
			t.Errorf("interactive %q, ours against stock collector + stock gmetad:\n%v", req, err)
		}
	}
}

// TestE2EPollGzipFailover: a data_source whose first address is dead and
// whose second is a collector with gzip_output: our binary fails over and
// inflates, as stock gmetad does (PROTOCOL.md §4.3).
func TestE2EPollGzipFailover(t *testing.T) {
	t.Parallel()
	const cluster = "Gzip Cluster"
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Gzip: true,
		Cluster: stockganglia.ClusterInfo{Name: cluster, Owner: "e2e", LatLong: "N1 E2", URL: "http://e2e/"}})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{coll.Addr}, Bind: "127.0.0.13"})
	gm.Run(t, "-n", "load_one", "-v", "0.5", "-t", "float")
	dead := clusterAddr(stockganglia.FreePort(t))
	g := startGmetad(t, gmetadOptions{DataSources: []string{`"gz" 5 ` + dead + " " + coll.Addr}})
	d := waitDoc(t, g.XMLAddr, 20*time.Second, func(d *stockganglia.Doc) error {
		if c := findCluster(d, cluster); c == nil || c.HostByIP("127.0.0.13") == nil {
			return fmt.Errorf("cluster %q with host 127.0.0.13 not in our XML", cluster)
		}
		return nil
	})
	c := findCluster(d, cluster)
	if got := []string{c.Owner, c.LatLong, c.URL}; !slices.Equal(got, []string{"e2e", "N1 E2", "http://e2e/"}) {
		t.Errorf("CLUSTER OWNER/LATLONG/URL %q, want those of the polled gmond", got)
	}
	stockganglia.WaitForFile(t, filepath.Join(g.RRDRoot, "LPARS", "127.0.0.13", "load_one.rrd"), 20*time.Second)
}

// TestE2EPollStockGrid: our binary and a stock gmetad both poll a lower
// stock gmetad's xml_port (a GRID source, PROTOCOL.md §4.4): the answers
// to ganglia-web's summary request agree, and the grid summary file
// rrds/<grid>/__SummaryInfo__/ has stock's shape.
func TestE2EPollStockGrid(t *testing.T) {
	t.Parallel()
	const cluster, grid = "Lower Cluster", "lower-grid"
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: cluster}})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{coll.Addr}, Bind: "127.0.0.20"})
	for _, args := range spoofedFleet() {
		gm.Run(t, args...)
	}
	lower := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{Gridname: grid,
		DataSources: []stockganglia.DataSource{{Name: "c", Step: 5, Addrs: []string{coll.Addr}}}})
	lower.WaitFor(t, 20*time.Second, func(d *stockganglia.Doc) error {
		return hostsReady(d, cluster, map[string]int{"10.1.1.1": 3, "10.1.1.2": 6})
	})
	ours := startGmetad(t, gmetadOptions{DataSources: []string{`"lower" 5 ` + lower.XMLAddr}})
	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "lower", Step: 5, Addrs: []string{lower.XMLAddr}}}})
	err := poll(20*time.Second, func() error {
		od, _, err := queryDoc(ours.InteractiveAddr, "/?filter=summary")
		if err != nil {
			return err
		}
		sd, _, err := queryDoc(stock.InteractiveAddr, "/?filter=summary")
		if err != nil {
			return err
		}
		if err := compareAnswers(od, sd, ""); err != nil {
			return err
		}
		og, sg := findGrid(od, grid), findGrid(sd, grid)
		if og == nil || sg == nil {
			return fmt.Errorf("grid %q: ours %v, stock %v", grid, og != nil, sg != nil)
		}
		if e := compareSummary("GRID "+grid, og.HostsSummary, sg.HostsSummary, og.Summaries, sg.Summaries); e != "" {
			return fmt.Errorf("%s", e)
		}
		if og.Authority != sg.Authority {
			return fmt.Errorf("GRID %s AUTHORITY: ours %q, stock %q", grid, og.Authority, sg.Authority)
		}
		return nil
	})
	if err != nil {
		t.Errorf("/?filter=summary, ours against stock gmetad:\n%v", err)
	}
	of := filepath.Join(ours.RRDRoot, grid, "__SummaryInfo__", "load_one.rrd")
	sf := stock.RRDPath(grid, "__SummaryInfo__", "load_one")
	stockganglia.WaitForFile(t, of, 20*time.Second)
	stockganglia.WaitForFile(t, sf, 20*time.Second)
	if o, s := rrdShape(rrdInfo(t, of)), rrdShape(rrdInfo(t, sf)); !slices.Equal(o, s) {
		t.Errorf("grid summary file: rrdtool info differs\n ours  %q\n stock %q", o, s)
	}
}
