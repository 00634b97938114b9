package main

import (
	"errors"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// daemonEnv marks the detached process a daemonizing gmetad starts; its
// file descriptor 3 carries the start-up messages back to the parent.
const (
	daemonEnv = "GMETAD_LPM_DAEMON"
	startupFD = 3
)

// daemonize detaches gmetad from the terminal as stock gmetad does without
// -d: Go cannot fork a running process, so it re-executes itself with
// daemonEnv set, in a new session (setsid), with stdin, stdout and stderr
// on /dev/null. The parent relays what the child logs while starting and
// exits 0 once the child listens, or with the child's status when it
// fails to start, so errors still reach the operator's terminal.
func (env *environment) daemonize(args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "gmetad: cannot daemonize: %v (run with -f)\n", err)
		return exitFailed
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(stderr, "gmetad: cannot daemonize: %v (run with -f)\n", err)
		return exitFailed
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "gmetad: cannot daemonize: %v (run with -f)\n", err)
		return exitFailed
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), daemonEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, null, null
	cmd.ExtraFiles = []*os.File{w} // startupFD
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		fmt.Fprintf(stderr, "gmetad: cannot daemonize: %v (run with -f)\n", err)
		return exitFailed
	}
	out, _ := io.ReadAll(r)
	if n := len(out); n > 0 && out[n-1] == 0 {
		stderr.Write(out[:n-1])
		cmd.Process.Release()
		return exitOK
	}
	stderr.Write(out)
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return ee.ExitCode()
	}
	fmt.Fprintf(stderr, "gmetad: the background process did not start: %v\n", err)
	return exitFailed
}

// startupRelay is the child's end of the start-up pipe: it passes what is
// written to the parent until the start succeeded or failed, then to out.
type startupRelay struct {
	mu   sync.Mutex
	pipe *os.File // nil once closed
	out  io.Writer
}

func newStartupRelay(out io.Writer) *startupRelay {
	return &startupRelay{pipe: os.NewFile(startupFD, "startup"), out: out}
}

func (s *startupRelay) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pipe != nil {
		s.pipe.Write(b)
	}
	return s.out.Write(b)
}

// finish closes the pipe; ok sends the success marker first. Only the
// first call counts; a nil relay (foreground) ignores it.
func (s *startupRelay) finish(ok bool) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pipe == nil {
		return
	}
	if ok {
		s.pipe.Write([]byte{0})
	}
	s.pipe.Close()
	s.pipe = nil
}

// daemonLog is where the detached gmetad logs: syslog (facility daemon),
// as stock gmetad; nowhere when there is no syslog daemon.
func daemonLog() io.Writer {
	w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "gmetad")
	if err != nil {
		return io.Discard
	}
	return w
}

// applyUmask sets gmetad.conf's umask, which stock applies only when it
// daemonizes.
func applyUmask(mask int) {
	syscall.Umask(mask)
}

// errAlreadyRunning is returned when the pid file names a live process.
var errAlreadyRunning = errors.New("gmetad is already running")

// checkPidFile refuses to start when the pid file names another live
// process, as stock gmetad's update_pidfile does.
func checkPidFile(path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil // none yet, or unreadable: writePidFile will tell
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 || pid == os.Getpid() {
		return nil
	}
	if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
		return fmt.Errorf("%w: pid %d in %s", errAlreadyRunning, pid, path)
	}
	return nil
}

func writePidFile(path string) error {
	if path == "" {
		return nil
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("pid file: %w", err)
	}
	return nil
}

// removePidFile removes the pid file if it still names this process.
func removePidFile(path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		return err
	}
	return os.Remove(path)
}
