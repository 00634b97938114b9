package sender

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"testing"
)

func TestRetarget(t *testing.T) {
	old, moved := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{unicast(old)}})
	s.Send(numbered(t, 0))
	_, src := recv(t, old)

	if err := s.Retarget("", portOf(moved)); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Targets(), []string{"127.0.0.1:" + strconv.Itoa(portOf(moved))}; !slices.Equal(got, want) {
		t.Errorf("Targets = %q, want %q", got, want)
	}
	const n = 5
	for i := 1; i <= n; i++ {
		s.Send(numbered(t, i))
		got, from := recv(t, moved)
		if !bytes.Equal(got, numbered(t, i)) {
			t.Fatalf("packet %d at the new port: got %x", i, got)
		}
		if from != src {
			t.Errorf("source after Retarget = %s, want %s (same socket)", from, src)
		}
	}
	// One datagram per Send, and each of them arrived at the new port:
	// none can have gone to the old one. A fence datagram, sent after
	// them, must be the first thing the old port reads.
	if st := s.Stats(); st.Sent != n+1 {
		t.Errorf("Sent = %d, want %d", st.Sent, n+1)
	}
	fence := []byte("fence")
	if _, err := listen(t, "127.0.0.1:0").WriteToUDP(fence, old.LocalAddr().(*net.UDPAddr)); err != nil {
		t.Fatal(err)
	}
	if got, _ := recv(t, old); !bytes.Equal(got, fence) {
		t.Errorf("old port got %x after Retarget", got)
	}
}

func TestRetargetHost(t *testing.T) {
	c := listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{{Host: "127.0.0.9", Port: 9}}})
	if err := s.Retarget("127.0.0.1", portOf(c)); err != nil {
		t.Fatal(err)
	}
	s.Send(numbered(t, 1))
	if got, _ := recv(t, c); !bytes.Equal(got, numbered(t, 1)) {
		t.Errorf("got %x", got)
	}
}

func TestRetargetErrors(t *testing.T) {
	c := listen(t, "127.0.0.1:0")
	lookupErr := errors.New("no such host")
	s, err := newSender(Options{Channels: []Channel{unicast(c)}},
		func(context.Context, string) ([]netip.Addr, error) { return nil, lookupErr }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := s.Targets()
	for _, port := range []int{0, -1, 65536} {
		if err := s.Retarget("", port); err == nil {
			t.Errorf("Retarget port %d: no error", port)
		}
	}
	if err := s.Retarget("collector.invalid", 8301); !errors.Is(err, lookupErr) {
		t.Errorf("Retarget to an unknown host: %v, want %v", err, lookupErr)
	}
	if got := s.Targets(); !slices.Equal(got, before) {
		t.Errorf("failed Retarget changed targets to %q", got)
	}
	s.Close()
	if err := s.Retarget("", 8301); !errors.Is(err, ErrClosed) {
		t.Errorf("Retarget after Close: %v, want ErrClosed", err)
	}
}
