package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// unitTimeout bounds every wait of these tests.
const unitTimeout = 15 * time.Second

// unitEnv is an environment that never reads /etc/ganglia and never runs
// as root, with RRDCACHED_ADDRESS unset.
func unitEnv(t testing.TB) *environment {
	dir := t.TempDir()
	return &environment{
		defaultConfig:  filepath.Join(dir, "no-gmetad.conf"),
		defaultMapping: filepath.Join(dir, "no-lpm.toml"),
		getenv:         func(string) string { return "" },
		now:            time.Now,
	}
}

// lockedBuffer is a bytes.Buffer the logger and the test share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// unitSite is one gmetad configuration on free loopback ports.
type unitSite struct {
	dir, conf, mapping, rrds, state, pid string
	xmlPort, interPort                   int
	portA, portB, portC                  int
}

func newUnitSite(t *testing.T) *unitSite {
	dir := t.TempDir()
	s := &unitSite{dir: dir, conf: filepath.Join(dir, "gmetad.conf"), mapping: filepath.Join(dir, "lpm.toml"),
		rrds: filepath.Join(dir, "rrds"), state: filepath.Join(dir, "gmetad.state"), pid: filepath.Join(dir, "gmetad.pid"),
		xmlPort: stockganglia.FreePort(t), interPort: stockganglia.FreePort(t),
		portA: stockganglia.FreePort(t), portB: stockganglia.FreePort(t), portC: stockganglia.FreePort(t)}
	writeText(t, s.conf, fmt.Sprintf("gridname \"unit\"\nxml_port %d\ninteractive_port %d\nrrd_rootdir %q\n"+
		"setuid off\nstate_file %q\nmapping %q\nrrd_flush_interval 1\nweb_address 127.0.0.1:0\n",
		s.xmlPort, s.interPort, s.rrds, s.state, s.mapping))
	s.writeMapping(t, "P550", false)
	return s
}

// writeMapping writes the mapping: the default cluster on portA named
// defaultName, P770 on portB, and P880 on portC when withC.
func (s *unitSite) writeMapping(t *testing.T, defaultName string, withC bool) {
	text := fmt.Sprintf("[default]\ncluster = %q\nport = %d\n\n[[managed_system]]\nname = \"P770\"\n"+
		"model_serial = \"9117-MMB_0000002\"\nport = %d\n", defaultName, s.portA, s.portB)
	if withC {
		text += fmt.Sprintf("\n[[managed_system]]\nname = \"P880\"\nmodel_serial = \"9119-MHE_0000003\"\nport = %d\n", s.portC)
	}
	// Write then rename, as editors do, so the watcher never reads half.
	tmp := s.mapping + ".tmp"
	writeText(t, tmp, text)
	if err := os.Rename(tmp, s.mapping); err != nil {
		t.Fatal(err)
	}
}

// unitRun is gmetad running in this process.
type unitRun struct {
	app     *app
	logs    *lockedBuffer
	cancel  context.CancelFunc
	code    chan int
	changed chan struct{}
}

func startUnit(t *testing.T, s *unitSite) *unitRun {
	t.Helper()
	env := unitEnv(t)
	r := &unitRun{logs: &lockedBuffer{}, code: make(chan int, 1), changed: make(chan struct{}, 8)}
	ready := make(chan *app, 1)
	env.ready = func(a *app) { ready <- a }
	env.clustersChanged = func() { r.changed <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		r.code <- env.run(ctx, []string{"-f", "-c", s.conf, "-p", s.pid}, &bytes.Buffer{}, r.logs)
	}()
	select {
	case r.app = <-ready:
	case code := <-r.code:
		t.Fatalf("gmetad exited %d before it was ready:\n%s", code, r.logs.String())
	case <-time.After(unitTimeout):
		t.Fatalf("gmetad not ready after %v:\n%s", unitTimeout, r.logs.String())
	}
	t.Cleanup(func() {
		if r.cancel != nil {
			r.stop(t)
		}
		if t.Failed() {
			t.Logf("gmetad log:\n%s", r.logs.String())
		}
	})
	return r
}

// stop cancels the context, as SIGTERM does, and checks exit 0.
func (r *unitRun) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	r.cancel = nil
	select {
	case code := <-r.code:
		if code != exitOK {
			t.Errorf("gmetad exited %d after cancel, want 0", code)
		}
	case <-time.After(unitTimeout):
		t.Fatalf("gmetad still running %v after cancel", unitTimeout)
	}
}

// sender is a UDP socket that plays one gmond.
type sender struct {
	conn *net.UDPConn
}

func newSender(t *testing.T) *sender {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &sender{conn: conn}
}

func (s *sender) send(t *testing.T, port int, pkts ...[]byte) {
	t.Helper()
	for _, p := range pkts {
		if _, err := s.conn.WriteToUDP(p, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}); err != nil {
			t.Fatal(err)
		}
	}
}

func temperature(t *testing.T, val float32) [][]byte {
	t.Helper()
	id := xdr.MetricID{Host: "lpar-unit", Name: "temp"}
	md, err := xdr.AppendMetadata(nil, id, &xdr.Metadata{Type: "float", Name: "temp", Units: "C",
		Slope: xdr.SlopeBoth, TMax: 60, Extra: []xdr.Extra{{Name: "GROUP", Data: "env"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := xdr.AppendValue(nil, xdr.IDFloat, id, &xdr.Value{Fmt: "%.1f", F32: val})
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{md, v}
}

// loopback is the address every test packet comes from.
const loopback = "127.0.0.1"

// fetchHost reads addr's document (xml_port, or a cluster's TCP port)
// and returns the host of loopback in cluster.
func fetchHost(addr, cluster string) (*stockganglia.Host, error) {
	b, err := stockganglia.FetchXML(addr, unitTimeout)
	if err != nil {
		return nil, err
	}
	d, err := stockganglia.ParseXML(b)
	if err != nil {
		return nil, err
	}
	c := d.Cluster(cluster)
	if c == nil {
		return nil, fmt.Errorf("%s: no cluster %q", addr, cluster)
	}
	h := c.HostByIP(loopback)
	if h == nil {
		return nil, fmt.Errorf("%s: no host %s in %q", addr, loopback, cluster)
	}
	return h, nil
}

func hasTemp(h *stockganglia.Host, val string) error {
	m := h.Metric("temp")
	if m == nil || m.Val != val || m.Units != "C" || m.Type != "float" {
		return fmt.Errorf("host %s: temp = %+v, want VAL %s with its metadata", h.Name, m, val)
	}
	if g, _ := m.ExtraVal("GROUP"); g != "env" {
		return fmt.Errorf("host %s: temp GROUP %q, want env", h.Name, g)
	}
	return nil
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// TestServe runs gmetad in process: packets in, XML out on every port,
// a mapping change applied live, a clean stop with RRDs and the state
// file written, and a restart that serves the whole state at once.
func TestServe(t *testing.T) {
	s := newUnitSite(t)
	r := startUnit(t, s)
	src := newSender(t)
	src.send(t, s.portA, temperature(t, 21.5)...)

	var name string
	stockganglia.Eventually(t, unitTimeout, func() error {
		h, err := fetchHost(addr(s.xmlPort), "P550")
		if err != nil {
			return err
		}
		name = h.Name
		return hasTemp(h, "21.5")
	})
	// The cluster's own port serves its gmond dump.
	if h, err := fetchHost(addr(s.portA), "P550"); err != nil || hasTemp(h, "21.5") != nil {
		t.Errorf("cluster port %d: %v %v", s.portA, err, hasTemp(h, "21.5"))
	}
	checkInteractive(t, s, name)
	checkMetadataRequest(t, s)
	checkDecodeErrors(t, s)
	checkMappingChange(t, s, r, src)
	if b, err := os.ReadFile(s.pid); err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("pid file: %q, %v", b, err)
	}

	r.stop(t)
	for _, p := range []string{
		filepath.Join(s.rrds, "LPARS", name, "temp.rrd"),
		filepath.Join(s.rrds, "P880", name, "temp.rrd"), // through the cluster's link
		filepath.Join(s.rrds, "P880", "__SummaryInfo__", "temp.rrd"),
		filepath.Join(s.rrds, "__SummaryInfo__", "temp.rrd"),
		s.state,
	} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("after the stop: %v", err)
		}
	}
	if _, err := os.Stat(s.pid); !os.IsNotExist(err) {
		t.Errorf("pid file still there after the stop: %v", err)
	}

	// A restart serves the host, its metric and the metadata before any
	// packet arrives.
	startUnit(t, s)
	h, err := fetchHost(addr(s.xmlPort), "P880")
	if err != nil {
		t.Fatalf("after the restart: %v", err)
	}
	if err := hasTemp(h, "22.5"); err != nil {
		t.Errorf("after the restart: %v", err)
	}
}

// checkInteractive asks the interactive port for the cluster, the host
// and /status.
func checkInteractive(t *testing.T, s *unitSite, name string) {
	t.Helper()
	b, err := stockganglia.Query(addr(s.interPort), "/P550/"+name, unitTimeout)
	if err != nil {
		t.Fatal(err)
	}
	d, err := stockganglia.ParseXML(b)
	if err != nil {
		t.Fatalf("/P550/%s: %v\n%s", name, err, b)
	}
	if c := d.Cluster("P550"); c == nil || c.Host(name) == nil || hasTemp(c.Host(name), "21.5") != nil {
		t.Errorf("/P550/%s answer lacks the host:\n%s", name, b)
	}
	b, err = stockganglia.Query(addr(s.interPort), "/status", unitTimeout)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HTTP/1.0 200 OK", `"gridname"`, `"lpm"`, `"udp"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("/status lacks %s:\n%s", want, b)
		}
	}
}

// checkMetadataRequest sends a value without metadata and expects a
// gmetadata_request for it back at the sending socket.
func checkMetadataRequest(t *testing.T, s *unitSite) {
	t.Helper()
	snd := newSender(t)
	v, err := xdr.AppendValue(nil, xdr.IDFloat, xdr.MetricID{Host: "lpar-unit", Name: "orphan"},
		&xdr.Value{Fmt: "%.1f", F32: 1})
	if err != nil {
		t.Fatal(err)
	}
	snd.send(t, s.portA, v, v) // the second one is throttled
	snd.conn.SetReadDeadline(time.Now().Add(unitTimeout))
	buf := make([]byte, 1500)
	n, _, err := snd.conn.ReadFromUDP(buf)
	if err != nil {
		t.Fatalf("no metadata request: %v", err)
	}
	m, err := xdr.Decode(buf[:n])
	if err != nil || m.ID != xdr.IDMetadataRequest || m.Name != "orphan" {
		t.Fatalf("got %+v (%v), want a gmetadata_request for orphan", m, err)
	}
}

// checkDecodeErrors sends garbage and expects it counted on /status.
func checkDecodeErrors(t *testing.T, s *unitSite) {
	t.Helper()
	newSender(t).send(t, s.portB, []byte("not a ganglia packet"))
	want := fmt.Sprintf(`"decode_errors_port_%d":1`, s.portB)
	stockganglia.Eventually(t, unitTimeout, func() error {
		b, err := stockganglia.Query(addr(s.interPort), "/status", unitTimeout)
		if err != nil {
			return err
		}
		if !bytes.Contains(bytes.ReplaceAll(b, []byte(" "), nil), []byte(want)) {
			return fmt.Errorf("/status lacks %s:\n%s", want, b)
		}
		return nil
	})
}

// checkMappingChange: an invalid mapping keeps the old one; a valid edit
// renames a cluster (its host stays) and adds a port that then listens,
// and where the host moves when it sends there.
func checkMappingChange(t *testing.T, s *unitSite, r *unitRun, src *sender) {
	t.Helper()
	writeText(t, s.mapping+".bad", "[default]\ncluster = \"x\"\n")
	if err := os.Rename(s.mapping+".bad", s.mapping); err != nil {
		t.Fatal(err)
	}
	if _, err := r.app.watcher.Reload(); err == nil {
		t.Error("Reload of an invalid mapping: no error")
	}
	if got := len(r.app.grid.Clusters()); got != 2 {
		t.Errorf("after an invalid mapping: %d clusters, want the old 2", got)
	}

	s.writeMapping(t, "P550-renamed", true)
	stockganglia.Eventually(t, unitTimeout, func() error {
		if cl := r.app.grid.Clusters(); len(cl) != 3 {
			return fmt.Errorf("clusters %+v, waiting for 3", cl)
		}
		return nil
	})
	select {
	case <-r.changed:
	case <-time.After(unitTimeout):
		t.Fatal("the mapping change was not reported")
	}
	h, err := fetchHost(addr(s.xmlPort), "P550-renamed")
	if err != nil || hasTemp(h, "21.5") != nil {
		t.Fatalf("after the rename: %v %v", err, hasTemp(h, "21.5"))
	}
	// The new port listens: packets move the host there, its TCP port
	// serves it.
	src.send(t, s.portC, temperature(t, 22.5)...)
	stockganglia.Eventually(t, unitTimeout, func() error {
		h, err := fetchHost(addr(s.portC), "P880")
		if err != nil {
			return err
		}
		return hasTemp(h, "22.5")
	})
}

// TestStartErrors: a port in use or an rrd_rootdir that cannot be made
// stops gmetad at start with exit 1 and a message that says which.
func TestStartErrors(t *testing.T) {
	busy, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	notDir := filepath.Join(t.TempDir(), "file")
	writeText(t, notDir, "")
	tests := []struct {
		name string
		edit func(*unitSite) string // extra gmetad.conf lines
		want string
	}{
		{"xml_port in use", func(*unitSite) string { return fmt.Sprintf("xml_port %d\n", busyPort) },
			"address already in use"},
		{"rrd_rootdir under a file", func(*unitSite) string { return fmt.Sprintf("rrd_rootdir %q\n", filepath.Join(notDir, "rrds")) },
			"rrd_rootdir " + filepath.Join(notDir, "rrds") + " cannot be used"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newUnitSite(t)
			conf, err := os.ReadFile(s.conf)
			if err != nil {
				t.Fatal(err)
			}
			writeText(t, s.conf, string(conf)+tc.edit(s))
			var stderr lockedBuffer
			code := unitEnv(t).run(context.Background(), []string{"-f", "-c", s.conf, "-p", s.pid}, &bytes.Buffer{}, &stderr)
			if code != exitFailed {
				t.Fatalf("exit %d, want %d\n%s", code, exitFailed, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, stderr.String())
			}
			if _, err := os.Stat(s.pid); !os.IsNotExist(err) {
				t.Errorf("a failed start left the pid file: %v", err)
			}
		})
	}
}

func TestSourceCountsTop(t *testing.T) {
	var c sourceCounts
	for i := range maxBadSources + 3 {
		ip := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		for range i%3 + 1 {
			c.add(ip)
		}
	}
	top, rest := c.top(2)
	if len(top) != 2 || top[0].count != 3 || top[1].count != 3 {
		t.Fatalf("top = %+v", top)
	}
	total := rest + top[0].count + top[1].count
	var want uint64
	for i := range maxBadSources + 3 {
		want += uint64(i%3 + 1)
	}
	if total != want {
		t.Errorf("top + rest = %d, want every error counted (%d)", total, want)
	}
}

func TestUntilBoundary(t *testing.T) {
	step := 15 * time.Second
	for _, tc := range []struct {
		now  time.Time
		want time.Duration
	}{
		{time.Unix(1_700_000_010, 0), 15 * time.Second}, // on a boundary: the next one
		{time.Unix(1_700_000_010, 500_000_000), 14500 * time.Millisecond},
		{time.Unix(1_700_000_005, 0), 5 * time.Second},
	} {
		got := untilBoundary(tc.now, step)
		if next := tc.now.Add(got); next.Unix()%15 != 0 || next.Nanosecond() != 0 || got <= 0 || got > step {
			t.Errorf("untilBoundary(%v) = %v: lands on %v, not the next multiple of 15 s", tc.now, got, next)
		}
		if got != tc.want {
			t.Errorf("untilBoundary(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
}
