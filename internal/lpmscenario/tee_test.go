package lpmscenario

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

func listenUDP(t *testing.T, ip string) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(ip)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func readWithin(t *testing.T, c *net.UDPConn, d time.Duration) (string, netip.AddrPort) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(d)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1500)
	n, from, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("reading on %v: %v", c.LocalAddr(), err)
	}
	return string(buf[:n]), from
}

// TestTee: both destinations get every datagram from the agent's own
// address; an answer to that address reaches the agent from the port it
// sent to; Close ends Serve with nil.
func TestTee(t *testing.T) {
	ours, stock := listenUDP(t, "127.0.0.1"), listenUDP(t, "127.0.0.1")
	tee, err := NewTee("127.0.0.1:0", ours.LocalAddr().(*net.UDPAddr).AddrPort(), stock.LocalAddr().(*net.UDPAddr).AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- tee.Serve() }()

	agents := []*net.UDPConn{listenUDP(t, "127.0.0.77"), listenUDP(t, "127.0.0.78")}
	to := net.UDPAddrFromAddrPort(tee.Addr())
	for i, a := range agents {
		msg := "packet " + string(rune('A'+i))
		if _, err := a.WriteToUDP([]byte(msg), to); err != nil {
			t.Fatal(err)
		}
		var from netip.AddrPort
		for _, dst := range []*net.UDPConn{ours, stock} {
			got, f := readWithin(t, dst, 5*time.Second)
			want := a.LocalAddr().(*net.UDPAddr).AddrPort().Addr()
			if got != msg || f.Addr() != want {
				t.Errorf("%v got %q from %v, want %q from %v", dst.LocalAddr(), got, f, msg, want)
			}
			from = f
		}
		// A metadata request back to the address the packet came from.
		if _, err := ours.WriteToUDPAddrPort([]byte("request"), from); err != nil {
			t.Fatal(err)
		}
		got, f := readWithin(t, a, 5*time.Second)
		if got != "request" || f != tee.Addr() {
			t.Errorf("agent %v got %q from %v, want the request from %v", a.LocalAddr(), got, f, tee.Addr())
		}
	}
	// The tee counts a datagram after its write returns, which may be
	// after the receiver has read it.
	for deadline := time.Now().Add(5 * time.Second); (tee.Forwarded() < 4 || tee.Relayed() < 2) && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if tee.Forwarded() != 4 || tee.Relayed() != 2 || tee.Dropped() != 0 {
		t.Errorf("forwarded %d, relayed %d, dropped %d; want 4, 2, 0", tee.Forwarded(), tee.Relayed(), tee.Dropped())
	}
	if err := tee.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve still running 5 s after Close")
	}
}
