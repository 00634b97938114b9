package sender

import (
	"bytes"
	"net"
	"sync"
	"testing"
)

// TestConcurrentSendRetarget is for the race detector: senders and a
// retargeting goroutine share the Sender; nothing is lost on our side and
// the last Retarget wins.
func TestConcurrentSendRetarget(t *testing.T) {
	a, b := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{unicast(a), unicast(a)}})
	serve(t, s)
	// Drain both collectors all along, and send few enough packets (120,
	// well within Linux's default receive buffer) that the marker cannot
	// find a full buffer.
	marker := numbered(t, 42)
	sawMarker := make(chan *net.UDPConn, 2)
	for _, c := range []*net.UDPConn{a, b} {
		go func() {
			buf := make([]byte, 2048)
			for {
				n, err := c.Read(buf)
				if err != nil {
					return
				}
				if bytes.Equal(buf[:n], marker) {
					sawMarker <- c
				}
			}
		}()
	}
	const senders, perSender, retargets = 4, 15, 100
	pkt := valuePacket(t, "load_one", 0.5)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for range perSender {
				s.Send(pkt)
			}
		})
	}
	wg.Go(func() {
		for i := range retargets {
			to := a
			if i%2 == 0 {
				to = b
			}
			if err := s.Retarget("", portOf(to)); err != nil {
				t.Error(err)
				return
			}
			_ = s.Targets()
			_ = s.Stats()
		}
	})
	wg.Wait()
	if st := s.Stats(); st.Sent != 2*senders*perSender || st.SendErrors != 0 {
		t.Errorf("Stats = %+v, want %d sent and no error", st, 2*senders*perSender)
	}
	// retargets is even, so the last Retarget pointed at a.
	s.Send(marker)
	select {
	case c := <-sawMarker:
		if c != a {
			t.Errorf("marker arrived at %s, want %s", c.LocalAddr(), a.LocalAddr())
		}
	case <-timeout():
		t.Fatal("marker not received")
	}
}
