package stockganglia

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// sinkBuffer is how many datagrams a Sink holds before its reader blocks.
// Stock gmond sends about 70 at start-up.
const sinkBuffer = 4096

// Datagram is one UDP payload received by a Sink.
type Datagram struct {
	Data []byte
	From netip.AddrPort
	At   time.Time
}

// Sink is a UDP receiver on 127.0.0.1 that hands every datagram to C. Point a
// sender's extra udp_send_channel at Addr to see the packets a stock daemon
// sends.
type Sink struct {
	Addr string // 127.0.0.1:port
	C    <-chan Datagram
}

// StartSink binds a UDP socket on a free loopback port and reads it in a
// goroutine until tb ends.
func StartSink(tb testing.TB) *Sink {
	tb.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tb.Fatalf("stockganglia: sink: %v", err)
	}
	ch := make(chan Datagram, sinkBuffer)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		readSink(conn, ch, done)
	}()
	tb.Cleanup(func() {
		close(done)
		conn.Close()
		wg.Wait()
	})
	return &Sink{Addr: conn.LocalAddr().String(), C: ch}
}

func readSink(conn *net.UDPConn, ch chan<- Datagram, done <-chan struct{}) {
	defer close(ch)
	buf := make([]byte, 65536)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		d := Datagram{Data: append([]byte(nil), buf[:n]...), From: from, At: time.Now()}
		select {
		case ch <- d:
		case <-done:
			return
		}
	}
}
