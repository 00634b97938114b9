package stockganglia

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// Process is a child process started with Launch: one of our own binaries
// run next to the stock daemons, with the same log capture and clean-up.
type Process struct{ p *process }

// Launch starts argv in dir with stdout and stderr in dir/name.log. The
// process is stopped (SIGTERM, then SIGKILL) when tb ends, and its output is
// printed if tb failed.
func Launch(tb testing.TB, name, dir string, argv ...string) *Process {
	tb.Helper()
	return &Process{launch(tb, name, dir, argv...)}
}

// Pid returns the process id.
func (p *Process) Pid() int { return p.p.pid() }

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.p.cmd.Process.Signal(sig) }

// Stop stops the process (SIGTERM, SIGKILL after a grace period) and
// waits for it; it returns the exit error, nil for status 0.
func (p *Process) Stop() error {
	p.p.stop()
	return p.p.waitErr
}

// StopWithin sends SIGTERM and waits up to grace for the process to end.
// clean is false (and the process killed) when it did not end in time; err
// is its exit error, nil for status 0.
func (p *Process) StopWithin(grace time.Duration) (clean bool, err error) {
	if !p.p.exited() {
		_ = p.p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.p.done:
		return true, p.p.waitErr
	case <-time.After(grace):
		p.p.stop()
		return false, p.p.waitErr
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool { return p.p.exited() }

// Log returns the end of the process's output.
func (p *Process) Log() string { return p.p.logTail() }

// WaitReady polls ready until it returns nil, failing early if the process
// exits.
func (p *Process) WaitReady(timeout time.Duration, ready func() error) error {
	return p.p.waitReady(timeout, ready)
}
