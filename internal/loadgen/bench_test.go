//go:build linux

package loadgen

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRound10k sends whole rounds of 10,000 hosts × 50 metrics (+
// heartbeat: 510,000 datagrams) to a loopback socket nobody reads, so the
// kernel drops them at the receiver and the numbers are the sender's alone
// (the send path up to the receiver's queue). It compares the ways of giving
// every host its own source address, and a round that carries metadata.
// Reported: datagrams per second of one sending goroutine and the process
// CPU time (user + system) per datagram.
func BenchmarkRound10k(b *testing.B) {
	for _, bc := range []struct {
		name           string
		sockets, spoof bool
		metadata       bool // every round re-sends metadata (1 in 4 at 15 s / 60 s)
	}{
		{"pktinfo", false, false, false},
		{"pktinfo+metadata", false, false, true},
		{"sockets", true, false, false},
		{"spoof", false, true, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchRound(b, bc.sockets, bc.spoof, bc.metadata)
		})
	}
}

func benchRound(b *testing.B, sockets, spoof, metadata bool) {
	sink, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	now := t0
	g, err := New(Config{
		Hosts: 10000, Metrics: 50, Heartbeat: true, Sockets: sockets, Spoof: spoof,
		Targets: []Target{{Addr: sink.LocalAddr().String()}}, Now: func() time.Time { return now },
	})
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	ctx := context.Background()
	if err := g.Round(ctx); err != nil { // the first round always has metadata
		b.Fatal(err)
	}
	before, cpu0, wall0 := g.Stats(), cpuTime(b), time.Now()
	for b.Loop() {
		if metadata {
			now = now.Add(DefaultMetadataInterval)
		}
		if err := g.Round(ctx); err != nil {
			b.Fatal(err)
		}
	}
	after, cpu, wall := g.Stats(), cpuTime(b)-cpu0, time.Since(wall0)
	pkts := float64(after.Packets - before.Packets)
	b.ReportMetric(pkts/wall.Seconds(), "pkts/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/pkts, "cpu-ns/pkt")
	b.ReportMetric(float64(after.Bytes-before.Bytes)/pkts, "B/pkt")
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkNew10k is the set-up cost of a 10,000-host fleet: one socket with
// per-host IP_PKTINFO messages, or 10,000 bound sockets (10,000 descriptors).
func BenchmarkNew10k(b *testing.B) {
	for _, sockets := range []bool{false, true} {
		name := "pktinfo"
		if sockets {
			name = "sockets"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				g, err := New(Config{Hosts: 10000, Metrics: 50, Sockets: sockets, Targets: []Target{{Addr: "127.0.0.1:8649"}}})
				if err != nil {
					b.Fatal(err)
				}
				g.Close()
			}
		})
	}
}
