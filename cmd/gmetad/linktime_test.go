package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// setLinkTime sets the access and modification times of the symlink at
// path itself, as gmetad's symlink(2) would have left them at t:
// utimensat(2) with AT_SYMLINK_NOFOLLOW, which os.Chtimes cannot do.
func setLinkTime(path string, t time.Time) error {
	ts := unix.NsecToTimespec(t.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
