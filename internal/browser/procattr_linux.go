package browser

import "syscall"

// procAttr puts Chromium in a process group of its own, so that it and its
// renderers are killed together, and has the kernel kill it when the test
// binary dies without running its cleanups (go test -timeout, SIGKILL).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
