//go:build !linux

package stockganglia

import "syscall"

// procAttr has no parent-death signal to ask for outside Linux; the
// cleanups registered by the Start functions still stop every daemon.
func procAttr() *syscall.SysProcAttr { return nil }
