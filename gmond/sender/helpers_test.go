package sender

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// ioTimeout bounds every read a test waits on; reads return as soon as the
// datagram is there.
const ioTimeout = 5 * time.Second

var loopback = netip.MustParseAddr("127.0.0.1")

// listen opens a receiving socket, standing in for a collector.
func listen(t *testing.T, addr string) *net.UDPConn {
	t.Helper()
	pc, err := net.ListenPacket("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*net.UDPConn)
}

func portOf(c *net.UDPConn) int { return c.LocalAddr().(*net.UDPAddr).Port }

// recv reads one datagram or fails the test after ioTimeout.
func recv(t *testing.T, c *net.UDPConn) ([]byte, netip.AddrPort) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(ioTimeout)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 2048)
	n, from, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("reading at %s: %v", c.LocalAddr(), err)
	}
	return buf[:n], netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
}

// closedPort returns a loopback UDP port that was free a moment ago and
// that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	c := listen(t, "127.0.0.1:0")
	p := portOf(c)
	c.Close()
	return p
}

func newTest(t *testing.T, opts Options) *Sender {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// serve runs Serve until the test ends and checks that it returns nil.
func serve(t *testing.T, s *Sender) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
}

func unicast(c *net.UDPConn) Channel { return Channel{Host: "127.0.0.1", Port: portOf(c)} }

// valuePacket is a gmetric_float message of metric name.
func valuePacket(t *testing.T, name string, v float32) []byte {
	t.Helper()
	b, err := xdr.AppendValue(nil, xdr.IDFloat, xdr.MetricID{Host: "lpar01", Name: name}, &xdr.Value{Fmt: "%.1f", F32: v})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// numbered is a distinct packet per i, so a receiver can tell them apart.
func numbered(t *testing.T, i int) []byte { return valuePacket(t, "m"+strconv.Itoa(i), float32(i)) }

// clock is an injectable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// recorder is a slog.Handler that hands every record to a channel.
type recorder struct{ ch chan slog.Record }

func newRecorder() *recorder { return &recorder{ch: make(chan slog.Record, 1024)} }

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	select {
	case r.ch <- rec.Clone():
		return nil
	default:
		return errors.New("recorder full")
	}
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// next returns the next record with message msg, skipping others, or
// fails after ioTimeout.
func (r *recorder) next(t *testing.T, msg string) map[string]string {
	t.Helper()
	deadline := time.After(ioTimeout)
	for {
		select {
		case rec := <-r.ch:
			if rec.Message == msg {
				return attrs(rec)
			}
		case <-deadline:
			t.Fatalf("no log line %q", msg)
		}
	}
}

// pending returns the records with message msg already delivered.
func (r *recorder) pending(msg string) []map[string]string {
	var out []map[string]string
	for {
		select {
		case rec := <-r.ch:
			if rec.Message == msg {
				out = append(out, attrs(rec))
			}
		default:
			return out
		}
	}
}

func attrs(rec slog.Record) map[string]string {
	m := map[string]string{}
	rec.Attrs(func(a slog.Attr) bool {
		m[a.Key] = a.Value.String()
		return true
	})
	return m
}

func timeout() <-chan time.Time { return time.After(ioTimeout) }
