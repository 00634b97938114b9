//go:build unix

package treechecktest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// holdLockEnv makes a test binary, re-executed by HoldLock, hold a lock
// instead of running tests.
const holdLockEnv = "TREECHECKTEST_HOLD_LOCK"

// init turns a process started by HoldLock into the lock holder before any
// test runs; in every other process it does nothing.
func init() {
	if path := os.Getenv(holdLockEnv); path != "" {
		os.Exit(holdLock(path))
	}
}

// holdLock takes the write lock librrd's rrd_update takes (a classic
// whole-file fcntl F_SETLK lock), says so on stdout, and keeps it until
// stdin is closed.
func holdLock(path string) int {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk); err != nil {
		fmt.Fprintln(os.Stderr, "lock:", err)
		return 1
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	return 0
}

// HoldLock makes another process hold a write lock on path, as gmetad
// does while it updates the file, and returns once the lock is held. The
// returned function releases it (and is also called at cleanup). The
// process is the test binary itself, so the calling test package must
// import this one (it does, to call HoldLock).
func HoldLock(tb testing.TB, path string) (release func()) {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdLockEnv+"="+path)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			in.Close()
			_ = cmd.Wait()
		}
	}
	tb.Cleanup(release)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		release()
		tb.Fatalf("lock holder for %s: %q, %v", path, line, err)
	}
	return release
}
