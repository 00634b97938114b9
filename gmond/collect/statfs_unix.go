//go:build linux || aix

package collect

import "golang.org/x/sys/unix"

// sysStatfs is the default StatfsFunc: statfs(2).
func sysStatfs(path string) (fsStat, error) {
	var s unix.Statfs_t
	if err := unix.Statfs(path, &s); err != nil {
		return fsStat{}, err
	}
	return fsStat{Blocks: uint64(s.Blocks), Bavail: uint64(s.Bavail), Bsize: uint64(s.Bsize)}, nil
}
