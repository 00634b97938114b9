package sysroot

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Runner runs a command and returns its standard output.
type Runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// Root reads files below Dir and runs commands through Run.
type Root struct {
	Dir string // "/" on a live system
	Run Runner // nil runs real commands when Dir is "/" and none otherwise
	// CommandTimeout bounds one command; 0 means 10 s.
	CommandTimeout time.Duration
}

// New returns a Root for dir. Below a root other than "/", commands are
// answered from files: "<dir>/.commands/<name> <args...>" holds the output
// of that command line, so a fixture tree can stand in for an AIX machine.
func New(dir string) Root {
	if dir == "" {
		dir = "/"
	}
	return Root{Dir: dir}
}

// Path returns the host path of name, an absolute path on the emulated
// machine such as "/proc/stat".
func (r Root) Path(name string) string {
	return filepath.Join(r.Dir, filepath.FromSlash(name))
}

// ReadFile reads the file name (absolute on the emulated machine).
func (r Root) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(r.Path(name))
}

// ReadDir lists the directory name.
func (r Root) ReadDir(name string) ([]fs.DirEntry, error) {
	return os.ReadDir(r.Path(name))
}

// Stat returns the file info of name.
func (r Root) Stat(name string) (fs.FileInfo, error) {
	return os.Stat(r.Path(name))
}

// Command runs name with args and returns its standard output.
func (r Root) Command(name string, args ...string) ([]byte, error) {
	timeout := r.CommandTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	run := r.Run
	if run == nil {
		if filepath.Clean(r.Dir) == "/" {
			run = execRunner
		} else {
			run = r.fileRunner
		}
	}
	return run(ctx, name, args...)
}

func execRunner(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=C")
	return cmd.Output()
}

// fileRunner answers a command from "<Dir>/.commands/<command line>".
func (r Root) fileRunner(_ context.Context, name string, args ...string) ([]byte, error) {
	line := strings.Join(append([]string{filepath.Base(name)}, args...), " ")
	b, err := os.ReadFile(filepath.Join(r.Dir, ".commands", line))
	if err != nil {
		return nil, &exec.Error{Name: line, Err: exec.ErrNotFound}
	}
	return b, nil
}
