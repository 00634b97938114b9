package rrdstore

import (
	"errors"
	"os"
	"syscall"
)

// fOFDSetLK is F_OFD_SETLK (Linux 3.15+, the same number on every
// architecture). The syscall package does not name it.
const fOFDSetLK = 37

// setLock uses open-file-description locks: they belong to the open file,
// not to the process, so two files opened by different goroutines of one
// process exclude each other, and closing some other descriptor of the
// same file does not drop the lock (both are traps of classic POSIX
// locks). To rrdtool they look like any fcntl lock: an OFD write lock
// makes `rrdtool fetch` fail and an OFD read lock makes `rrdtool update`
// fail. Kernels without OFD locks (EINVAL) get classic F_SETLK.
func setLock(f *os.File, typ int16) error {
	lk := syscall.Flock_t{Type: typ, Whence: 0, Start: 0, Len: 0, Pid: 0}
	err := syscall.FcntlFlock(f.Fd(), fOFDSetLK, &lk)
	if errors.Is(err, syscall.EINVAL) {
		lk.Pid = 0
		err = syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk)
	}
	return err
}
