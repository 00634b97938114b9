package stockganglia

import "syscall"

// procAttr makes the kernel kill a daemon when the test binary dies without
// running its cleanups (go test -timeout, SIGKILL), so no stock daemon
// outlives the test that started it.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
