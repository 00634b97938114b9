package daemon

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

// EnvChild marks the detached process Detach starts; its file descriptor 3
// carries the start-up messages back to the parent.
const (
	EnvChild  = "GANGLIA_LPM_DAEMON"
	startupFD = 3
)

// IsChild reports whether this process is the detached child of Detach.
func IsChild() bool { return os.Getenv(EnvChild) != "" }

// Detach detaches program prog from the terminal as stock gmond and gmetad
// do without -f/-d: Go cannot fork a running process, so it re-executes itself
// with args and EnvChild set, in a new session (setsid), with stdin, stdout and stderr
// on /dev/null. The parent relays what the child logs while starting and
// exits 0 once the child listens, or with the child's status when it
// fails to start, so errors still reach the operator's terminal. It returns
// the parent's exit status.
func Detach(prog string, args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot daemonize: %v (run with -f)\n", prog, err)
		return 1
	}
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot daemonize: %v (run with -f)\n", prog, err)
		return 1
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot daemonize: %v (run with -f)\n", prog, err)
		return 1
	}
	defer r.Close()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), EnvChild+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = null, null, null
	cmd.ExtraFiles = []*os.File{w} // startupFD
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	err = cmd.Start()
	w.Close()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot daemonize: %v (run with -f)\n", prog, err)
		return 1
	}
	out, _ := io.ReadAll(r)
	if n := len(out); n > 0 && out[n-1] == 0 {
		stderr.Write(out[:n-1])
		cmd.Process.Release()
		return 0
	}
	stderr.Write(out)
	err = cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return ee.ExitCode()
	}
	fmt.Fprintf(stderr, "%s: the background process did not start: %v\n", prog, err)
	return 1
}

// StartupRelay is the child's end of the start-up pipe: it passes what is
// written to the parent until the start succeeded or failed, then to Out.
type StartupRelay struct {
	mu   sync.Mutex
	pipe *os.File // nil once closed
	out  io.Writer
}

// NewStartupRelay returns the relay of a detached child; out receives
// everything written, before and after Finish.
func NewStartupRelay(out io.Writer) *StartupRelay {
	return &StartupRelay{pipe: os.NewFile(startupFD, "startup"), out: out}
}

// SetOutput replaces where the relay writes besides the pipe (syslog once
// detached).
func (s *StartupRelay) SetOutput(out io.Writer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out = out
}

func (s *StartupRelay) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pipe != nil {
		s.pipe.Write(b)
	}
	return s.out.Write(b)
}

// Finish closes the pipe; ok sends the success marker first, and the
// parent exits 0. Only the first call counts; a nil relay (foreground)
// ignores it.
func (s *StartupRelay) Finish(ok bool) {
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

// Syslog is where a detached daemon logs: syslog, facility daemon, tagged
// prog, as stock Ganglia; nowhere when there is no syslog daemon.
func Syslog(prog string) io.Writer {
	w, err := syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, prog)
	if err != nil {
		return io.Discard
	}
	return w
}

// Umask sets the process umask (gmetad.conf's umask, which stock applies
// only when it daemonizes).
func Umask(mask int) {
	syscall.Umask(mask)
}

// ErrAlreadyRunning is returned when the pid file names a live process.
var ErrAlreadyRunning = errors.New("another instance is already running")

// CheckPidFile refuses to start when the pid file names another live
// process, as stock's update_pidfile does.
func CheckPidFile(path string) error {
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
		return fmt.Errorf("%w: pid %d in %s", ErrAlreadyRunning, pid, path)
	}
	return nil
}

// WritePidFile writes this process id to path (nothing for "").
func WritePidFile(path string) error {
	if path == "" {
		return nil
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("pid file: %w", err)
	}
	return nil
}

// RemovePidFile removes the pid file if it still names this process.
func RemovePidFile(path string) error {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		return err
	}
	return os.Remove(path)
}
