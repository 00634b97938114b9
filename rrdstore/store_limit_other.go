//go:build !unix

package rrdstore

// openFileLimit: no RLIMIT_NOFILE here; Update fails on these systems
// anyway (no fcntl locks), so any small number does.
func openFileLimit() int { return 1024 }
