//go:build linux

package sender

// Tests that need Linux: the whole 127/8 range on lo, ICMP errors on
// unconnected sockets (IP_RECVERR), the loopback-source routing rule, and
// multicast options. Tests waiting for a refusal keep sending until one is
// seen (or ioTimeout passes): Linux answers with ICMP at most
// net.ipv4.icmp_msgs_per_sec times a second for the whole machine, so a
// refusal may take a few packets.

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const failMsg = "UDP send channel failing; its packets are lost"

func TestBindSourceAddress(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	ch := unicast(col)
	ch.Bind = "127.0.0.2"
	s := newTest(t, Options{Channels: []Channel{ch}})
	s.Send(numbered(t, 1))
	if _, from := recv(t, col); from.Addr() != netip.MustParseAddr("127.0.0.2") {
		t.Errorf("source = %s, want 127.0.0.2", from)
	}
}

func TestBindHostname(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	ch := unicast(col)
	ch.BindHostname = true
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		if host != "lpar01.test" {
			return nil, errors.New("unexpected lookup of " + host)
		}
		return []netip.Addr{netip.MustParseAddr("::1"), netip.MustParseAddr("127.0.0.3")}, nil
	}
	s, err := newSender(Options{Channels: []Channel{ch}}, lookup, func() (string, error) { return "lpar01.test", nil })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Send(numbered(t, 1))
	if _, from := recv(t, col); from.Addr() != netip.MustParseAddr("127.0.0.3") {
		t.Errorf("source = %s, want 127.0.0.3 (the hostname's IPv4 address)", from)
	}
}

// TestRefusedChannel: a collector port nobody listens on answers with ICMP
// port unreachable. The other channel still gets every packet, and the
// refusal is logged once per interval with the count suppressed meanwhile.
func TestRefusedChannel(t *testing.T) {
	good := listen(t, "127.0.0.1:0")
	refused := Channel{Host: "127.0.0.1", Port: closedPort(t)}
	rec, clk := newRecorder(), newClock()
	s := newTest(t, Options{Channels: []Channel{refused, unicast(good)}, Logger: slog.New(rec), Now: clk.Now})
	serve(t, s)

	sent := 0
	// sendUntil sends until cond holds; the ICMP answers come back on
	// their own, so it checks after every packet (paced by the read).
	sendUntil := func(what string, cond func(lines []map[string]string) bool) []map[string]string {
		t.Helper()
		var lines []map[string]string
		for deadline := time.Now().Add(ioTimeout); time.Now().Before(deadline); {
			sent++
			pkt := numbered(t, sent)
			s.Send(pkt)
			if got, _ := recv(t, good); !bytes.Equal(got, pkt) {
				t.Fatalf("good channel: packet %d is %x", sent, got)
			}
			lines = append(lines, rec.pending(failMsg)...)
			if cond(lines) {
				return lines
			}
		}
		t.Fatalf("after %d packets in %v: still waiting for %s", sent, ioTimeout, what)
		return nil
	}

	lines := sendUntil("a logged refusal", func(l []map[string]string) bool { return len(l) > 0 })
	first := lines[0]
	if want := "127.0.0.1:" + strconv.Itoa(refused.Port); first["channel"] != want || !strings.Contains(first["err"], "connection refused") {
		t.Errorf("log line %v, want channel %s and connection refused", first, want)
	}
	if _, ok := first["suppressed"]; ok || len(lines) != 1 {
		t.Errorf("first lines %v", lines)
	}

	base := s.Stats().SendErrors
	lines = sendUntil("two more refusals", func(l []map[string]string) bool {
		return len(l) > 0 || s.Stats().SendErrors >= base+2
	})
	if len(lines) != 0 {
		t.Fatalf("logged again within the interval: %v", lines)
	}

	clk.Advance(DefaultErrorInterval)
	lines = sendUntil("the next interval's line", func(l []map[string]string) bool { return len(l) > 0 })
	if n, _ := strconv.Atoi(lines[0]["suppressed"]); n < 2 {
		t.Errorf("second line %v, want suppressed >= 2", lines[0])
	}
	if st := s.Stats(); st.Sent < uint64(sent) {
		t.Errorf("Sent = %d after %d good packets", st.Sent, sent)
	}
}

// TestSendErrorThrottled uses a send that fails at once and every time:
// Linux refuses a loopback source on a route out of another interface.
func TestSendErrorThrottled(t *testing.T) {
	good := listen(t, "127.0.0.1:0")
	bad := Channel{Host: "198.51.100.1", Port: 9, Bind: "127.0.0.1"}
	rec, clk := newRecorder(), newClock()
	s := newTest(t, Options{Channels: []Channel{bad, unicast(good)}, Logger: slog.New(rec), Now: clk.Now})
	send := func(n int) {
		for range n {
			s.Send(numbered(t, 1))
			recv(t, good)
		}
	}
	send(5)
	if st := s.Stats(); st.SendErrors != 5 || st.Sent != 5 {
		t.Fatalf("Stats = %+v, want 5 errors and 5 sent", st)
	}
	lines := rec.pending(failMsg)
	if len(lines) != 1 || lines[0]["channel"] != "198.51.100.1:9" {
		t.Fatalf("lines = %v, want one for 198.51.100.1:9", lines)
	}
	clk.Advance(DefaultErrorInterval)
	send(1)
	lines = rec.pending(failMsg)
	if len(lines) != 1 || lines[0]["suppressed"] != "4" {
		t.Errorf("lines after the interval = %v, want one with suppressed=4", lines)
	}
	clk.Advance(DefaultErrorInterval / 2)
	send(1)
	if lines = rec.pending(failMsg); len(lines) != 0 {
		t.Errorf("logged within the interval: %v", lines)
	}
}

// TestReresolveAfterError: the collector's name moves to another address;
// the send errors that follow make the channel look it up again, at most
// once a minute.
func TestReresolveAfterError(t *testing.T) {
	col := listen(t, "127.0.0.1:0")
	var mu sync.Mutex
	answer, lookups := netip.MustParseAddr("127.0.0.2"), 0 // nobody listens on 127.0.0.2
	lookup := func(_ context.Context, host string) ([]netip.Addr, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups++
		return []netip.Addr{answer}, nil
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return lookups
	}
	clk := newClock()
	s, err := newSender(Options{Channels: []Channel{{Host: "collector.test", Port: portOf(col)}}, Now: clk.Now}, lookup, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mu.Lock()
	answer = loopback
	mu.Unlock()

	// Without Serve the queued refusal surfaces on the next Send.
	sendUntil := func(cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(ioTimeout); time.Now().Before(deadline); {
			if cond() {
				return
			}
			s.Send(numbered(t, 1))
		}
		t.Fatalf("condition not reached in %v", ioTimeout)
	}
	sendUntil(func() bool { return s.Stats().SendErrors >= 3 })
	if n := count(); n != 1 {
		t.Fatalf("%d lookups within the first minute, want 1 (New's)", n)
	}
	clk.Advance(resolveEvery)
	sendUntil(func() bool { return count() == 2 })
	s.wg.Wait() // the lookup's goroutine has swapped the route
	marker := numbered(t, 7)
	s.Send(marker)
	// Packets the loop sent after the swap arrive first.
	for got, _ := recv(t, col); !bytes.Equal(got, marker); got, _ = recv(t, col) {
		if !bytes.Equal(got, numbered(t, 1)) {
			t.Fatalf("got %x, want the loop's packets, then the marker", got)
		}
	}
	if got := s.Targets(); !slices.Equal(got, []string{"collector.test:" + strconv.Itoa(portOf(col))}) {
		t.Errorf("Targets = %q", got)
	}
}

func TestMulticastOptions(t *testing.T) {
	s := newTest(t, Options{Channels: []Channel{
		{McastJoin: "239.2.11.71", Port: 8649, TTL: 3, McastIf: "lo"},
		{McastJoin: "239.2.11.72", Port: 8649},
	}})
	for i, want := range []int{3, 1} {
		var ttl int
		var gerr error
		s.chans[i].sock.raw.Control(func(fd uintptr) {
			ttl, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL)
		})
		if gerr != nil || ttl != want {
			t.Errorf("channel %d: IP_MULTICAST_TTL = %d, %v; want %d", i+1, ttl, gerr, want)
		}
	}
	if got := s.Targets(); !slices.Equal(got, []string{"239.2.11.71:8649", "239.2.11.72:8649"}) {
		t.Errorf("Targets = %q", got)
	}
	if err := s.Retarget("127.0.0.1", 8301); !errors.Is(err, ErrNoUnicast) {
		t.Errorf("Retarget of multicast channels = %v, want ErrNoUnicast", err)
	}
	for _, tc := range []struct {
		ch   Channel
		want string
	}{
		{Channel{McastJoin: "239.2.11.71", Port: 8649, McastIf: "nosuch0"}, `mcast_if "nosuch0"`},
		{Channel{McastJoin: "10.1.1.1", Port: 8649}, "not a multicast address"},
		{Channel{McastJoin: "ganglia", Port: 8649}, "not an IP address"},
	} {
		if _, err := New(Options{Channels: []Channel{tc.ch}}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want %q", tc.ch, err, tc.want)
		}
	}
}

// TestICMPErrorUnwraps: a refusal read from the error queue is an
// *ICMPError that wraps the errno.
func TestICMPErrorUnwraps(t *testing.T) {
	err := error(&ICMPError{Dst: netip.MustParseAddrPort("127.0.0.1:8649"), Err: syscall.ECONNREFUSED})
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.Contains(err.Error(), "127.0.0.1:8649") {
		t.Errorf("%v", err)
	}
}
