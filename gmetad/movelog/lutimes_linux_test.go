//go:build linux

package movelog

import (
	"syscall"
	"time"
	"unsafe"
)

// Linux values, the same on every architecture (uapi fcntl.h).
const (
	atFDCWD           = -100
	atSymlinkNoFollow = 0x100
)

// setLinkTime sets the access and modification times of the symlink at
// path itself, as gmetad's symlink(2) would have left them at t:
// utimensat(2) with AT_SYMLINK_NOFOLLOW, which os.Chtimes cannot do.
func setLinkTime(path string, t time.Time) error {
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return err
	}
	fd := atFDCWD
	ts := [2]syscall.Timespec{syscall.NsecToTimespec(t.UnixNano()), syscall.NsecToTimespec(t.UnixNano())}
	_, _, errno := syscall.Syscall6(syscall.SYS_UTIMENSAT, uintptr(fd), uintptr(unsafe.Pointer(p)),
		uintptr(unsafe.Pointer(&ts[0])), atSymlinkNoFollow, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
