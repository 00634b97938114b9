package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// restartWaitDelay bounds how long render waits for the restart command's
// output after the shell has exited: an init script that starts gmond may
// leave it holding the output pipe, and the hook must not hang on it.
const restartWaitDelay = 2 * time.Second

// install replaces opt.out with text and runs the restart command, unless
// the file already holds text.
func install(ctx context.Context, e *env, opt renderOptions, text []byte, p *placement) int {
	path, old, oldInfo, err := readCurrent(opt.out)
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm render: %v\n", err)
		return exitFailed
	}
	if oldInfo != nil && bytes.Equal(old, text) {
		fmt.Fprintf(e.stdout, "%s is up to date, nothing to do: %s\n", opt.out, placementSummary(p))
		return exitOK
	}
	if err := writeAtomic(path, text, oldInfo); err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm render: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "%s updated: %s\n", opt.out, placementSummary(p))
	if opt.restart == "" {
		return exitOK
	}
	out, err := runRestart(ctx, opt.restart, opt.restartTimeout)
	if err == nil {
		fmt.Fprintf(e.stdout, "ran the restart command: %s\n", opt.restart)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "ganglia-lpm render: the restart command failed (%v): %s\n", err, opt.restart)
	if len(out) > 0 {
		_, _ = e.stderr.Write(out)
		if out[len(out)-1] != '\n' {
			fmt.Fprintln(e.stderr)
		}
	}
	what := "put back the previous " + opt.out
	if oldInfo != nil {
		err = writeAtomic(path, old, oldInfo)
	} else {
		what = "removed the new " + opt.out
		err = os.Remove(path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm render: could not undo the update: %v\n", err)
	} else {
		fmt.Fprintf(e.stderr, "ganglia-lpm render: %s, so that the next run tries again\n", what)
	}
	return exitFailed
}

// readCurrent returns the file that out names (a symbolic link is followed,
// so the link stays), its contents and info; info is nil when there is no
// file yet.
func readCurrent(out string) (path string, data []byte, info fs.FileInfo, err error) {
	path = out
	if fi, err := os.Lstat(out); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if path, err = filepath.EvalSymlinks(out); err != nil {
			return "", nil, nil, fmt.Errorf("%s: a symbolic link to nothing: %w", out, err)
		}
	}
	info, err = os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil, nil, nil
	case err != nil:
		return "", nil, nil, err
	case !info.Mode().IsRegular():
		return "", nil, nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err = os.ReadFile(path)
	return path, data, info, err
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, so gmond (or a crash) sees the old file or the new one, never
// a part. The new file gets old's mode and owner (0644 when old is nil).
func writeAtomic(path string, data []byte, old fs.FileInfo) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".render-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	mode := fs.FileMode(0o644)
	if old != nil {
		mode = old.Mode().Perm()
		// chown before chmod: chown may clear set-id bits.
		if err := keepOwner(f, old); err != nil {
			return fmt.Errorf("keeping the owner of %s: %w", path, err)
		}
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	// Make the rename itself durable. Some file systems refuse fsync on a
	// directory; the file is in place either way, so that is not an error.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// keepOwner gives f the owner and group of old, where they differ (which
// needs root, as replacing a root-owned gmond.conf does anyway).
func keepOwner(f *os.File, old fs.FileInfo) error {
	want, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if got, ok := fi.Sys().(*syscall.Stat_t); ok && got.Uid == want.Uid && got.Gid == want.Gid {
		return nil
	}
	return f.Chown(int(want.Uid), int(want.Gid))
}

// runRestart runs cmdline with /bin/sh -c and returns its combined output.
func runRestart(ctx context.Context, cmdline string, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", cmdline)
	cmd.WaitDelay = restartWaitDelay
	out, err := cmd.CombinedOutput()
	if errors.Is(err, exec.ErrWaitDelay) {
		err = nil // the shell exited 0; a daemon it started kept the pipe
	}
	return out, err
}
