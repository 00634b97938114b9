package sender

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestSendEveryChannel(t *testing.T) {
	a, b := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{unicast(a), unicast(b)}})
	want := []string{"127.0.0.1:" + strconv.Itoa(portOf(a)), "127.0.0.1:" + strconv.Itoa(portOf(b))}
	if got := s.Targets(); !slices.Equal(got, want) {
		t.Errorf("Targets = %q, want %q", got, want)
	}
	for i := range 3 {
		pkt := numbered(t, i)
		s.Send(pkt)
		for _, c := range []*net.UDPConn{a, b} {
			if got, _ := recv(t, c); !bytes.Equal(got, pkt) {
				t.Fatalf("packet %d at %s: got %x, want %x", i, c.LocalAddr(), got, pkt)
			}
		}
	}
	if st := s.Stats(); st.Sent != 6 || st.SendErrors != 0 {
		t.Errorf("Stats = %+v, want 6 sent, no error", st)
	}
}

// TestSourcePortFixed: both channels share the one socket bound to the
// fixed port, so both collectors see the same source.
func TestSourcePortFixed(t *testing.T) {
	a, b := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	port := closedPort(t)
	ca, cb := unicast(a), unicast(b)
	ca.SourcePort, cb.SourcePort = port, port
	s := newTest(t, Options{Channels: []Channel{ca, cb}})
	if len(s.socks) != 1 {
		t.Errorf("%d sockets for two channels with one source port, want 1", len(s.socks))
	}
	s.Send(valuePacket(t, "x", 1))
	for _, c := range []*net.UDPConn{a, b} {
		if _, from := recv(t, c); from.Port() != uint16(port) {
			t.Errorf("source port at %s = %d, want %d", c.LocalAddr(), from.Port(), port)
		}
	}
}

// TestOwnSocketPerChannel: without a fixed port every channel has a socket
// (and source port) of its own, as stock gmond does.
func TestOwnSocketPerChannel(t *testing.T) {
	a, b := listen(t, "127.0.0.1:0"), listen(t, "127.0.0.1:0")
	s := newTest(t, Options{Channels: []Channel{unicast(a), unicast(a), unicast(b)}})
	if len(s.socks) != 3 {
		t.Fatalf("%d sockets, want 3", len(s.socks))
	}
	s.Send(valuePacket(t, "x", 1))
	_, f1 := recv(t, a)
	_, f2 := recv(t, a)
	if f1.Port() == f2.Port() {
		t.Errorf("two channels to one collector share source port %d", f1.Port())
	}
}

func TestNoChannels(t *testing.T) {
	s := newTest(t, Options{})
	s.Send([]byte("x"))
	if got := s.Targets(); len(got) != 0 {
		t.Errorf("Targets = %q", got)
	}
	if err := s.Retarget("", 8649); !errors.Is(err, ErrNoUnicast) {
		t.Errorf("Retarget = %v, want ErrNoUnicast", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Serve(ctx); err != nil {
		t.Errorf("Serve = %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	busy := listen(t, "127.0.0.1:0")
	for _, tc := range []struct {
		name string
		ch   Channel
		want string
	}{
		{"no port", Channel{Host: "127.0.0.1"}, "port 0 out of range"},
		{"port too big", Channel{Host: "127.0.0.1", Port: 70000}, "out of range"},
		{"no host", Channel{Port: 8649}, "neither host nor mcast_join"},
		{"bind and bind_hostname", Channel{Host: "127.0.0.1", Port: 8649, Bind: "127.0.0.1", BindHostname: true}, "exclude each other"},
		{"ttl", Channel{McastJoin: "239.2.11.71", Port: 8649, TTL: 256}, "ttl 256"},
		{"source port", Channel{Host: "127.0.0.1", Port: 8649, SourcePort: -1}, "source port -1"},
		{"source port taken", Channel{Host: "127.0.0.1", Port: 8649, Bind: "127.0.0.1", SourcePort: portOf(busy)}, "address already in use"},
		{"family mismatch", Channel{Host: "::1", Port: 8649, Bind: "127.0.0.1"}, "not an IPv4 address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok := Channel{Host: "127.0.0.1", Port: 8649}
			_, err := New(Options{Channels: []Channel{ok, tc.ch}})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "udp_send_channel 2") {
				t.Errorf("New: %v, want an error about channel 2 containing %q", err, tc.want)
			}
		})
	}
}
