package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Defaults of a Browser; see its fields.
const (
	DefaultBudget  = 5 * time.Second
	DefaultTimeout = 10 * time.Second
	DefaultWidth   = 1280
	DefaultHeight  = 900
)

// startTimeout bounds Chromium's start-up, up to its first DevTools answer.
const startTimeout = 15 * time.Second

// closeGrace is how long Chromium may take to exit after Browser.close
// before its process group is killed.
const closeGrace = 3 * time.Second

// maxLogTail bounds the part of Chromium's output copied into a failing
// test's log.
const maxLogTail = 8 << 10

// binaries are the names Chromium goes by, Debian's first.
var binaries = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"}

// Browser is one headless Chromium process. It is killed, with every
// process it started, when the test that called New ends.
type Browser struct {
	// Budget is the virtual time a page's scripts get to run (timers fire
	// without real waiting; virtual time stands still while a fetch is
	// pending), as with --virtual-time-budget.
	Budget time.Duration
	// Timeout bounds one page load in real time.
	Timeout time.Duration
	// Width and Height are the viewport of the pages opened, in CSS pixels.
	Width, Height int

	conn    *conn
	cmd     *exec.Cmd
	pipes   []*os.File // our ends of the DevTools pipes
	dir     string     // the temporary directory holding everything it writes
	logPath string
	done    chan struct{} // closed once the process has been reaped
}

// Open starts a Browser for tb and loads url in it: the one-page case.
func Open(tb testing.TB, url string) *Page {
	tb.Helper()
	return New(tb).Open(tb, url)
}

// New starts headless Chromium with a fresh profile in a temporary
// directory. A missing chromium binary fails tb.
func New(tb testing.TB) *Browser {
	tb.Helper()
	bin := binary(tb)
	dir := tb.TempDir()
	b := &Browser{
		Budget: DefaultBudget, Timeout: DefaultTimeout,
		Width: DefaultWidth, Height: DefaultHeight,
		dir:     dir,
		logPath: filepath.Join(dir, "chromium.log"),
		done:    make(chan struct{}),
	}
	if err := b.start(bin); err != nil {
		tb.Fatalf("browser: starting %s: %v", bin, err)
	}
	tb.Cleanup(func() {
		b.close()
		if tb.Failed() {
			tb.Logf("browser: output of %s:\n%s", bin, b.logTail())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	var v struct{ Product string }
	if err := b.conn.call(ctx, "", "Browser.getVersion", nil, &v); err != nil {
		tb.Fatalf("browser: %s does not answer on its DevTools pipe: %v", bin, err)
	}
	return b
}

// args returns Chromium's command line. The first flags are the ones
// headless Chromium needs as root in a container (GANGLIA-WEB.md); the rest
// keep it from calling home and make screenshots repeatable.
func args(profile string, width, height int) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile,
		"--remote-debugging-pipe",
		"--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
		"--no-default-browser-check", "--mute-audio", "--hide-scrollbars",
		"--force-color-profile=srgb",
		fmt.Sprintf("--window-size=%d,%d", width, height),
		"about:blank",
	}
}

// start launches Chromium with the DevTools pipe on descriptors 3 (commands
// in) and 4 (answers and events out), its output in b.logPath. The XDG
// directories point into b.dir too: Chromium keeps its crash database under
// XDG_CONFIG_HOME, which would otherwise be the user's ~/.config.
func (b *Browser) start(bin string) error {
	logFile, err := os.Create(b.logPath)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return err
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		return err
	}
	b.cmd = exec.Command(bin, args(filepath.Join(b.dir, "profile"), b.Width, b.Height)...)
	b.cmd.Dir = b.dir
	b.cmd.Env = append(os.Environ(),
		"XDG_CONFIG_HOME="+filepath.Join(b.dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(b.dir, "cache"))
	b.cmd.Stdout = logFile
	b.cmd.Stderr = logFile
	b.cmd.ExtraFiles = []*os.File{cmdR, evW}
	b.cmd.SysProcAttr = procAttr()
	err = b.cmd.Start()
	cmdR.Close() // the child's ends
	evW.Close()
	if err != nil {
		cmdW.Close()
		evR.Close()
		return err
	}
	b.pipes = []*os.File{cmdW, evR}
	b.conn = newConn(evR, cmdW)
	go func() {
		_ = b.cmd.Wait()
		close(b.done)
	}()
	return nil
}

// close asks Chromium to quit, kills its process group (the renderers and
// helpers it started, whether or not it quit) and the crash handlers that
// left the group, and waits until none is left, so that the temporary
// directory can be removed.
func (b *Browser) close() {
	ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
	defer cancel()
	_ = b.conn.call(ctx, "", "Browser.close", nil, nil)
	select {
	case <-b.done:
	case <-ctx.Done():
	}
	killGroup(b.cmd.Process)
	<-b.done
	killStragglers(b.cmd.Process.Pid, b.dir, closeGrace)
	for _, f := range b.pipes {
		f.Close()
	}
}

// binary finds Chromium on PATH, failing tb when it is not installed.
func binary(tb testing.TB) string {
	tb.Helper()
	for _, name := range binaries {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	tb.Fatalf("browser: headless Chromium is not installed (looked for %s on PATH); run `make deps`",
		strings.Join(binaries, ", "))
	return ""
}

// logTail returns the end of Chromium's output, without its complaints
// about the missing D-Bus (there is none in a container), which would
// otherwise fill it.
func (b *Browser) logTail() string {
	data, err := os.ReadFile(b.logPath)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", b.logPath, err)
	}
	var kept []string
	dropped := 0
	for line := range strings.Lines(string(data)) {
		if strings.Contains(line, ":ERROR:dbus/") {
			dropped++
			continue
		}
		kept = append(kept, line)
	}
	out := strings.Join(kept, "")
	if len(out) > maxLogTail {
		out = fmt.Sprintf("(%d bytes omitted)\n%s", len(out)-maxLogTail, out[len(out)-maxLogTail:])
	}
	if dropped > 0 {
		out += fmt.Sprintf("(%d D-Bus error lines left out)\n", dropped)
	}
	if out == "" {
		return "(no output)"
	}
	return out
}
