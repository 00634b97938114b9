package metareq

import (
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestRequesterThrottle: one request per host and metric every
// Every, whatever the number of values without metadata.
func TestRequesterThrottle(t *testing.T) {
	r := New(slog.New(slog.DiscardHandler))
	peer, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	to := peer.LocalAddr().(*net.UDPAddr).AddrPort()
	port, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer port.Close()
	t0 := time.Unix(1_700_000_000, 0)
	steps := []struct {
		host, metric string
		at           time.Duration
		sent         bool
	}{
		{"10.0.0.1", "orphan", 0, true},
		{"10.0.0.1", "orphan", time.Second, false},
		{"10.0.0.1", "other", time.Second, true},
		{"10.0.0.2", "orphan", time.Second, true},
		{"10.0.0.1", "orphan", Every - 1, false},
		{"10.0.0.1", "orphan", Every, true},
	}
	for i, st := range steps {
		before := r.Sent.Load()
		r.Request(st.host, xdr.MetricID{Host: "h", Name: st.metric}, port.WriteToUDPAddrPort, to, t0.Add(st.at))
		if got := r.Sent.Load() > before; got != st.sent {
			t.Errorf("step %d (%s %s at %v): sent %v, want %v", i, st.host, st.metric, st.at, got, st.sent)
		}
		if i == 0 {
			// The request must leave from the receiving port's socket.
			buf := make([]byte, 1500)
			peer.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, from, err := peer.ReadFromUDPAddrPort(buf)
			if err != nil {
				t.Fatalf("no request arrived: %v", err)
			}
			if from.Port() != port.LocalAddr().(*net.UDPAddr).AddrPort().Port() {
				t.Errorf("request came from %v, want the port's socket %v", from, port.LocalAddr())
			}
			if m, err := xdr.Decode(buf[:n]); err != nil || m.ID != xdr.IDMetadataRequest || m.Name != "orphan" {
				t.Errorf("request decoded as %+v, %v", m, err)
			}
		}
	}
	if got := r.Suppressed.Load(); got != 2 {
		t.Errorf("suppressed = %d, want 2", got)
	}
}
