//go:build unix

package rrdstore

import "syscall"

// openFileLimit is the soft RLIMIT_NOFILE; the default MaxOpen takes half
// of it, leaving the rest to sockets, rrdtool readers' pipes and Create's
// temporary files.
func openFileLimit() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<30 {
		return 1024
	}
	return int(lim.Cur)
}
