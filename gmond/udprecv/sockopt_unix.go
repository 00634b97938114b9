//go:build unix

package udprecv

import (
	"net"
	"syscall"
)

// recvBufferSize reads SO_RCVBUF back; SetReadBuffer does not say what the
// kernel granted.
func recvBufferSize(conn *net.UDPConn) int {
	rc, err := conn.SyscallConn()
	if err != nil {
		return 0
	}
	var size int
	var serr error
	err = rc.Control(func(fd uintptr) {
		size, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF)
	})
	if err != nil || serr != nil {
		return 0
	}
	return size
}
