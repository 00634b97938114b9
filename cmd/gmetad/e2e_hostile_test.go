package main

// Hostile input end to end: malformed and malicious packets, a flood of
// junk and poisoned data sources against a running binary, while one
// legitimate LPAR keeps reporting. Names from the network are data, never
// paths (DESIGN.md decision 3), and every XML answer stays well-formed.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// xb builds raw XDR, lies included, without the codec's checks.
type xb []byte

func (b xb) u32(v uint32) xb { return binary.BigEndian.AppendUint32(b, v) }

func (b xb) str(s string) xb { return b.strLen(uint32(len(s)), s) }

// strLen writes n as the length, then s padded to a multiple of 4.
func (b xb) strLen(n uint32, s string) xb {
	b = append(b.u32(n), s...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func rawMeta(host, name string, spoof uint32, typ, units string, extras ...string) []byte {
	b := xb(nil).u32(128).str(host).str(name).u32(spoof).str(typ).str(name).str(units).u32(3).u32(60).u32(0)
	b = b.u32(uint32(len(extras) / 2))
	for _, e := range extras {
		b = b.str(e)
	}
	return b
}

func rawFloat(host, name string, spoof uint32, v float32) []byte {
	return xb(nil).u32(134).str(host).str(name).u32(spoof).str("%.2f").u32(math.Float32bits(v))
}

func rawString(host, name string, spoof uint32, v string) []byte {
	return xb(nil).u32(133).str(host).str(name).u32(spoof).str("%s").str(v)
}

// hostileNames are names no file system path or XML document may take
// verbatim. The escapes climb at most three levels: the RRD root is three
// levels below the test's directory, which the test walks.
func hostileNames() []string {
	return []string{
		"../../../escaped", "../escaped", "..", ".", "a/b", "/abs", "a/../../b",
		"x\x00y", "\x01\x02ctl\n\r\t", "<x>&\"'", "]]>", "&#1;", "%s%n%x",
		strings.Repeat("L", 300), strings.Repeat("K", 255), strings.Repeat("N", 4096),
		"\xff\xfe bad utf-8", "LPARS", "__SummaryInfo__", "-rf", " ", "", "a:b", "ü\u202e",
	}
}

// hostileSpoofs are spoof strings "IP:name" gone wrong.
func hostileSpoofs() []string {
	s := []string{"1.2.3.4:../../x", ":x", "x:", ":", "::", "1.2.3.4:", "1.2.3.4:a/b",
		"1.2.3.4:<x>&\"'", "../../..:evil", "1.2.3.4:" + strings.Repeat("H", 300), "1.2.3.4:\x00", "/:/"}
	for _, n := range hostileNames() {
		s = append(s, "10.66.0.1:"+n, n+":spoofed")
	}
	return s
}

// corpus returns the malformed and malicious datagrams.
func corpus() [][]byte {
	var pkts [][]byte
	good := rawMeta("h", "temp", 0, "float", "C", "GROUP", "env")
	val := rawFloat("h", "temp", 0, 21.5)
	for n := 0; n < len(good); n++ { // truncated
		pkts = append(pkts, good[:n])
	}
	for n := 0; n < len(val); n++ {
		pkts = append(pkts, val[:n])
	}
	for _, id := range []uint32{0, 1, 127, 137, 255, 1 << 31, math.MaxUint32} { // unknown ids
		pkts = append(pkts, append(xb(nil).u32(id), good[4:]...))
	}
	for _, n := range []uint32{math.MaxUint32, math.MaxInt32, 2000, 9} { // lying lengths
		pkts = append(pkts,
			xb(nil).u32(128).strLen(n, "host"),
			append(xb(nil).u32(134).str("h").strLen(n, "temp"), val[20:]...),
			append(good[:len(good)-24:len(good)-24], xb(nil).u32(n).str("GROUP").str("env")...),
			xb(nil).u32(133).str("h").str("s").u32(0).str("%s").strLen(n, "abc"))
	}
	pkts = append(pkts,
		rawMeta("h", "weird", 2, "float", ""), rawMeta("h", "weird2", math.MaxUint32, "bogus", ""),
		rawMeta("h", "weird3", 0, "", ""), xb(nil).u32(136).str("h").str("temp").u32(0))
	for i, n := range hostileNames() {
		str := "str_" + strconv.Itoa(i)
		pkts = append(pkts,
			rawMeta("h", n, 0, "float", n, "GROUP", n, n, "v"), rawFloat("h", n, 0, 1),
			rawMeta("h", str, 0, "string", ""), rawString("h", str, 0, n))
	}
	for _, s := range hostileSpoofs() {
		pkts = append(pkts, rawMeta(s, "spoofed_metric", 1, "float", ""), rawFloat(s, "spoofed_metric", 1, 2),
			rawMeta(s, "heartbeat", 1, "uint32", "", "SPOOF_HOST", s, "SPOOF_HEARTBEAT", "yes"),
			rawString(s, "heartbeat", 1, "0"))
	}
	return pkts
}

// flood sends n datagrams of seeded random junk, half of them opening
// with a known message id, within the time limit; it returns how many it
// sent.
func flood(s *udpSender, port, n int, limit time.Duration) (int, error) {
	r := rand.New(rand.NewPCG(4, 2))
	buf := make([]byte, 1472)
	deadline := time.Now().Add(limit)
	for i := 0; i < n; i++ {
		if i%1024 == 0 && time.Now().After(deadline) {
			return i, nil
		}
		p := buf[:r.IntN(len(buf)+1)]
		for j := range p {
			p[j] = byte(r.Uint32())
		}
		if len(p) >= 4 && i%2 == 0 {
			binary.BigEndian.PutUint32(p, 128+uint32(r.IntN(9)))
		}
		if err := s.send(port, p); err != nil && !isTransient(err) {
			return i, err
		}
	}
	return n, nil
}

// isTransient is a full socket buffer: the flood outruns the receiver.
func isTransient(err error) bool { return errors.Is(err, syscall.ENOBUFS) }

// evilSource is a data source that serves a poisoned gmond document on
// every connection and counts them.
type evilSource struct {
	Addr   string
	served atomic.Int64
}

func startEvilSource(t *testing.T, cluster string) *evilSource {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	e := &evilSource{Addr: ln.Addr().String()}
	doc := evilDoc(cluster)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			_, _ = c.Write(doc)
			c.Close()
			e.served.Add(1)
		}
	}()
	return e
}

// evilDoc is a gmond dump whose names are all attacks; XML escapes carry
// what the markup alone cannot.
func evilDoc(cluster string) []byte {
	now := strconv.FormatInt(time.Now().Unix(), 10)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>` + "\n")
	b.WriteString(`<GANGLIA_XML VERSION="3.7.2" SOURCE="gmond">` + "\n")
	fmt.Fprintf(&b, "<CLUSTER NAME=\"%s\" LOCALTIME=\"%s\" OWNER=\"&lt;x&gt;&amp;\" LATLONG=\"unspecified\" URL=\"unspecified\">\n", xmlEsc(cluster), now)
	for i, h := range []string{"../../../evil-host", "a/b", "/abs", "..", ".", "LPARS", "__SummaryInfo__", "ok-host", "&lt;h&gt;", strings.Repeat("Q", 300)} {
		fmt.Fprintf(&b, "<HOST NAME=\"%s\" IP=\"10.77.0.%d\" REPORTED=\"%s\" TN=\"0\" TMAX=\"20\" DMAX=\"0\" LOCATION=\"\" GMOND_STARTED=\"0\" TAGS=\"\">\n", h, i, now)
		for _, m := range []struct{ name, val, typ string }{
			{"../../../evil-metric", "1", "float"}, {"a/b", "2", "float"}, {"..", "3", "double"},
			{"load_one", "NaN", "float"}, {"inf_metric", "inf", "float"}, {"big", "1e400", "double"},
			{"neg", "-1", "uint32"}, {"text", "abc", "int32"}, {"s", "&lt;&amp;&gt;", "string"}, {"ok_metric", "5", "float"},
		} {
			fmt.Fprintf(&b, "<METRIC NAME=\"%s\" VAL=\"%s\" TYPE=\"%s\" UNITS=\"\" TN=\"0\" TMAX=\"60\" DMAX=\"0\" SLOPE=\"both\">\n", m.name, m.val, m.typ)
			b.WriteString("<EXTRA_DATA>\n<EXTRA_ELEMENT NAME=\"GROUP\" VAL=\"&lt;/EXTRA_DATA&gt;\"/>\n</EXTRA_DATA>\n</METRIC>\n")
		}
		b.WriteString("</HOST>\n")
	}
	b.WriteString("</CLUSTER>\n</GANGLIA_XML>\n")
	return []byte(b.String())
}

func xmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// hostileRSSLimit bounds the binary's peak resident set (VmHWM) through
// the whole hostile test; the race detector multiplies memory use.
func hostileRSSLimit() int64 {
	if os.Getenv(e2eRaceEnv) == "1" {
		return 1 << 30
	}
	return 200 << 20
}

// TestE2EHostileInput: the corpus, a spoofed-host and metric flood beyond
// the configured limits, 200k junk datagrams and five poisoned data
// sources, while a legitimate LPAR keeps reporting. The binary keeps
// running within the memory bound, creates nothing outside its RRD root,
// keeps every XML answer well-formed, enforces max_hosts_per_cluster and
// max_metrics_per_host, logs through a throttle, keeps writing the
// legitimate host's RRD, and exits 0 on SIGTERM during a flood.
func TestE2EHostileInput(t *testing.T) {
	t.Parallel()
	const cluster, legit = "P-Hostile", "127.0.0.9"
	var sources []string
	var evils []*evilSource
	for i, c := range []string{"../../../evil-cluster", "LPARS", "__SummaryInfo__", ".", "a/b"} {
		e := startEvilSource(t, c)
		evils = append(evils, e)
		sources = append(sources, fmt.Sprintf(`"evil%d" 5 %s`, i, e.Addr))
	}
	g := startGmetad(t, gmetadOptions{
		Systems:     []system{{Name: cluster, Serial: "8204-E8A_0000009"}},
		DataSources: sources,
		RRDSubdir:   filepath.Join("outer", "inner", "rrds"),
		Extra: []string{"hostname_from_packet on", `RRAs "RRA:AVERAGE:0.5:1:60"`,
			"max_hosts_per_cluster 300", "max_metrics_per_host 100"},
	})
	port := g.Systems[0].Port
	startLPAR(t, legit, port, "1.25")
	waitDoc(t, g.XMLAddr, 15*time.Second, func(d *stockganglia.Doc) error {
		if c := findCluster(d, cluster); c == nil || c.HostByIP(legit) == nil || c.HostByIP(legit).Metric("load_one") == nil {
			return fmt.Errorf("legitimate host %s with load_one not yet in %s", legit, cluster)
		}
		return nil
	})

	sendHostile(t, port)
	for _, e := range evils {
		stockganglia.Eventually(t, 20*time.Second, func() error {
			if n := e.served.Load(); n < 2 {
				return fmt.Errorf("poisoned source %s polled %d times, want 2", e.Addr, n)
			}
			return nil
		})
	}
	if g.exited() {
		t.Fatalf("gmetad died under hostile input: %v", g.waitErr)
	}
	checkAnswersWellFormed(t, g)
	checkLimits(t, g, cluster, 300, 100)
	checkLegitUpdates(t, g, cluster, legit)
	if hwm, limit := vmHWM(t, g.pid()), hostileRSSLimit(); hwm > limit {
		t.Errorf("gmetad VmHWM %d MiB, bound %d MiB", hwm>>20, limit>>20)
	} else {
		t.Logf("gmetad VmHWM %d MiB (bound %d MiB)", hwm>>20, limit>>20)
	}
	// SIGTERM while junk keeps arriving: a clean exit all the same.
	junk := newUDPSender(t, "127.0.0.51")
	flooding := make(chan error, 1)
	go func() { _, err := flood(junk, port, math.MaxInt, 5*time.Second); flooding <- err }()
	g.Stop(t)
	if err := <-flooding; err != nil {
		t.Errorf("flood during shutdown: %v", err)
	}
	checkConfined(t, g)
	if fi, err := os.Stat(g.logPath); err == nil && fi.Size() > 2<<20 {
		t.Errorf("gmetad log %s is %d bytes after the flood: malformed input is not throttled", g.logPath, fi.Size())
	}
}

// sendHostile sends the corpus, names from packets (hostname_from_packet),
// a host and metric flood, and the junk flood.
func sendHostile(t *testing.T, port int) {
	t.Helper()
	s := newUDPSender(t, "127.0.0.10")
	for _, p := range corpus() {
		if err := s.send(port, p); err != nil && !errors.Is(err, syscall.EMSGSIZE) {
			t.Fatalf("sending the corpus: %v", err)
		}
	}
	for k, n := range hostileNames() {
		if len(n) > 1000 {
			continue // would not fit a datagram the receiver reads
		}
		hs := newUDPSender(t, "127.0.0."+strconv.Itoa(100+k))
		if err := hs.send(port, rawMeta(n, "named_metric", 0, "float", ""), rawFloat(n, "named_metric", 0, 1)); err != nil {
			t.Fatalf("sending host name %q: %v", n, err)
		}
	}
	for i := 0; i < 1000; i++ { // more spoofed hosts than max_hosts_per_cluster
		h := fmt.Sprintf("10.88.%d.%d:flood-%d", i/250, i%250, i)
		if err := s.send(port, rawMeta(h, "f", 1, "float", ""), rawFloat(h, "f", 1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 500; i++ { // more metrics than max_metrics_per_host
		name := "m" + strconv.Itoa(i)
		if err := s.send(port, rawMeta("10.99.0.1:many-metrics", name, 1, "float", ""),
			rawFloat("10.99.0.1:many-metrics", name, 1, 1)); err != nil {
			t.Fatal(err)
		}
	}
	n, err := flood(newUDPSender(t, "127.0.0.50"), port, 200000, 15*time.Second)
	if err != nil {
		t.Fatalf("flood: %v after %d datagrams", err, n)
	}
	t.Logf("flood: %d junk datagrams sent", n)
}

// checkAnswersWellFormed parses every kind of answer with encoding/xml,
// and sends hostile request lines, which must get nothing or XML.
func checkAnswersWellFormed(t *testing.T, g *gmetad) {
	t.Helper()
	addrs := []string{g.XMLAddr, clusterAddr(g.Default.Port)}
	for _, s := range g.Systems {
		addrs = append(addrs, clusterAddr(s.Port))
	}
	for _, a := range addrs {
		if _, b, err := fetchDoc(a); err != nil {
			t.Errorf("answer of %s is not well-formed XML: %v\n%s", a, err, clip(b))
		}
	}
	for _, req := range []string{"/", "/?filter=summary", "/" + g.Systems[0].Name, "/" + g.Systems[0].Name + "?filter=summary"} {
		if _, b, err := queryDoc(g.InteractiveAddr, req); err != nil {
			t.Errorf("interactive %q is not well-formed XML: %v\n%s", req, err, clip(b))
		}
	}
	for _, req := range []string{"/../../../etc/passwd", "/<x>", "/a/b/c/d/e/f", "/?filter=", "/\x00", strings.Repeat("/x", 50000)} {
		b, err := stockganglia.Query(g.InteractiveAddr, req, e2eIOTimeout)
		if err != nil && len(b) == 0 {
			continue // closed without an answer: fine for a malformed request
		}
		if len(b) > 0 {
			if _, err := stockganglia.ParseXML(b); err != nil {
				t.Errorf("interactive %q answered malformed XML: %v\n%s", clip([]byte(req)), err, clip(b))
			}
		}
	}
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}

// checkLimits: the cluster holds at most maxHosts hosts and no host more
// than maxMetrics metrics.
func checkLimits(t *testing.T, g *gmetad, cluster string, maxHosts, maxMetrics int) {
	t.Helper()
	d, _, err := fetchDoc(clusterAddr(g.Systems[0].Port))
	if err != nil {
		t.Fatal(err)
	}
	c := findCluster(d, cluster)
	if c == nil {
		t.Fatalf("no cluster %q in its dump", cluster)
	}
	if len(c.Hosts) > maxHosts {
		t.Errorf("cluster %s holds %d hosts, max_hosts_per_cluster %d", cluster, len(c.Hosts), maxHosts)
	}
	for _, h := range c.Hosts {
		if len(h.Metrics) > maxMetrics {
			t.Errorf("host %q has %d metrics, max_metrics_per_host %d", h.Name, len(h.Metrics), maxMetrics)
		}
	}
	t.Logf("cluster %s: %d hosts after the floods", cluster, len(c.Hosts))
}

// checkLegitUpdates: the legitimate host is fresh in the XML and its
// load_one.rrd gets a newer update after the flood.
func checkLegitUpdates(t *testing.T, g *gmetad, cluster, ip string) {
	t.Helper()
	d := waitDoc(t, g.XMLAddr, 10*time.Second, func(d *stockganglia.Doc) error {
		c := findCluster(d, cluster)
		if c == nil || c.HostByIP(ip) == nil {
			return fmt.Errorf("host %s gone from %s", ip, cluster)
		}
		if m := c.HostByIP(ip).Metric("load_one"); m == nil || m.TN > 3 {
			return fmt.Errorf("host %s: load_one %+v, want TN <= 3", ip, m)
		}
		return nil
	})
	name := findCluster(d, cluster).HostByIP(ip).Name
	rrd := filepath.Join(g.RRDRoot, "LPARS", name, "load_one.rrd")
	stockganglia.WaitForFile(t, rrd, 20*time.Second)
	waitRRDLast(t, rrd, rrdLast(t, rrd)+1, 40*time.Second)
}

// vmHWM is the peak resident set of pid, from /proc.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM line %q: %v", line, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// checkConfined walks the run's directory: besides the configuration,
// the log and the state file, everything lies under the RRD root, every
// link there resolves inside it, and no name holds a control character.
func checkConfined(t *testing.T, g *gmetad) {
	t.Helper()
	root, err := filepath.EvalSymlinks(g.RRDRoot)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{".": true, "gmetad.conf": true, "mapping.toml": true, "gmetad.log": true,
		"outer": true, filepath.Join("outer", "inner"): true}
	files := 0
	err = filepath.WalkDir(g.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(g.Dir, path)
		if strings.IndexFunc(d.Name(), func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			t.Errorf("a name with a control character: %q", rel)
		}
		under := strings.HasPrefix(path+"/", g.RRDRoot+"/")
		if !under && !allowed[rel] && !strings.HasPrefix(d.Name(), "gmetad.state") {
			t.Errorf("created outside the RRD root %s: %q", g.RRDRoot, rel)
		}
		if under && d.Type()&fs.ModeSymlink != 0 {
			if dst, err := filepath.EvalSymlinks(path); err != nil {
				t.Errorf("dangling link %q: %v", rel, err)
			} else if !strings.HasPrefix(dst+"/", root+"/") {
				t.Errorf("link %q resolves outside the RRD root: %s", rel, dst)
			}
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d entries under %s, all confined", files, g.Dir)
}

// startTarpit is a data source that accepts, then dribbles one byte a
// second and never ends the document (PROTOCOL.md Q15: gmetad reads
// until EOF with a 10 s inactivity timeout, so it keeps waiting).
func startTarpit(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tick := time.NewTicker(time.Second)
				defer tick.Stop()
				_, _ = io.WriteString(c, "<?xml version=\"1.0\"?>\n<GANGLIA_XML VERSION=\"3.7.2\" SOURCE=\"gmond\">\n")
				for {
					select {
					case <-done:
						return
					case <-tick.C:
						if _, err := io.WriteString(c, " "); err != nil {
							return
						}
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestE2EPollTarpit: a data source that never finishes its document
// holds up nothing else: another source's changes keep reaching the XML
// at its own interval, and the XML ports keep answering.
func TestE2EPollTarpit(t *testing.T) {
	t.Parallel()
	const cluster, host = "Good Cluster", "127.0.0.19"
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: cluster}})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{coll.Addr}, Bind: host})
	gm.Run(t, "-n", "e2e_gauge", "-v", "1", "-t", "uint32")
	g := startGmetad(t, gmetadOptions{DataSources: []string{
		`"tarpit" 2 ` + startTarpit(t), `"good" 2 ` + coll.Addr}})
	for _, v := range []string{"1", "2", "3"} {
		if v != "1" {
			gm.Run(t, "-n", "e2e_gauge", "-v", v, "-t", "uint32")
		}
		start := time.Now()
		waitDoc(t, g.XMLAddr, 10*time.Second, func(d *stockganglia.Doc) error {
			h := d.Host(host)
			if h == nil || h.Metric("e2e_gauge") == nil || h.Metric("e2e_gauge").Val != v {
				return fmt.Errorf("host %s: e2e_gauge not (yet) %s", host, v)
			}
			return nil
		})
		t.Logf("value %s in our XML after %v", v, time.Since(start).Round(100*time.Millisecond))
	}
	if _, _, err := queryDoc(g.InteractiveAddr, "/?filter=summary"); err != nil {
		t.Errorf("interactive port with a tarpit source: %v", err)
	}
}

// TestE2EIdleClients: connections that never send a request line (from
// an untrusted address, and from a trusted one beyond max_xml_clients)
// must not lock ganglia-web out of the interactive port for longer than
// the request read timeout.
func TestE2EIdleClients(t *testing.T) {
	t.Parallel()
	g := startGmetad(t, gmetadOptions{Extra: []string{"max_xml_clients 16"}})
	for _, from := range []string{"127.0.0.2", "127.0.0.1"} {
		var conns []net.Conn
		for range 64 {
			d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: e2eIOTimeout}
			c, err := d.Dial("tcp4", g.InteractiveAddr)
			if err != nil {
				t.Fatalf("idle connection from %s: %v", from, err)
			}
			conns = append(conns, c)
		}
		start := time.Now()
		err := poll(15*time.Second, func() error {
			_, _, err := queryDoc(g.InteractiveAddr, "/?filter=summary")
			return err
		})
		t.Logf("64 idle clients from %s: a query got through after %v (err %v)", from, time.Since(start).Round(100*time.Millisecond), err)
		if err != nil {
			t.Errorf("64 idle connections from %s lock the interactive port out: %v", from, err)
		}
		if _, _, err := fetchDoc(g.XMLAddr); err != nil {
			t.Errorf("xml_port with 64 idle interactive clients from %s: %v", from, err)
		}
		for _, c := range conns {
			c.Close()
		}
	}
}
