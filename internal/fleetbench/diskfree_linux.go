package fleetbench

import "syscall"

// diskFree is the space and the inodes an unprivileged user may still
// use on dir's filesystem.
func diskFree(dir string) (bytes, inodes uint64, err error) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return 0, 0, err
	}
	return fs.Bavail * uint64(fs.Bsize), fs.Ffree, nil
}
