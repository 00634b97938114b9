//go:build !unix

package udprecv

import "net"

// recvBufferSize is unknown where SO_RCVBUF cannot be read back.
func recvBufferSize(*net.UDPConn) int { return 0 }
