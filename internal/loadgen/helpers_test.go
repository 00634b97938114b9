package loadgen

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// t0 is the fixed start of every injected clock.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// packet is one datagram as a receiver saw it.
type packet struct {
	from netip.AddrPort
	msg  xdr.Message
}

// listenSink binds a UDP socket on 127.0.0.1:0 with a receive buffer large
// enough for a test round, so nothing is dropped before it is read.
func listenSink(t testing.TB) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadBuffer(4 << 20); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readPackets reads exactly n datagrams and then checks that no more are
// queued. Loopback delivery is synchronous, so after a Round returns every
// packet already sits in the socket buffer; the deadline only bounds a
// failing test.
func readPackets(t *testing.T, c *net.UDPConn, n int) []packet {
	t.Helper()
	buf := make([]byte, 2048)
	out := make([]packet, 0, n)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for len(out) < n {
		k, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			t.Fatalf("after %d of %d packets: %v", len(out), n, err)
		}
		m, err := xdr.Decode(buf[:k])
		if err != nil {
			t.Fatalf("packet %d from %v does not decode: %v", len(out), from, err)
		}
		out = append(out, packet{from, m})
	}
	c.SetReadDeadline(time.Now())
	if _, from, err := c.ReadFromUDPAddrPort(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("more than %d packets: one from %v (err %v)", n, from, err)
	}
	return out
}

// recorder is a transport that keeps every datagram in memory.
type recorder struct {
	mu   sync.Mutex
	sent []recorded
}

type recorded struct {
	host int
	dst  netip.AddrPort
	msg  xdr.Message
}

func (r *recorder) send(host int, dst netip.AddrPort, b []byte) error {
	m, err := xdr.Decode(b)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.sent = append(r.sent, recorded{host, dst, m})
	r.mu.Unlock()
	return nil
}

func (r *recorder) close() error { return nil }

// take returns what was sent since the last take.
func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sent
	r.sent = nil
	return s
}

// newRecorded builds a Generator whose packets go to a recorder.
func newRecorded(t *testing.T, cfg Config) (*Generator, *recorder) {
	t.Helper()
	g, err := newGenerator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{}
	g.tr = r
	return g, r
}

// fixedClock returns a Now that reads *at.
func fixedClock(at *time.Time) func() time.Time { return func() time.Time { return *at } }

func mustAddr(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
