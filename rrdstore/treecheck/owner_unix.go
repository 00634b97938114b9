//go:build unix

package treecheck

import (
	"io/fs"
	"os"
	"syscall"
)

// ownerOf returns the numeric owner and group of a file.
func ownerOf(fi fs.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// isRoot: only root may give a file away (chown) or chmod a file of
// another owner.
func isRoot() bool { return os.Geteuid() == 0 }
