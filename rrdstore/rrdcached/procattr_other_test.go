//go:build !linux

package rrdcached

import "syscall"

// procAttr has no parent-death signal outside Linux; the cleanups stop
// the daemon.
func procAttr() *syscall.SysProcAttr { return nil }
