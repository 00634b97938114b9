//go:build unix

package rrdstore

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// librrd locks with fcntl(F_SETLK) on the whole file and never waits: a
// writer (update) takes a write lock, readers (fetch, graph, info, dump)
// a read lock, and whoever finds the file locked fails at once with
// "could not lock RRD" (RRD-FORMAT §4). rrdstore takes the same locks so
// it can share files with rrdtool and ganglia-web, but tries a few times
// with short pauses before it gives up, because a reader holds its lock
// only for a moment.

// lockRetries are the pauses between attempts; the whole wait stays under
// about 10 ms so that an update never stalls its caller for long.
var lockRetries = []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond}

// lockFile takes a whole-file fcntl lock without blocking (exclusive for
// writers, shared for readers), retrying briefly on a conflict.
func lockFile(f *os.File, write bool) error {
	for i := 0; ; i++ {
		err := setLock(f, lockType(write))
		if err == nil {
			return nil
		}
		if !isLockConflict(err) {
			return sysErr(f.Name(), ErrLocked, ErrLocked.Error(), err)
		}
		if i == len(lockRetries) {
			return &Error{Path: f.Name(), Kind: ErrLocked}
		}
		time.Sleep(lockRetries[i])
	}
}

// unlockFile drops the lock taken by lockFile (closing the file does too).
func unlockFile(f *os.File) error {
	if err := setLock(f, syscall.F_UNLCK); err != nil {
		return sysErr(f.Name(), nil, "unlock file", err)
	}
	return nil
}

func lockType(write bool) int16 {
	if write {
		return syscall.F_WRLCK
	}
	return syscall.F_RDLCK
}

// isLockConflict: POSIX allows either EAGAIN or EACCES for a held lock.
func isLockConflict(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES)
}
