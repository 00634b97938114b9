package stockganglia

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stopGrace is how long a daemon may take to exit after SIGTERM before it is
// killed. Stock gmond notices the signal when its poll loop wakes, which
// takes up to about a second.
const stopGrace = 3 * time.Second

// maxLogTail bounds the part of a daemon log copied into a failing test's
// output.
const maxLogTail = 16 << 10

// errExited reports that a daemon ended before it answered.
var errExited = errors.New("process exited")

// process is one running stock daemon.
type process struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{} // closed once the process has been reaped
	waitErr error         // the result of cmd.Wait, valid after done
	once    sync.Once
}

// launch starts argv in dir with stdout and stderr going to dir/name.log, and
// registers a cleanup that stops it and, if the test failed, logs its output.
func launch(tb testing.TB, name, dir string, argv ...string) *process {
	tb.Helper()
	logPath := filepath.Join(dir, name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		tb.Fatalf("stockganglia: %v", err)
	}
	defer logFile.Close() // the child keeps its own descriptor

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = procAttr()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("stockganglia: starting %s: %v", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	tb.Cleanup(func() {
		p.stop()
		if tb.Failed() {
			tb.Logf("stockganglia: %s (pid %d, %s) %s; its output:\n%s",
				name, p.pid(), argv, p.status(), p.logTail())
		}
	})
	return p
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the process has ended (and been reaped).
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// status describes how the process ended, for failure messages.
func (p *process) status() string {
	if !p.exited() {
		return "still running"
	}
	if p.waitErr != nil {
		return "ended: " + p.waitErr.Error()
	}
	return "ended: exit status 0"
}

// stop sends SIGTERM, then SIGKILL after stopGrace, and waits until the
// process is reaped. It signals the PID it started, never a name, and is
// safe to call more than once.
func (p *process) stop() {
	p.once.Do(func() {
		if p.exited() {
			return
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		t := time.NewTimer(stopGrace)
		defer t.Stop()
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		_ = p.cmd.Process.Kill()
		<-p.done
	})
}

// logTail returns the end of the process's output.
func (p *process) logTail() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", p.logPath, err)
	}
	if len(b) == 0 {
		return "(no output)"
	}
	if len(b) > maxLogTail {
		return fmt.Sprintf("(%d bytes omitted)\n%s", len(b)-maxLogTail, b[len(b)-maxLogTail:])
	}
	return string(b)
}

// waitReady polls ready until it returns nil. It returns errExited (with the
// exit status) when the process ends first and the last error of ready when
// timeout passes.
func (p *process) waitReady(timeout time.Duration, ready func() error) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if p.exited() {
			return fmt.Errorf("%w (%s) before answering: %v", errExited, p.status(), err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer within %v: %v", timeout, err)
		}
		select {
		case <-p.done:
		case <-tick.C:
		}
	}
}
