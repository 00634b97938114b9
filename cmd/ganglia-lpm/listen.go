package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/internal/packetsrc"
)

// listenLabel labels a received datagram with its arrival time, the way
// tcpdump starts its lines.
const listenLabel = "15:04:05.000000"

// listen decodes the datagrams that arrive on addr until ctx ends (SIGINT or
// SIGTERM in main), which is a clean stop. The bound address goes to stderr
// first, so ":0" can be used and the chosen port read back.
func listen(ctx context.Context, e *env, addr string, d *decoder) int {
	if !strings.Contains(addr, ":") {
		addr = ":" + addr // a bare port, as gmond.conf writes it
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm decode: %v\n", err)
		return exitFailed
	}
	conn := pc.(*net.UDPConn)
	defer conn.Close()
	fmt.Fprintf(e.stderr, "decode: listening on udp %s\n", conn.LocalAddr())
	// Closing the socket is what wakes the blocked read when ctx ends.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	// 64 KiB holds any UDP datagram whole, so an oversize packet reaches
	// the decoder with its real length and is reported as such.
	buf := make([]byte, 64<<10)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				d.summary(e.stderr)
				return exitOK
			}
			fmt.Fprintf(e.stderr, "ganglia-lpm decode: %v\n", err)
			return exitFailed
		}
		now := e.now()
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		d.packet(packetsrc.Packet{Label: now.Format(listenLabel), From: from, Time: now, Data: buf[:n]})
		if err := d.out.flush(); err != nil {
			fmt.Fprintf(e.stderr, "ganglia-lpm decode: writing output: %v\n", err)
			return exitFailed
		}
	}
}
