//go:build !unix

package rrdstore

import (
	"os"
	"time"
)

// librrd's fcntl locks do not exist here, so files are refused rather
// than read or written without the lock rrdtool relies on.

var lockRetries []time.Duration

func lockFile(f *os.File, write bool) error {
	return newErr(f.Name(), ErrUnsupported, "fcntl record locks are not available on this system")
}

func unlockFile(f *os.File) error { return nil }
