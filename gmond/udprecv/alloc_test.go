// Allocation counts are not meaningful under the race detector, which
// allocates on its own: this file builds only without it.

//go:build !race

package udprecv

import (
	"net/netip"
	"testing"
	"time"
)

// TestZeroAllocsPerPacket checks the read loop's promise: a delivered
// datagram costs no allocation (sender, kernel and handler included).
func TestZeroAllocsPerPacket(t *testing.T) {
	r := newReceiver(t, "127.0.0.1:0", Options{Readers: 2})
	got := make(chan struct{})
	serve(t, r, HandlerFunc(func([]byte, netip.AddrPort) { got <- struct{}{} }))
	c := dial(t, "127.0.0.1", r.Addr())
	payload := make([]byte, 120)
	timer := time.NewTimer(waitTimeout)
	lost := false
	allocs := testing.AllocsPerRun(500, func() {
		if _, err := c.Write(payload); err != nil {
			lost = true
			return
		}
		timer.Reset(waitTimeout)
		select {
		case <-got:
		case <-timer.C:
			lost = true
		}
	})
	if lost {
		t.Fatal("a datagram was lost or failed to send")
	}
	if allocs != 0 {
		t.Errorf("%.1f allocations per packet, want 0", allocs)
	}
}
