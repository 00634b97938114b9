//go:build !unix

package treechecktest

import "testing"

// HoldLock skips the test: without fcntl locks there is nothing to hold,
// and rrdstore refuses the files anyway.
func HoldLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	tb.Skip("no fcntl record locks on this system")
	return func() {}
}
