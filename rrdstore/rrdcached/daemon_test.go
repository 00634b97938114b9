package rrdcached

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// daemon is a real rrdcached started by a test, with the flags of
// RRD-FORMAT §5.6: foreground, a unix and a loopback TCP socket, base
// directory restricted (-B) with recursive CREATE (-R), journal, flush at
// shutdown (-F), and write timers long enough (-w 3600 -f 7200) that only
// FLUSH writes files during a test.
type daemon struct {
	dir  string // short temporary directory holding everything
	db   string // -b, symbolic links resolved as rrdcached demands
	sock string // unix socket path
	tcp  string // 127.0.0.1:port
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has been reaped
}

// binary returns the path of a Debian rrdtool program, failing tb when it
// is missing: the suite never skips the real daemon.
func binary(tb testing.TB, name string) string {
	tb.Helper()
	if fi, err := os.Stat("/usr/bin/" + name); err == nil && fi.Mode()&0o111 != 0 {
		return "/usr/bin/" + name
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	tb.Fatalf("%s (Debian package %s, 1.7.2) is not installed; run `make deps`", name, name)
	return ""
}

// startDaemon starts rrdcached and waits until both sockets accept. The
// TCP port is picked free just before; if another process takes it first
// the daemon exits, and the start is retried.
func startDaemon(tb testing.TB) *daemon {
	tb.Helper()
	bin := binary(tb, "rrdcached")
	var err error
	for range 3 {
		var d *daemon
		if d, err = tryDaemon(tb, bin); err == nil {
			return d
		}
	}
	tb.Fatal(err)
	return nil
}

func tryDaemon(tb testing.TB, bin string) (*daemon, error) {
	// Socket paths are limited to 108 bytes; t.TempDir's are long.
	dir, err := os.MkdirTemp("", "rrdcd")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		tb.Fatal(err)
	}
	d := &daemon{dir: dir, db: filepath.Join(dir, "db"), sock: filepath.Join(dir, "sock"),
		tcp: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(tb))), done: make(chan struct{})}
	for _, sub := range []string{d.db, filepath.Join(dir, "journal")} {
		if err := os.Mkdir(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	log, err := os.Create(filepath.Join(dir, "rrdcached.log"))
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close() // the child has its own descriptor
	d.cmd = exec.Command(bin, "-g", "-l", "unix:"+d.sock, "-l", d.tcp,
		"-b", d.db, "-B", "-R", "-F", "-j", filepath.Join(dir, "journal"),
		"-w", "3600", "-f", "7200", "-p", filepath.Join(dir, "pid"))
	d.cmd.Stdout, d.cmd.Stderr = log, log
	d.cmd.SysProcAttr = procAttr()
	if err := d.cmd.Start(); err != nil {
		tb.Fatalf("starting rrdcached: %v", err)
	}
	go func() { d.cmd.Wait(); close(d.done) }()
	tb.Cleanup(d.stop)
	if err := d.waitReady(10 * time.Second); err != nil {
		out, _ := os.ReadFile(log.Name())
		return nil, fmt.Errorf("rrdcached %v: %w; its output:\n%s", d.cmd.Args, err, out)
	}
	return d, nil
}

// waitReady polls both sockets until they accept, the process dies, or the
// deadline passes.
func (d *daemon) waitReady(within time.Duration) error {
	deadline := time.Now().Add(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		if d.accepts("unix", d.sock) && d.accepts("tcp", d.tcp) {
			return nil
		}
		select {
		case <-d.done:
			return errors.New("exited before listening")
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening after %v", within)
		}
	}
}

func (d *daemon) accepts(network, addr string) bool {
	c, err := net.DialTimeout(network, addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// stop ends the daemon by its PID: SIGTERM (it then writes what it holds,
// -F), SIGKILL if it has not exited within 15 s, and waits until reaped.
func (d *daemon) stop() {
	select {
	case <-d.done:
		return
	default:
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(15 * time.Second):
		d.cmd.Process.Kill()
		<-d.done
	}
}

// local returns the path of a daemon file name on disk.
func (d *daemon) local(name string) string { return filepath.Join(d.db, name) }

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// fatalRecorder is a testing.TB whose Fatalf only records the message.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
}

// Without rrdcached the suite fails with a hint instead of skipping.
func TestMissingBinaryFails(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	binary(rec, "no-such-rrdcached")
	if !strings.Contains(rec.msg, "make deps") {
		t.Errorf("missing binary message = %q, want a hint to run make deps", rec.msg)
	}
}
