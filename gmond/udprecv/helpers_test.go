package udprecv

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"testing"
	"time"
)

// waitTimeout bounds every wait on a channel; loopback delivery takes
// microseconds, so only a bug gets near it.
const waitTimeout = 10 * time.Second

type packet struct {
	data []byte
	from netip.AddrPort
}

// collect returns a Handler that copies each datagram into ch (the slice is
// only valid during the call).
func collect(ch chan<- packet) Handler {
	return HandlerFunc(func(p []byte, from netip.AddrPort) { ch <- packet{bytes.Clone(p), from} })
}

// serve runs r.Serve(h) in a goroutine; the returned channel yields Serve's
// result. The receiver is closed and Serve awaited when the test ends.
func serve(t *testing.T, r *Receiver, h Handler) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- r.Serve(context.Background(), h) }()
	t.Cleanup(func() {
		r.Close()
		if err := waitErr(t, done); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
	return done
}

func newReceiver(t *testing.T, addr string, opts Options) *Receiver {
	t.Helper()
	r, err := New(addr, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", addr, err)
	}
	return r
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(waitTimeout):
		t.Fatalf("no result after %v", waitTimeout)
		return nil
	}
}

func next(t *testing.T, ch <-chan packet) packet {
	t.Helper()
	select {
	case p := <-ch:
		return p
	case <-time.After(waitTimeout):
		t.Fatalf("no packet after %v", waitTimeout)
		return packet{}
	}
}

// dial returns a UDP socket bound to local (port 0) and connected to r.
func dial(t testing.TB, local string, to netip.AddrPort) *net.UDPConn {
	t.Helper()
	la := net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(local), 0))
	c, err := net.DialUDP("udp", la, net.UDPAddrFromAddrPort(to))
	if err != nil {
		t.Fatalf("dial %s from %s: %v", to, local, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func send(t testing.TB, c *net.UDPConn, b []byte) {
	t.Helper()
	if _, err := c.Write(b); err != nil {
		t.Fatalf("send %d bytes: %v", len(b), err)
	}
}

// loopback returns the address to send to for a receiver bound to a
// wildcard address.
func loopback(r *Receiver, family string) netip.AddrPort {
	ip := netip.MustParseAddr("127.0.0.1")
	if family == "6" {
		ip = netip.IPv6Loopback()
	}
	return netip.AddrPortFrom(ip, r.Addr().Port())
}
