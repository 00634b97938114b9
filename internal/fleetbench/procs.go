package fleetbench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Build compiles cmd/gmetad and cmd/ganglia-loadgen of the module in
// moduleDir into outDir.
func Build(ctx context.Context, moduleDir, outDir string) (Binaries, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", outDir+string(os.PathSeparator),
		"./cmd/gmetad", "./cmd/ganglia-loadgen")
	cmd.Dir = moduleDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return Binaries{}, fmt.Errorf("go build: %v\n%s", err, out)
	}
	return Binaries{Gmetad: filepath.Join(outDir, "gmetad"), Loadgen: filepath.Join(outDir, "ganglia-loadgen")}, nil
}

// proc is a child process with its output in a log file. It is stopped by
// its own PID, never by name.
type proc struct {
	name    string
	argv    []string
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	waitErr error
	stopped bool
}

func startProc(dir, name string, argv ...string) (*proc, error) {
	logPath := filepath.Join(dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the child has its own descriptor
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, f, f
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &proc{name: name, argv: argv, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM, waits up to grace, then SIGKILLs. It returns why
// the exit was not a clean exit 0. A second call does nothing.
func (p *proc) stop(grace time.Duration) error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	if p.exited() {
		return fmt.Errorf("%s (pid %d) had exited before it was stopped: %v", p.name, p.pid(), p.waitErr)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		if p.waitErr != nil {
			return fmt.Errorf("%s (pid %d) after SIGTERM: %v", p.name, p.pid(), p.waitErr)
		}
		return nil
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s (pid %d) still running %v after SIGTERM; killed", p.name, p.pid(), grace)
	}
}

func (p *proc) log() string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", p.logPath, err)
	}
	return string(b)
}

// logTail is the end of the log, for error messages.
func (p *proc) logTail() string {
	const max = 4 << 10
	s := p.log()
	if len(s) > max {
		s = s[len(s)-max:]
	}
	return s
}

func (p *proc) commandLine() string { return strings.Join(p.argv, " ") }

// sleepUntil waits for t or the end of ctx.
func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
