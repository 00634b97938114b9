//go:build unix && !linux

package rrdstore

import (
	"os"
	"syscall"
)

// setLock uses classic POSIX record locks (F_SETLK), the only fcntl locks
// AIX and the BSDs have. They interoperate with rrdtool exactly like
// librrd's own, but they belong to the process: two goroutines never
// exclude each other through them, and closing any descriptor of the file
// in this process drops the lock. Callers must therefore serialise access
// to one file inside the process themselves (one writer per path) and keep
// a single descriptor per file open.
func setLock(f *os.File, typ int16) error {
	lk := syscall.Flock_t{Type: typ, Whence: 0, Start: 0, Len: 0}
	return syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk)
}
