package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// system is one cluster of the generated mapping: a [[managed_system]],
// or the [default] table (which has no Serial).
type system struct {
	Name   string
	Serial string // model_serial, e.g. 8204-E8A_0000001
	Port   int    // 0: a free port is picked
}

// gmetadOptions describe one run of the binary.
type gmetadOptions struct {
	Default system   // the mapping's [default]; Name "" = "Unmapped"
	Systems []system // [[managed_system]] entries
	// DataSources are data_source lines without the directive, e.g.
	// `"stock" 15 127.0.0.1:8649`.
	DataSources []string
	Extra       []string // more gmetad.conf lines
	// MappingFlag passes the mapping with --mapping instead of the
	// mapping directive.
	MappingFlag bool
	Args        []string // more flags, e.g. "-d", "2"
	// RRDSubdir is rrd_rootdir below the run's directory (default
	// "rrds"); a deeper one lets the hostile test see escapes above it.
	RRDSubdir string
}

// gmetad is a running binary.
type gmetad struct {
	*proc
	Dir, ConfPath, MappingPath string
	RRDRoot, StateFile         string
	XMLAddr, InteractiveAddr   string
	Default                    system
	Systems                    []system
	checked                    bool     // the test stopped it and checked the exit
	argv                       []string // command line, for restart
}

// startGmetad writes the configuration, starts the binary in the
// foreground and waits until its xml_port answers. It is stopped by PID
// when the test ends; a failing test shows its log and where it is.
func startGmetad(t *testing.T, o gmetadOptions) *gmetad {
	t.Helper()
	bin := gmetadBinary(t)
	for attempt := 1; ; attempt++ {
		g := newGmetadFiles(t, o)
		args := []string{bin, "-f", "-c", g.ConfPath}
		if o.MappingFlag {
			args = append(args, "--mapping", g.MappingPath)
		}
		g.argv = append(args, o.Args...)
		g.proc = startProc(t, g.Dir, "gmetad.log", g.argv...)
		t.Cleanup(func() { g.cleanup(t) })
		err := g.waitReady(g.XMLAddr)
		if err == nil {
			return g
		}
		if !errors.Is(err, errAddrInUse) || attempt == 3 {
			t.Fatalf("gmetad %s: %v", g.ConfPath, err)
		}
		g.checked = true // this attempt's exit is explained
		t.Logf("gmetad: a port was taken (attempt %d); retrying on fresh ports", attempt)
	}
}

// restart starts the binary again on the same files and ports, after the
// test stopped it, and waits until it answers. Its log is gmetad-N.log.
func (g *gmetad) restart(t *testing.T, n int) *gmetad {
	t.Helper()
	if !g.checked {
		t.Fatal("restart: stop the running gmetad with Stop first")
	}
	g2 := *g
	g2.checked = false
	g2.proc = startProc(t, g.Dir, fmt.Sprintf("gmetad-%d.log", n), g.argv...)
	t.Cleanup(func() { g2.cleanup(t) })
	if err := g2.waitReady(g2.XMLAddr); err != nil {
		t.Fatalf("gmetad restarted on %s: %v", g.ConfPath, err)
	}
	return &g2
}

// cleanup stops the process and checks the clean exit and the log.
func (g *gmetad) cleanup(t *testing.T) {
	t.Helper()
	if err := g.stop(); err != nil && !g.checked {
		t.Errorf("gmetad (pid %d): %v", g.pid(), err)
	}
	logText := g.log()
	for _, bad := range []string{"panic:", "WARNING: DATA RACE", "fatal error:"} {
		if strings.Contains(logText, bad) {
			t.Errorf("gmetad log %s contains %q", g.logPath, bad)
		}
	}
	if t.Failed() {
		t.Logf("gmetad (pid %d) dir %s, config %s, log %s; log tail:\n%s",
			g.pid(), g.Dir, g.ConfPath, g.logPath, g.logTail())
	}
}

func newGmetadFiles(t *testing.T, o gmetadOptions) *gmetad {
	t.Helper()
	dir := t.TempDir()
	g := &gmetad{Dir: dir, Default: o.Default, Systems: append([]system(nil), o.Systems...)}
	if g.Default.Name == "" {
		g.Default.Name = "Unmapped"
	}
	if g.Default.Port == 0 {
		g.Default.Port = stockganglia.FreePort(t)
	}
	for i := range g.Systems {
		if g.Systems[i].Port == 0 {
			g.Systems[i].Port = stockganglia.FreePort(t)
		}
	}
	g.MappingPath = filepath.Join(dir, "mapping.toml")
	writeFile(t, g.MappingPath, mappingTOML(g.Default, g.Systems))
	sub := o.RRDSubdir
	if sub == "" {
		sub = "rrds"
	}
	g.RRDRoot = filepath.Join(dir, sub)
	if err := os.MkdirAll(g.RRDRoot, 0o755); err != nil {
		t.Fatal(err)
	}
	g.StateFile = filepath.Join(dir, "gmetad.state")
	g.XMLAddr = "127.0.0.1:" + strconv.Itoa(stockganglia.FreePort(t))
	g.InteractiveAddr = "127.0.0.1:" + strconv.Itoa(stockganglia.FreePort(t))
	g.ConfPath = filepath.Join(dir, "gmetad.conf")
	writeFile(t, g.ConfPath, g.conf(o))
	return g
}

func (g *gmetad) conf(o gmetadOptions) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# written by cmd/gmetad e2e tests")
	for _, ds := range o.DataSources {
		line("data_source %s", ds)
	}
	line("gridname %q", e2eGrid)
	line("authority %q", "http://e2e.example/ganglia/")
	line("xml_port %s", portOf(g.XMLAddr))
	line("interactive_port %s", portOf(g.InteractiveAddr))
	line("rrd_rootdir %q", g.RRDRoot)
	line("setuid off")
	line("trusted_hosts 127.0.0.1")
	line("state_file %q", g.StateFile)
	line("rrd_flush_interval 1")
	line("web_address off")
	if !o.MappingFlag {
		line("mapping %q", g.MappingPath)
	}
	for _, e := range o.Extra {
		line("%s", e)
	}
	return b.String()
}

// mappingTOML writes the mapping in the shape of gmond/mapping's example.
func mappingTOML(def system, systems []system) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# written by cmd/gmetad e2e tests\nlpar_dir = \"LPARS\"\n\n")
	fmt.Fprintf(&b, "[default]\ncluster = %q\nport = %d\n", def.Name, def.Port)
	for _, s := range systems {
		fmt.Fprintf(&b, "\n[[managed_system]]\nname = %q\nmodel_serial = %q\nport = %d\n", s.Name, s.Serial, s.Port)
	}
	return b.String()
}

func portOf(addr string) string { return addr[strings.LastIndexByte(addr, ':')+1:] }

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// clusterAddr is where the binary serves the gmond XML dump of a cluster:
// TCP on the cluster's UDP port.
func clusterAddr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// Stop stops the binary now and fails the test unless it exited 0.
func (g *gmetad) Stop(t *testing.T) {
	t.Helper()
	g.checked = true
	if err := g.stop(); err != nil {
		t.Fatalf("gmetad (pid %d): %v", g.pid(), err)
	}
}

// TestE2EPrintConfig: -t prints the effective configuration, our
// directives included, and exits 0 without starting anything.
func TestE2EPrintConfig(t *testing.T) {
	t.Parallel()
	bin := gmetadBinary(t)
	g := newGmetadFiles(t, gmetadOptions{Extra: []string{"lpm_conflict_window 7", "host_dmax 0"}})
	out, err := runBinary(t, g.Dir, bin, "-t", "-c", g.ConfPath)
	if err != nil {
		t.Fatalf("gmetad -t -c %s: %v\n%s", g.ConfPath, err, out)
	}
	for _, want := range []string{
		"rrd_flush_interval 1", "lpm_conflict_window 7", "host_dmax 0", "web_address off",
		"state_file " + strconv.Quote(g.StateFile), "mapping " + strconv.Quote(g.MappingPath),
		"gridname " + strconv.Quote(e2eGrid), "xml_port " + portOf(g.XMLAddr),
	} {
		if !strings.Contains(out, "\n"+want+"\n") {
			t.Errorf("gmetad -t output lacks the line %q; output:\n%s", want, out)
		}
	}
}

// TestE2EConfigErrors: a bad configuration stops the binary with a
// non-zero exit and a message naming the file and line.
func TestE2EConfigErrors(t *testing.T) {
	t.Parallel()
	bin := gmetadBinary(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	writeFile(t, good, mappingTOML(system{Name: "Unmapped", Port: stockganglia.FreePort(t)}, nil))
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, bad, "[default]\ncluster = \"x\"\nport = 8300\nbogus = 1\n")
	// Five good lines on free ports, so that a binary that wrongly
	// accepts the sixth binds nothing in use; runBinary kills it.
	base := fmt.Sprintf("setuid off\nxml_port %d\ninteractive_port %d\nrrd_rootdir %q\n",
		stockganglia.FreePort(t), stockganglia.FreePort(t), t.TempDir())
	for _, tc := range []struct {
		name, lines, want string
	}{
		{"port out of range", "mapping " + strconv.Quote(good) + "\ninteractive_port 99999\n", ":6"},
		{"unknown directive", "mapping " + strconv.Quote(good) + "\nno_such_directive 1\n", ":6"},
		{"bad data_source", "mapping " + strconv.Quote(good) + "\ndata_source \"x\" 15\n", ":6"},
		{"bad mapping", "mapping " + strconv.Quote(bad) + "\n", bad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".conf")
			writeFile(t, path, base+tc.lines)
			out, err := runBinary(t, dir, bin, "-f", "-c", path)
			if err == nil {
				t.Fatalf("gmetad -c %s exited 0; output:\n%s", path, out)
			}
			want := tc.want
			if strings.HasPrefix(want, ":") {
				want = path + want
			}
			if !strings.Contains(out, want) {
				t.Errorf("gmetad -c %s (%v): output does not name %q:\n%s", path, err, want, out)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "nonexistent.conf")
		out, err := runBinary(t, dir, bin, "-f", "-c", path)
		if err == nil || !strings.Contains(out, path) {
			t.Errorf("gmetad -c %s: err %v, output:\n%s", path, err, out)
		}
	})
}

// TestE2EPidFileAndDebug: -p writes the PID, -d 2 logs at debug level,
// SIGTERM ends the process with status 0 and the state file written.
func TestE2EPidFileAndDebug(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "gmetad.pid")
	g := startGmetad(t, gmetadOptions{Args: []string{"-d", "2", "-p", pidFile}})
	stockganglia.Eventually(t, 5*time.Second, func() error {
		b, err := os.ReadFile(pidFile)
		if err != nil {
			return err
		}
		if got := strings.TrimSpace(string(b)); got != strconv.Itoa(g.pid()) {
			return fmt.Errorf("pid file says %q, the process is %d", got, g.pid())
		}
		return nil
	})
	// A malformed interactive request is logged at debug level only.
	if b, err := stockganglia.Query(g.InteractiveAddr, "no-slash", e2eIOTimeout); len(b) > 0 {
		t.Errorf("malformed request %q answered (%v): %q", "no-slash", err, b)
	}
	if err := poll(5*time.Second, func() error {
		if !strings.Contains(g.log(), "level=DEBUG") {
			return fmt.Errorf("-d 2: no level=DEBUG line in %s", g.logPath)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
	g.Stop(t)
	if fi, err := os.Stat(g.StateFile); err != nil || fi.Size() == 0 {
		t.Errorf("state file after SIGTERM: %v (size %d)", err, sizeOf(fi))
	}
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return -1
	}
	return fi.Size()
}

// TestE2EMappingReload: the mapping is re-read when the file changes (an
// editor's write-and-rename) and on SIGHUP: a new managed system starts
// listening, a broken file is reported with file and line while the last
// good mapping stays in force, and removing a system lets its hosts move
// on when they show up on another port.
func TestE2EMappingReload(t *testing.T) {
	t.Parallel()
	const ip = "127.0.0.12"
	a := system{Name: "P550-DC1-R01", Serial: "8204-E8A_0000001"}
	g := startGmetad(t, gmetadOptions{Systems: []system{a}})
	a = g.Systems[0]
	l := startLPAR(t, ip, a.Port, "1.25")
	waitOnlyIn(t, g, a.Name, ip, "1.25")

	b := system{Name: "P770-DC1-R05", Serial: "9117-MMB_0000002", Port: stockganglia.FreePort(t)}
	replaceFile(t, g.MappingPath, mappingTOML(g.Default, []system{a, b}))
	waitDoc(t, clusterAddr(b.Port), 10*time.Second, func(d *stockganglia.Doc) error {
		if findCluster(d, b.Name) == nil {
			return fmt.Errorf("no cluster %q on its new port %d", b.Name, b.Port)
		}
		return nil
	})
	g.Systems = []system{a, b}
	l.moveTo(b.Port, "2.50")
	waitOnlyIn(t, g, b.Name, ip, "2.50")

	// A broken file (two clusters on one port) changes nothing.
	bad := mappingTOML(g.Default, []system{a, {Name: b.Name, Serial: b.Serial, Port: a.Port}})
	replaceFile(t, g.MappingPath, bad)
	if err := g.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if err := poll(10*time.Second, func() error {
		if !strings.Contains(g.log(), g.MappingPath+":") {
			return fmt.Errorf("the broken mapping is not reported with %s:<line> in %s", g.MappingPath, g.logPath)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
	l.waitTicks(t, 2)
	waitOnlyIn(t, g, b.Name, ip, "2.50")

	// B leaves the mapping; the LPAR, back on A, moves there.
	replaceFile(t, g.MappingPath, mappingTOML(g.Default, []system{a}))
	if err := g.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	g.Systems = []system{a}
	waitDoc(t, g.XMLAddr, 10*time.Second, func(d *stockganglia.Doc) error {
		if findCluster(d, b.Name) != nil {
			return fmt.Errorf("cluster %q still served after it left the mapping", b.Name)
		}
		return nil
	})
	l.moveTo(a.Port, "1.25")
	waitOnlyIn(t, g, a.Name, ip, "1.25")
}

// replaceFile writes path the way editors do: a new file renamed over it.
func replaceFile(t *testing.T, path, text string) {
	t.Helper()
	tmp := path + ".new"
	writeFile(t, tmp, text)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestE2ETrustedHosts: xml_port and interactive_port answer 127.0.0.1 and
// the trusted_hosts only, and close on anybody else without a byte, as
// stock gmetad does (PROTOCOL.md §5.1); checked against a stock gmetad
// with the same trusted_hosts.
func TestE2ETrustedHosts(t *testing.T) {
	t.Parallel()
	ours := startGmetad(t, gmetadOptions{Extra: []string{"trusted_hosts 127.0.0.3"}})
	stock := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "x", Addrs: []string{clusterAddr(ours.Default.Port)}}},
		Extra:       "trusted_hosts 127.0.0.3",
	})
	for _, tc := range []struct {
		from    string
		trusted bool
	}{{"127.0.0.1", true}, {"127.0.0.3", true}, {"127.0.0.2", false}} {
		for _, side := range []struct{ name, xml, inter string }{
			{"ours", ours.XMLAddr, ours.InteractiveAddr},
			{"stock", stock.XMLAddr, stock.InteractiveAddr},
		} {
			for port, req := range map[string]string{side.xml: "", side.inter: "/\n"} {
				b, err := exchangeFrom(tc.from, port, req)
				if tc.trusted && (err != nil || !bytes.Contains(b, []byte("<GANGLIA_XML"))) {
					t.Errorf("%s %s from trusted %s: %v, %d bytes", side.name, port, tc.from, err, len(b))
				}
				if !tc.trusted && len(b) > 0 {
					t.Errorf("%s %s answered untrusted %s with %d bytes", side.name, port, tc.from, len(b))
				}
			}
		}
	}
}

// exchangeFrom connects from a given loopback address, sends req (if
// any) and reads to EOF.
func exchangeFrom(from, addr, req string) ([]byte, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: e2eIOTimeout}
	c, err := d.Dial("tcp4", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(e2eIOTimeout)); err != nil {
		return nil, err
	}
	if req != "" {
		if _, err := io.WriteString(c, req); err != nil {
			return nil, err
		}
	}
	return io.ReadAll(c)
}

// TestE2EHostExpiry: with host_dmax 3 and cleanup_threshold 1 a host
// that falls silent leaves the XML and the summaries within seconds, as
// from a collector gmond with those globals; its RRD files stay.
func TestE2EHostExpiry(t *testing.T) {
	t.Parallel()
	const ip = "127.0.0.14"
	g := startGmetad(t, gmetadOptions{Extra: []string{"host_dmax 3", "cleanup_threshold 1"}})
	l := startLPAR(t, ip, g.Default.Port, "1.25")
	name := waitOnlyIn(t, g, g.Default.Name, ip, "1.25")
	rrd := filepath.Join(g.RRDRoot, "LPARS", name, "load_one.rrd")
	stockganglia.WaitForFile(t, rrd, 20*time.Second)
	l.stop()
	waitDoc(t, g.XMLAddr, 15*time.Second, func(d *stockganglia.Doc) error {
		if h := d.Host(name); h != nil {
			return fmt.Errorf("host %s still listed (TN %d, DMAX %d)", name, h.TN, h.DMAX)
		}
		return nil
	})
	if err := checkSummaries(g, "", ""); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(rrd); err != nil {
		t.Errorf("the expired host's RRD: %v (RRD files are never deleted)", err)
	}
}

// TestE2EMetadataRequest: a value for a metric whose metadata is unknown
// gets a gmetadata_request back to the sender's address and port, so that
// a stock gmond re-sends its metadata (PROTOCOL.md §1.7).
func TestE2EMetadataRequest(t *testing.T) {
	t.Parallel()
	g := startGmetad(t, gmetadOptions{})
	s := newUDPSender(t, "127.0.0.15")
	id := xdr.MetricID{Host: "orphan-host", Name: "orphan"}
	if err := s.send(g.Default.Port, valuePkt(t, xdr.IDFloat, id, xdr.Value{Fmt: "%.1f", F32: 1})); err != nil {
		t.Fatal(err)
	}
	if err := s.conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	n, from, err := s.conn.ReadFromUDP(buf)
	if err != nil {
		t.Fatalf("no metadata request within 5 s: %v", err)
	}
	m, err := xdr.Decode(buf[:n])
	if err != nil {
		t.Fatalf("reply from %v: %v (% x)", from, err, buf[:n])
	}
	if m.ID != xdr.IDMetadataRequest || m.Name != "orphan" || m.Spoof {
		t.Errorf("reply %+v, want a gmetadata_request for orphan", m)
	}
}
