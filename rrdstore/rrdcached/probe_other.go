//go:build !unix

package rrdcached

import "net"

// peerClosed cannot look at the socket without blocking here; a closed
// connection is then found by the write (EPIPE/ECONNRESET) instead.
func peerClosed(net.Conn) bool { return false }
