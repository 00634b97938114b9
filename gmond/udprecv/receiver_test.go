package udprecv

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestDeliversWithSource(t *testing.T) {
	tests := []struct {
		name   string
		bind   string
		to     string // "4" or "6": loopback of that family, port of the receiver
		source string
	}{
		{"ipv4", "127.0.0.1:0", "4", "127.0.0.1"},
		{"ipv4 other loopback source", "127.0.0.1:0", "4", "127.0.0.7"},
		{"ipv6", "[::1]:0", "6", "::1"},
		{"dual-stack wildcard, ipv4 sender unmapped", "[::]:0", "4", "127.0.0.9"},
		{"dual-stack wildcard, ipv6 sender", "[::]:0", "6", "::1"},
		{"ipv4 wildcard", "0.0.0.0:0", "4", "127.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReceiver(t, tt.bind, Options{})
			ch := make(chan packet, 4)
			serve(t, r, collect(ch))
			c := dial(t, tt.source, loopback(r, tt.to))
			send(t, c, []byte("hello "+tt.name))
			p := next(t, ch)
			if string(p.data) != "hello "+tt.name {
				t.Errorf("payload = %q", p.data)
			}
			want := c.LocalAddr().(*net.UDPAddr).AddrPort()
			want = netip.AddrPortFrom(want.Addr().Unmap(), want.Port())
			if p.from != want {
				t.Errorf("from = %v, want %v", p.from, want)
			}
			if s := r.Stats(); s.Packets != 1 || s.Bytes != uint64(len(p.data)) {
				t.Errorf("stats = %+v", s)
			}
		})
	}
}

func TestACLDenied(t *testing.T) {
	denied := netip.MustParseAddr("127.0.0.3")
	r := newReceiver(t, "127.0.0.1:0", Options{
		Readers: 1, // one reader keeps arrival order: the marker comes last
		Allow:   func(a netip.Addr) bool { return a != denied },
	})
	ch := make(chan packet, 4)
	serve(t, r, collect(ch))
	send(t, dial(t, "127.0.0.3", r.Addr()), []byte("intruder"))
	send(t, dial(t, "127.0.0.3", r.Addr()), []byte("intruder again"))
	send(t, dial(t, "127.0.0.2", r.Addr()), []byte("marker"))
	if p := next(t, ch); string(p.data) != "marker" || p.from.Addr() != netip.MustParseAddr("127.0.0.2") {
		t.Fatalf("first delivered = %q from %v, want the marker from 127.0.0.2", p.data, p.from)
	}
	if s := r.Stats(); s.Denied != 2 || s.Packets != 3 {
		t.Errorf("stats = %+v, want Denied 2 of 3 packets", s)
	}
}

func TestOversize(t *testing.T) {
	tests := []struct {
		name      string
		maxPacket int
		sizes     []int // sent in order, then a marker
		delivered []int // lengths expected before the marker
		oversize  uint64
	}{
		{"stock limit", 0, []int{1473, 1472, 9000, 65507, 0, 1}, []int{1472, 0, 1}, 3},
		{"small limit", 100, []int{101, 100, 99, 1472}, []int{100, 99}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log strings.Builder
			r := newReceiver(t, "127.0.0.1:0", Options{Readers: 1, MaxPacket: tt.maxPacket,
				Logger: slog.New(slog.NewTextHandler(&log, nil))})
			ch := make(chan packet, len(tt.sizes)+1)
			serve(t, r, collect(ch))
			c := dial(t, "127.0.0.1", r.Addr())
			for _, n := range tt.sizes {
				send(t, c, bytes.Repeat([]byte{'x'}, n))
			}
			send(t, c, []byte("marker"))
			var got []int
			for p := next(t, ch); string(p.data) != "marker"; p = next(t, ch) {
				got = append(got, len(p.data))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.delivered) {
				t.Errorf("delivered lengths %v, want %v", got, tt.delivered)
			}
			if s := r.Stats(); s.Oversize != tt.oversize {
				t.Errorf("Oversize = %d, want %d (%+v)", s.Oversize, tt.oversize, s)
			}
			// The throttle lets the first one through and swallows the rest.
			if n := strings.Count(log.String(), "longer than max_udp_msg_len"); n != 1 {
				t.Errorf("%d oversize log lines, want 1:\n%s", n, log.String())
			}
		})
	}
}

func TestRecvBuffer(t *testing.T) {
	t.Run("default is granted or reported", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{RecvBuffer: 64 << 10})
		defer r.Close()
		if got := r.Stats().RecvBuffer; got < 64<<10 {
			t.Errorf("RecvBuffer = %d, want >= 64 KiB", got)
		}
	})
	t.Run("OS default kept", func(t *testing.T) {
		r := newReceiver(t, "127.0.0.1:0", Options{RecvBuffer: -1})
		defer r.Close()
		if got := r.Stats().RecvBuffer; got <= 0 {
			t.Errorf("RecvBuffer = %d, want the OS default", got)
		}
	})
	t.Run("capped by the kernel is logged", func(t *testing.T) {
		var log strings.Builder
		logger := slog.New(slog.NewTextHandler(&log, nil))
		r := newReceiver(t, "127.0.0.1:0", Options{RecvBuffer: 1 << 30, Logger: logger})
		defer r.Close()
		got := r.Stats().RecvBuffer
		if got <= 0 || got >= 1<<30 {
			t.Fatalf("RecvBuffer = %d; the kernel should have capped 1 GiB", got)
		}
		if want := fmt.Sprintf("granted=%d", got); !strings.Contains(log.String(), want) {
			t.Errorf("log %q lacks %q", log.String(), want)
		}
	})
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		addr string
		opts Options
	}{
		{"127.0.0.1:notaport", Options{}},
		{"192.0.2.1:0", Options{}}, // TEST-NET address not on this machine
		{"127.0.0.1:0", Options{MaxPacket: 70000}},
		{"127.0.0.1:0", Options{MaxPacket: -1}},
	}
	for _, tt := range tests {
		if r, err := New(tt.addr, tt.opts); err == nil {
			r.Close()
			t.Errorf("New(%q, %+v) succeeded", tt.addr, tt.opts)
		}
	}
}

func TestNewPortInUse(t *testing.T) {
	r := newReceiver(t, "127.0.0.1:0", Options{})
	defer r.Close()
	_, err := New(r.Addr().String(), Options{})
	if err == nil || !strings.Contains(err.Error(), r.Addr().String()) {
		t.Errorf("second bind of %s: err = %v", r.Addr(), err)
	}
}
