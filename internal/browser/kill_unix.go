//go:build unix

package browser

import (
	"os"
	"syscall"
	"time"
)

// killGroup sends SIGKILL to the process group that p leads (procAttr made
// p its leader), reaching the helpers Chromium forked as well.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
}

// killStragglers kills, until none is left or limit has passed, the
// processes that outlived Chromium: members of its group pgid, and the
// crash handlers that left the group but work in dir. It returns when none
// is left alive, so that nothing still writes to dir when it is removed.
func killStragglers(pgid int, dir string, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for {
		pids := stragglers(pgid, dir)
		if len(pids) == 0 || time.Now().After(deadline) {
			return
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond) // polling the kernel; nothing to wait on
	}
}
