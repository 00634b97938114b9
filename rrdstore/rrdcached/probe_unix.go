//go:build unix

package rrdcached

import (
	"errors"
	"net"
	"syscall"
)

// peerClosed reports whether the daemon has closed conn (or sent bytes
// nobody asked for) since the last reply, without blocking: the socket is
// non-blocking under Go's poller, so one read(2) answers EAGAIN while the
// connection is idle and in step. rrdcached closes connections on its own
// only when it shuts down, but a restarted daemon leaves every client
// holding a dead connection, and the first command after that must go to
// the new one instead of failing.
func peerClosed(conn net.Conn) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	gone := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, err := syscall.Read(int(fd), b[:])
		switch {
		case n > 0: // stray bytes: the stream is out of step
			gone = true
		case err == nil: // n == 0: end of stream
			gone = true
		case errors.Is(err, syscall.EAGAIN), errors.Is(err, syscall.EWOULDBLOCK),
			errors.Is(err, syscall.EINTR):
			gone = false
		default: // ECONNRESET and friends
			gone = true
		}
		return true // never wait for readiness
	})
	return gone || err != nil
}
