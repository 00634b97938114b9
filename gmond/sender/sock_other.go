//go:build !unix

package sender

import (
	"net/netip"
	"syscall"
)

func socketFamily(syscall.RawConn) int { return 0 }

// writeTo sends one datagram with the portable call, which may wait while
// the socket buffer is full.
func writeTo(sk *sock, dst netip.AddrPort, pkt []byte) error {
	_, err := sk.conn.WriteToUDPAddrPort(pkt, dst)
	return err
}
