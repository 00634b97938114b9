package gangliaweb

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// startTimeout bounds how long PHP's server may take to answer.
const startTimeout = 15 * time.Second

// requestTimeout bounds one request; graph.php runs rrdtool.
const requestTimeout = 30 * time.Second

// Options say which gmetad ganglia-web reads.
type Options struct {
	// InteractiveAddr is gmetad's interactive port (host:port, where
	// ganglia-web sends its queries), e.g. 127.0.0.1:8652. Required.
	InteractiveAddr string
	// RRDRoot is gmetad's rrd_rootdir, where graph.php reads the RRDs.
	// Required.
	RRDRoot string
	// Dir holds the private copy, its state and PHP's log; default a
	// temporary directory of the test.
	Dir string
}

// Web is a running ganglia-web.
type Web struct {
	Addr    string // 127.0.0.1:port of PHP's server
	Dir     string // Options.Dir
	AppDir  string // the patched copy of ganglia-web, served as /ganglia/
	LogPath string // PHP's server log

	proc   *stockganglia.Process
	client *http.Client
}

// Start copies ganglia-web into a private directory, applies the PHP 8
// fixes, writes its configuration for opts and serves it with `php -S` on a
// free loopback port. It returns once the server answers; the server is
// stopped when tb ends.
func Start(tb testing.TB, opts Options) *Web {
	tb.Helper()
	php := need(tb)
	host, portText, err := net.SplitHostPort(opts.InteractiveAddr)
	port, perr := strconv.Atoi(portText)
	if err != nil || perr != nil || opts.RRDRoot == "" {
		tb.Fatalf("gangliaweb: need InteractiveAddr host:port and RRDRoot, got %q and %q", opts.InteractiveAddr, opts.RRDRoot)
	}
	if opts.Dir == "" {
		opts.Dir = tb.TempDir()
	}
	w := &Web{Dir: opts.Dir, client: &http.Client{Timeout: requestTimeout}}
	webRoot := filepath.Join(opts.Dir, "web")
	w.AppDir = filepath.Join(webRoot, "ganglia")
	gweb := filepath.Join(opts.Dir, "gweb")
	override := filepath.Join(opts.Dir, "conf-override.php")
	prepend := filepath.Join(opts.Dir, "php8-prepend.php")
	routerPath := filepath.Join(opts.Dir, "router.php")

	// The stock conf.php includes the site's configuration first; the
	// copy includes the override instead.
	confFix := fix{file: "conf.php", old: siteConf, new: override, count: 2, why: "the site configuration include"}
	err = errors.Join(
		copyTree(installedApp, w.AppDir),
		copyTree(installedState, gweb),
		confFix.apply(w.AppDir),
		os.WriteFile(override, []byte(confOverride(gweb, opts.RRDRoot, host, port)), 0o644),
		os.WriteFile(prepend, []byte(templates.GangliaWebPHP8Prepend), 0o644),
		os.WriteFile(routerPath, []byte(router), 0o644),
	)
	for _, f := range php8Fixes {
		err = errors.Join(err, f.apply(w.AppDir))
	}
	if err != nil {
		tb.Fatalf("gangliaweb: preparing the copy of ganglia-web: %v", err)
	}
	w.serve(tb, php, webRoot, routerPath, prepend)
	return w
}

// need returns the php binary, failing tb when php or ganglia-web is not
// installed.
func need(tb testing.TB) string {
	tb.Helper()
	php, err := exec.LookPath("php")
	if err != nil {
		tb.Fatalf("gangliaweb: php not found (%v); run `make deps` (Debian packages php-cli, ganglia-webfrontend)", err)
	}
	if _, err := os.Stat(filepath.Join(installedApp, "index.php")); err != nil {
		tb.Fatalf("gangliaweb: ganglia-web not installed (%v); run `make deps` (Debian package ganglia-webfrontend)", err)
	}
	return php
}

// serve starts PHP's built-in server on a free port, retrying when another
// process took the port between the probe and the bind.
func (w *Web) serve(tb testing.TB, php, webRoot, routerPath, prepend string) {
	tb.Helper()
	var last error
	for attempt := range 3 {
		w.Addr = fmt.Sprintf("127.0.0.1:%d", stockganglia.FreePort(tb))
		name := fmt.Sprintf("php-%d", attempt)
		w.LogPath = filepath.Join(w.Dir, name+".log")
		// Errors are shown in the page, where the tests look for them, as
		// plain text; deprecations (PHP 8.2 deprecates much of this 2019
		// code) are left out, as in Debian's php.ini.
		w.proc = stockganglia.Launch(tb, name, w.Dir, php,
			"-d", "auto_prepend_file="+prepend,
			"-d", "display_errors=1", "-d", "html_errors=0", "-d", "log_errors=0",
			"-d", "error_reporting="+strconv.Itoa(errorReporting),
			"-S", w.Addr, "-t", webRoot, routerPath)
		last = w.proc.WaitReady(startTimeout, func() error {
			_, _, err := w.fetch(w.URL("styles.css"))
			return err
		})
		if last == nil {
			return
		}
		w.proc.Stop()
	}
	tb.Fatalf("gangliaweb: php -S did not answer: %v", last)
}

// errorReporting is E_ALL & ~E_DEPRECATED & ~E_USER_DEPRECATED.
const errorReporting = 32767 &^ 8192 &^ 16384

// URL returns the address of path below ganglia-web's directory: "" is the
// front page, "?c=cluster" a cluster page, "graph.php?..." a graph.
func (w *Web) URL(path string) string {
	return "http://" + w.Addr + "/ganglia/" + strings.TrimPrefix(path, "/")
}

// Pid returns the process id of PHP's server.
func (w *Web) Pid() int { return w.proc.Pid() }

// Log returns the end of PHP's server log: one line per request.
func (w *Web) Log() string { return w.proc.Log() }

// Fetch requests path (as for URL) and returns the status and body as they
// came.
func (w *Web) Fetch(tb testing.TB, path string) (int, []byte) {
	tb.Helper()
	status, body, err := w.fetch(w.URL(path))
	if err != nil {
		tb.Fatalf("gangliaweb: %v", err)
	}
	return status, body
}

func (w *Web) fetch(url string) (int, []byte, error) {
	resp, err := w.client.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	return resp.StatusCode, body, nil
}

// phpDiagnostic matches an error PHP printed into a page (display_errors
// with html_errors off puts each on a line of its own).
var phpDiagnostic = regexp.MustCompile(`(?m)^(?:PHP )?(?:Fatal error|Parse error|Recoverable fatal error|Warning|Notice|Deprecated|Strict Standards): .*$`)

// PHPErrors returns each error, warning or notice PHP printed into body.
func PHPErrors(body []byte) []string {
	var out []string
	for _, m := range phpDiagnostic.FindAll(body, -1) {
		out = append(out, string(m))
	}
	return out
}

// Get returns the page at path (as for URL). It fails tb unless the status
// is 200 and the page holds no PHP error, warning or notice.
func (w *Web) Get(tb testing.TB, path string) string {
	tb.Helper()
	status, body := w.Fetch(tb, path)
	if status != http.StatusOK {
		tb.Fatalf("gangliaweb: GET %s: status %d\n%s", w.URL(path), status, body)
	}
	if errs := PHPErrors(body); len(errs) > 0 {
		tb.Fatalf("gangliaweb: GET %s: PHP reports:\n%s", w.URL(path), strings.Join(errs, "\n"))
	}
	return string(body)
}
