package main

// Black-box harness: the gmond binary is built once per test run and
// started as a child process with a generated gmond.conf, mapping and
// fixture sysroot, as an operator would run it.

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

var (
	buildDir  string
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gmond-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// gmondBinary returns the freshly built binary; a build failure fails the
// test with the compiler's output.
func gmondBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		bin := filepath.Join(buildDir, "gmond")
		// Built as `make build` ships it: static, no cgo.
		cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// startGmond runs the binary in the foreground with args.
func startGmond(t testing.TB, dir string, args ...string) *stockganglia.Process {
	t.Helper()
	return stockganglia.Launch(t, "gmond", dir, append([]string{gmondBinary(t), "-f"}, args...)...)
}

// writeFile writes a file, creating its directory, atomically (rename),
// as a kernel would present a new lparcfg: a reader never sees half.
func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// packet is one decoded datagram a sink received.
type packet struct {
	xdr.Message
	from net.Addr
	at   time.Time
}

// sink is a UDP port standing in for a managed system's collector.
type sink struct {
	t    testing.TB
	conn *net.UDPConn
	port int
	c    chan packet
}

func newSink(t testing.TB) *sink {
	t.Helper()
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{t: t, conn: conn, port: conn.LocalAddr().(*net.UDPAddr).Port, c: make(chan packet, 4096)}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				close(s.c)
				return
			}
			m, err := xdr.Decode(buf[:n])
			if err != nil {
				t.Errorf("sink %d: undecodable packet from %v: %v", s.port, from, err)
				continue
			}
			s.c <- packet{Message: m, from: from, at: time.Now()}
		}
	}()
	return s
}

// next returns the next packet, failing the test after timeout.
func (s *sink) next(timeout time.Duration) packet {
	s.t.Helper()
	select {
	case p, ok := <-s.c:
		if !ok {
			s.t.Fatalf("sink %d closed", s.port)
		}
		return p
	case <-time.After(timeout):
		s.t.Fatalf("sink %d: no packet within %v", s.port, timeout)
	}
	return packet{}
}

// until reads packets until match returns true and returns every packet
// read, the matching one last.
func (s *sink) until(timeout time.Duration, what string, match func(packet) bool) []packet {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	var got []packet
	for {
		left := time.Until(deadline)
		if left <= 0 {
			s.t.Fatalf("sink %d: %s not seen within %v (%d packets: %s)", s.port, what, timeout, len(got), names(got))
		}
		select {
		case p := <-s.c:
			got = append(got, p)
			if match(p) {
				return got
			}
		case <-time.After(left):
		}
	}
}

// drain returns what arrived without waiting.
func (s *sink) drain() []packet {
	var got []packet
	for {
		select {
		case p := <-s.c:
			got = append(got, p)
		default:
			return got
		}
	}
}

func names(ps []packet) string {
	var b strings.Builder
	for i, p := range ps {
		if i == 20 {
			fmt.Fprintf(&b, " ... (%d more)", len(ps)-i)
			break
		}
		fmt.Fprintf(&b, " %s/%s", p.ID, p.Name)
	}
	return b.String()
}

// value returns a numeric value message's value.
func value(p packet) float64 {
	f, _ := p.Float()
	return f
}
