package udprecv

import (
	"fmt"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkReceive measures datagrams per second from one loopback sender
// through the readers to a handler that only counts. The sender waits for
// each window to arrive, so the socket buffer never overflows; datagrams lost
// anyway are reported as lost/op instead of hanging the benchmark.
func BenchmarkReceive(b *testing.B) {
	for _, readers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			benchReceive(b, readers, 120) // a typical value message is 60-120 bytes
		})
	}
}

func benchReceive(b *testing.B, readers, size int) {
	const window = 256
	r, err := New("127.0.0.1:0", Options{Readers: readers})
	if err != nil {
		b.Fatal(err)
	}
	var got, want atomic.Int64
	arrived := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		done <- r.Serve(b.Context(), HandlerFunc(func(p []byte, _ netip.AddrPort) {
			if got.Add(1) == want.Load() {
				arrived <- struct{}{}
			}
		}))
	}()
	defer func() {
		r.Close()
		<-done
	}()
	c := dial(b, "127.0.0.1", r.Addr())
	payload := make([]byte, size)
	timer := time.NewTimer(time.Second)
	var lost int64
	b.SetBytes(int64(size))
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		k := min(window, b.N-sent)
		want.Store(int64(sent+k) - lost)
		for range k {
			if _, err := c.Write(payload); err != nil {
				b.Fatal(err)
			}
		}
		sent += k
		timer.Reset(time.Second)
		select {
		case <-arrived:
		case <-timer.C:
			lost = int64(sent) - got.Load()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	b.ReportMetric(float64(lost)/float64(b.N), "lost/op")
}
