//go:build unix && !linux

package browser

import "syscall"

// procAttr puts Chromium in a process group of its own, so that it and its
// renderers are killed together; there is no parent-death signal to ask for
// outside Linux.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
