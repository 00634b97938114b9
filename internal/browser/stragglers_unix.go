//go:build unix && !linux

package browser

import (
	"errors"
	"syscall"
)

// stragglers returns the group itself (as -pgid, which kill(2) takes for
// the whole group) while it has a member, zombies included: without /proc
// there is no cheap way to tell them apart or to find the crash handlers.
func stragglers(pgid int, dir string) []int {
	if errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
		return nil
	}
	return []int{-pgid}
}
