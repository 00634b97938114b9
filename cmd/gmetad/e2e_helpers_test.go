package main

// Black-box end-to-end harness: the gmetad binary is built once per test
// run and started as a child process with a generated gmetad.conf and
// mapping on free loopback ports, exactly as an operator would run it.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const (
	// e2eStartTimeout bounds how long the binary may take to answer on its
	// xml_port after it was started.
	e2eStartTimeout = 15 * time.Second
	// e2eStopGrace is how long the binary may take to exit after SIGTERM
	// (final RRD flush and state file included) before it is killed.
	e2eStopGrace = 10 * time.Second
	// e2eIOTimeout bounds one TCP exchange with the binary.
	e2eIOTimeout = 5 * time.Second
	// e2eGrid is the gridname of every generated gmetad.conf.
	e2eGrid = "e2e-grid"
	// e2eRaceEnv set to 1 builds the binary with the race detector, which
	// then fails the tests on any data race inside the daemon.
	e2eRaceEnv = "GMETAD_E2E_RACE"
)

var (
	buildDir  string // removed by TestMain after the run
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// TestMain gives the e2e tests a directory for the binary, which is built
// on first use so that `go test -run Unit` does not pay for it.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gmetad-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: ", err)
		return 1
	}
	buildDir = dir
	defer os.RemoveAll(dir)
	return m.Run()
}

// gmetadBinary returns the path of the freshly built binary. A build
// failure fails every e2e test with the compiler's output; it never skips.
func gmetadBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		bin := filepath.Join(buildDir, "gmetad")
		args := []string{"build", "-o", bin}
		if os.Getenv(e2eRaceEnv) == "1" {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatalf("building the gmetad binary failed:\n%v", buildErr)
	}
	return buildBin
}

// needTool fails the test when a stock peer is missing: interop tests run
// for real or fail, never skip.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (%v): run make deps", name, err)
	}
	return p
}

// proc is one child process with its combined output in a log file.
type proc struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	waitErr error
	once    sync.Once
	stopErr error
}

func startProc(t testing.TB, dir, logName string, argv ...string) *proc {
	t.Helper()
	logPath := filepath.Join(dir, logName)
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // the child has its own descriptor
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %q: %v", argv, err)
	}
	p := &proc{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to the PID it started, waits e2eStopGrace, then
// SIGKILLs. It returns why the exit was not the clean exit 0 the contract
// promises; it is safe to call more than once.
func (p *proc) stop() error {
	p.once.Do(func() {
		if p.exited() {
			p.stopErr = fmt.Errorf("had already exited before SIGTERM: %v", p.waitErr)
			return
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
			if p.waitErr != nil {
				p.stopErr = fmt.Errorf("exit after SIGTERM: %v", p.waitErr)
			}
		case <-time.After(e2eStopGrace):
			_ = p.cmd.Process.Kill()
			<-p.done
			p.stopErr = fmt.Errorf("still running %v after SIGTERM; killed", e2eStopGrace)
		}
	})
	return p.stopErr
}

func (p *proc) log() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", p.logPath, err)
	}
	return string(b)
}

// logTail is the end of the log, for failure messages.
func (p *proc) logTail() string {
	const max = 24 << 10
	s := p.log()
	if len(s) > max {
		return fmt.Sprintf("(%d bytes omitted)\n%s", len(s)-max, s[len(s)-max:])
	}
	return s
}

// errAddrInUse tells startGmetad to retry with fresh ports: another process
// took one of them between FreePort and the bind.
var errAddrInUse = errors.New("address already in use")

// waitReady polls the xml_port until it serves a GANGLIA_XML document.
func (p *proc) waitReady(addr string) error {
	deadline := time.Now().Add(e2eStartTimeout)
	for {
		b, err := stockganglia.FetchXML(addr, e2eIOTimeout)
		if err == nil {
			if _, err = stockganglia.ParseXML(b); err == nil {
				return nil
			}
		}
		if p.exited() {
			if strings.Contains(p.log(), "address already in use") {
				return errAddrInUse
			}
			return fmt.Errorf("exited (%v) before answering on %s: %v", p.waitErr, addr, err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no GANGLIA_XML on %s within %v: %v", addr, e2eStartTimeout, err)
		}
		select {
		case <-p.done:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// runBinary runs a short-lived command (gmetad -t, a bad config) and
// returns its combined output; a command still running after 15 s is
// killed, so a binary that wrongly starts serving cannot hang the test.
func runBinary(t testing.TB, dir string, argv ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		return string(out), fmt.Errorf("%q still running after 15 s: %w", argv, ctx.Err())
	}
	return string(out), err
}

// poll calls cond until it returns nil and returns cond's last error when
// timeout passes first; unlike stockganglia.Eventually it does not fail
// the test, so a check can report and go on.
func poll(timeout time.Duration, cond func() error) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		err := cond()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		<-tick.C
	}
}

// fetchDoc reads a document from a port that writes one without a request
// (xml_port, a cluster's TCP dump) and parses it.
func fetchDoc(addr string) (*stockganglia.Doc, []byte, error) {
	b, err := stockganglia.FetchXML(addr, e2eIOTimeout)
	if err != nil {
		return nil, nil, err
	}
	d, err := stockganglia.ParseXML(b)
	if err != nil {
		return nil, b, fmt.Errorf("%s: %w", addr, err)
	}
	return d, b, nil
}

// queryDoc asks the interactive port and parses the answer.
func queryDoc(addr, request string) (*stockganglia.Doc, []byte, error) {
	b, err := stockganglia.Query(addr, request, e2eIOTimeout)
	if err != nil {
		return nil, nil, err
	}
	d, err := stockganglia.ParseXML(b)
	if err != nil {
		return nil, b, fmt.Errorf("%s %q: %w", addr, request, err)
	}
	return d, b, nil
}

// udpSender sends datagrams from one loopback address, as one simulated
// LPAR does: Linux routes all of 127/8 to lo, so each 127.0.0.N is a host.
type udpSender struct {
	conn *net.UDPConn
	IP   string
}

func newUDPSender(t testing.TB, ip string) *udpSender {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(ip)})
	if err != nil {
		t.Fatalf("binding a UDP socket on %s: %v", ip, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &udpSender{conn: conn, IP: ip}
}

// send writes each packet to 127.0.0.1:port. It returns the first error
// rather than failing the test, so it may run in a sender goroutine.
func (s *udpSender) send(port int, pkts ...[]byte) error {
	to := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
	for _, p := range pkts {
		if _, err := s.conn.WriteToUDP(p, to); err != nil {
			return err
		}
	}
	return nil
}

// Packets a stock gmond sends, built with the project's XDR codec.

func metaPkt(t testing.TB, id xdr.MetricID, typ, units string, slope xdr.Slope, tmax uint32, extra ...xdr.Extra) []byte {
	t.Helper()
	b, err := xdr.AppendMetadata(nil, id, &xdr.Metadata{
		Type: typ, Name: id.Name, Units: units, Slope: slope, TMax: tmax, Extra: extra})
	if err != nil {
		t.Fatalf("metadata %+v: %v", id, err)
	}
	return b
}

func valuePkt(t testing.TB, kind xdr.MsgID, id xdr.MetricID, v xdr.Value) []byte {
	t.Helper()
	b, err := xdr.AppendValue(nil, kind, id, &v)
	if err != nil {
		t.Fatalf("value %v %+v: %v", kind, id, err)
	}
	return b
}

// rrdInfo runs `rrdtool info` and returns its key = value lines, values
// unquoted.
func rrdInfo(t testing.TB, path string) map[string]string {
	t.Helper()
	out := rrdtool(t, "info", path)
	m := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, " = ")
		if ok {
			m[k] = strings.Trim(v, `"`)
		}
	}
	return m
}

// rrdLast is `rrdtool last`: the time of the file's last update.
func rrdLast(t testing.TB, path string) int64 {
	t.Helper()
	out := strings.TrimSpace(rrdtool(t, "last", path))
	n, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		t.Fatalf("rrdtool last %s: %q", path, out)
	}
	return n
}

// mtime is a file's modification time; unlike rrdtool it takes no lock.
func mtime(t testing.TB, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

// waitRRDLast waits until the file's last update is at or after ts,
// asking `rrdtool last` four times a second: it read-locks the file as
// ganglia-web's graphs do, and our writer must cope with that (it keeps
// the update queued and retries). The mtime cannot tell instead: our
// writer updates hot files through a shared mapping, which does not move
// the mtime on every write.
func waitRRDLast(t testing.TB, path string, ts int64, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		last := int64(-1)
		if _, err := os.Stat(path); err == nil {
			last = rrdLast(t, path)
		}
		if last >= ts {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: last update %d after %v, want %d or later", path, last, timeout, ts)
		}
		<-tick.C
	}
}

// fetchRow is one line of `rrdtool fetch`: a time and the first DS.
type fetchRow struct {
	T   int64
	Val float64 // NaN for unknown
}

func rrdFetch(t testing.TB, path string, start, end int64) []fetchRow {
	t.Helper()
	out := rrdtool(t, "fetch", path, "AVERAGE", "--start", strconv.FormatInt(start, 10),
		"--end", strconv.FormatInt(end, 10))
	var rows []fetchRow
	for _, line := range strings.Split(out, "\n") {
		ts, rest, ok := strings.Cut(line, ":")
		fields := strings.Fields(rest)
		n, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
		if !ok || err != nil || len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			v = math.NaN() // "-nan", "nan"
		}
		rows = append(rows, fetchRow{T: n, Val: v})
	}
	return rows
}

func rrdtool(t testing.TB, args ...string) string {
	t.Helper()
	bin := needTool(t, "rrdtool")
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("rrdtool %q: %v\n%s", args, err, out)
	}
	return string(out)
}
