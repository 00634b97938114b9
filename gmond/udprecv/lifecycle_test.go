package udprecv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// TestRebindSamePort binds, serves, closes and binds the same port again ten
// times in a row, as go-carbon's receiver test does: a stop must release the
// port at once.
func TestRebindSamePort(t *testing.T) {
	first := newReceiver(t, "127.0.0.1:0", Options{})
	addr := first.Addr().String()
	first.Close()
	for i := range 10 {
		r := newReceiver(t, addr, Options{})
		ch := make(chan packet, 1)
		done := make(chan error, 1)
		go func() { done <- r.Serve(context.Background(), collect(ch)) }()
		c, err := net.Dial("udp", addr)
		if err != nil {
			t.Fatal(err)
		}
		msg := fmt.Sprintf("round %d", i)
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		if p := next(t, ch); string(p.data) != msg {
			t.Errorf("round %d: got %q", i, p.data)
		}
		c.Close()
		if err := r.Close(); err != nil {
			t.Fatalf("round %d: Close: %v", i, err)
		}
		if err := waitErr(t, done); err != nil {
			t.Fatalf("round %d: Serve = %v, want nil", i, err)
		}
	}
}

func TestServeEnds(t *testing.T) {
	t.Run("Close", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{Readers: 3})
		done := make(chan error, 1)
		go func() { done <- r.Serve(context.Background(), collect(nil)) }()
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if err := waitErr(t, done); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("second Close = %v", err)
		}
	})
	t.Run("context cancelled", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Serve(ctx, collect(nil)) }()
		cancel()
		if err := waitErr(t, done); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
		if _, _, err := r.conn.ReadFromUDPAddrPort(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
			t.Errorf("socket still open after cancel: %v", err)
		}
	})
	t.Run("Close before Serve", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{})
		r.Close()
		if err := r.Serve(context.Background(), collect(nil)); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
	t.Run("second Serve", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{})
		done := make(chan error, 2)
		for range 2 {
			go func() { done <- r.Serve(context.Background(), collect(nil)) }()
		}
		// Whichever call came second returns at once; the other serves
		// until Close.
		if err := waitErr(t, done); !errors.Is(err, ErrServing) {
			t.Errorf("second Serve = %v, want ErrServing", err)
		}
		r.Close()
		if err := waitErr(t, done); err != nil {
			t.Errorf("first Serve = %v, want nil", err)
		}
	})
}

// TestReadersRunConcurrently proves two readers: the handler for the first
// datagram blocks until the second one has been handled, which a single
// reader could never do.
func TestReadersRunConcurrently(t *testing.T) {
	r := newReceiver(t, "127.0.0.1:0", Options{Readers: 2})
	second := make(chan struct{})
	firstDone := make(chan error, 1)
	serve(t, r, HandlerFunc(func(p []byte, _ netip.AddrPort) {
		switch string(p) {
		case "first":
			select {
			case <-second:
				firstDone <- nil
			case <-time.After(waitTimeout):
				firstDone <- errors.New("second datagram never handled while the first was in progress")
			}
		case "second":
			close(second)
		}
	}))
	c := dial(t, "127.0.0.1", r.Addr())
	send(t, c, []byte("first"))
	send(t, c, []byte("second"))
	if err := waitErr(t, firstDone); err != nil {
		t.Fatal(err)
	}
}

// TestManySenders runs four readers against four senders under -race; each
// sender waits for its window to arrive before sending the next, so the
// socket buffer never overflows and every datagram must arrive.
func TestManySenders(t *testing.T) {
	const senders, perSender, window = 4, 600, 50
	r := newReceiver(t, "127.0.0.1:0", Options{Readers: 4})
	var mu sync.Mutex
	seen := make(map[string]bool)
	acks := make([]chan struct{}, senders)
	for i := range acks {
		acks[i] = make(chan struct{}, perSender)
	}
	serve(t, r, HandlerFunc(func(p []byte, _ netip.AddrPort) {
		var s, n int
		if _, err := fmt.Sscanf(string(p), "%d/%d", &s, &n); err != nil {
			t.Errorf("bad payload %q", p)
			return
		}
		mu.Lock()
		seen[string(p)] = true
		mu.Unlock()
		acks[s] <- struct{}{}
	}))
	var wg sync.WaitGroup
	for s := range senders {
		c := dial(t, fmt.Sprintf("127.0.0.%d", s+1), r.Addr())
		wg.Go(func() {
			for n := range perSender {
				if _, err := fmt.Fprintf(c, "%d/%d", s, n); err != nil {
					t.Errorf("sender %d: %v", s, err)
					return
				}
				if (n+1)%window == 0 {
					for range window {
						select {
						case <-acks[s]:
						case <-time.After(waitTimeout):
							t.Errorf("sender %d: window ending at %d not delivered", s, n)
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != senders*perSender {
		t.Errorf("%d distinct datagrams delivered, want %d", len(seen), senders*perSender)
	}
	if s := r.Stats(); s.Packets != senders*perSender {
		t.Errorf("Packets = %d, want %d", s.Packets, senders*perSender)
	}
}
