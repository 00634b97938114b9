package rrdcached

import "syscall"

// procAttr makes the kernel kill the daemon if the test binary dies
// without running its cleanups (go test -timeout, SIGKILL).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
