package browser_test

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // image.DecodeConfig of screenshots
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/browser"
)

// pages are the documents the test server serves, by path. Everything else
// is 404, /favicon.ico included: the browser asks for it on its own, and
// that miss is not the page's problem (the clean page stays clean).
var pages = map[string]string{
	"/clean": `<!DOCTYPE html><html><head><title>clean</title>
<link rel="stylesheet" href="/style.css"></head>
<body><p id="static">served text</p>
<script src="/app.js"></script>
<script>
setTimeout(function () {
	var p = document.createElement("p");
	p.id = "late";
	p.textContent = "written by a timer";
	document.body.appendChild(p);
}, 3000);
console.log("just a log line");
</script></body></html>`,
	"/console-error": `<!DOCTYPE html><html><body><p>ok</p>
<script>console.error("something broke:", 42, {a: 1});</script></body></html>`,
	"/exception": `<!DOCTYPE html><html><body><p>ok</p>
<script>
function fail() { throw new Error("boom in fail"); }
fail();
</script></body></html>`,
	"/rejection": `<!DOCTYPE html><html><body>
<script>Promise.reject(new TypeError("nobody caught me"));</script></body></html>`,
	"/broken-img": `<!DOCTYPE html><html><body><img src="/missing.png" alt="x">
<script src="/gone.js"></script></body></html>`,
	"/screenshot": `<!DOCTYPE html><html><body style="margin:0;background:#0000ff">
<div style="width:100px;height:50px;background:#ff0000"></div></body></html>`,
}

func server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/style.css":
			w.Header().Set("Content-Type", "text/css")
			w.Write([]byte("p { color: #333 }"))
			return
		case "/app.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write([]byte(`document.getElementById("static").dataset.js = "ran";`))
			return
		}
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCleanPage(t *testing.T) {
	srv := server(t)
	start := time.Now()
	b := browser.New(t)
	t.Logf("Chromium started in %v", time.Since(start))
	p := b.Open(t, srv.URL+"/clean")
	t.Logf("first load %v", p.LoadTime)
	if p.Status != http.StatusOK {
		t.Errorf("Status = %d, want 200", p.Status)
	}
	p.ExpectClean(t)
	for _, want := range []string{`<p id="static" data-js="ran">served text</p>`, "written by a timer"} {
		if !strings.Contains(p.DOM, want) {
			t.Errorf("DOM lacks %q:\n%s", want, p.DOM)
		}
	}
	if got := p.Eval(t, `document.title`); got != "clean" {
		t.Errorf("Eval(document.title) = %v, want clean", got)
	}
	// Eval awaits promises, and the network still works once the budget is spent.
	if got := p.Eval(t, `fetch("/app.js").then(r => r.status)`); got != 200.0 {
		t.Errorf("Eval(fetch status) = %v, want 200", got)
	}
	msgs := p.Console()
	if !slices.ContainsFunc(msgs, func(m browser.Message) bool {
		return m.Level == "info" && m.Source == "console-api" && m.Text == "just a log line"
	}) {
		t.Errorf("console.log not recorded: %v", msgs)
	}
}

func TestConsoleError(t *testing.T) {
	srv := server(t)
	p := browser.Open(t, srv.URL+"/console-error")
	want := browser.Message{Level: "error", Source: "console-api", Text: "something broke: 42 Object",
		URL: srv.URL + "/console-error", Line: 2}
	if got := p.Console(); !slices.Contains(got, want) {
		t.Errorf("Console() = %v, want it to hold %v", got, want)
	}
	if got := p.Problems(); len(got) != 1 || !strings.Contains(got[0], "something broke") {
		t.Errorf("Problems() = %q, want the console error alone", got)
	}
}

func TestUncaughtException(t *testing.T) {
	srv := server(t)
	b := browser.New(t)
	p := b.Open(t, srv.URL+"/exception")
	ex := p.Exceptions()
	if len(ex) != 1 {
		t.Fatalf("Exceptions() = %v, want one", ex)
	}
	if ex[0].Text != "Uncaught Error: boom in fail" || ex[0].Line != 3 || !strings.Contains(ex[0].Stack, "at fail") {
		t.Errorf("exception = %+v", ex[0])
	}
	if got := p.Problems(); len(got) != 1 {
		t.Errorf("Problems() = %q, want the exception alone", got)
	}

	// An unhandled rejection is uncaught too, and a second tab of the same
	// browser keeps its own record.
	p2 := b.Open(t, srv.URL+"/rejection")
	ex = p2.Exceptions()
	if len(ex) != 1 || ex[0].Text != "Uncaught (in promise) TypeError: nobody caught me" {
		t.Errorf("rejection: Exceptions() = %v", ex)
	}
	if len(p.Exceptions()) != 1 {
		t.Errorf("first page gained exceptions: %v", p.Exceptions())
	}
}

func TestFailedLoads(t *testing.T) {
	srv := server(t)
	p := browser.Open(t, srv.URL+"/broken-img")
	got := p.FailedLoads()
	want := []browser.FailedLoad{
		{URL: srv.URL + "/missing.png", Type: "Image", Status: 404},
		{URL: srv.URL + "/gone.js", Type: "Script", Status: 404},
	}
	slices.SortFunc(got, func(a, b browser.FailedLoad) int { return strings.Compare(a.Type, b.Type) })
	if !slices.Equal(got, want) {
		t.Errorf("FailedLoads() = %v, want %v", got, want)
	}
	// Problems lists both; Chromium may add a console error of its own for
	// the script (a 404 page is not JavaScript), but never the bare
	// "Failed to load resource" lines the failed loads stand for.
	probs := p.Problems()
	for _, f := range want {
		if !slices.Contains(probs, "failed load "+f.String()) {
			t.Errorf("Problems() = %q, want it to hold %q", probs, f)
		}
	}
	for _, s := range probs {
		if strings.Contains(s, "Failed to load resource") {
			t.Errorf("Problems() holds %q", s)
		}
	}
	if !slices.ContainsFunc(p.Console(), func(m browser.Message) bool {
		return m.Source == "network" && m.Level == "error" && strings.Contains(m.Text, "404")
	}) {
		t.Errorf("Console() lacks Chromium's network error line: %v", p.Console())
	}
}

func TestPageStatus(t *testing.T) {
	srv := server(t)
	p := browser.Open(t, srv.URL+"/no-such-page")
	if p.Status != http.StatusNotFound {
		t.Errorf("Status = %d, want 404", p.Status)
	}
}

func TestScreenshot(t *testing.T) {
	srv := server(t)
	p := browser.Open(t, srv.URL+"/screenshot")
	path := filepath.Join(t.TempDir(), "shot.png")
	p.Screenshot(t, path, 640, 360)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("%s does not start with the PNG signature: % x", path, data[:min(8, len(data))])
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if format != "png" || cfg.Width != 640 || cfg.Height != 360 {
		t.Errorf("screenshot is %s %dx%d, want png 640x360", format, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The red box in the corner, the blue page around it.
	for _, c := range []struct {
		x, y    int
		r, g, b uint32
	}{{10, 10, 0xffff, 0, 0}, {300, 200, 0, 0, 0xffff}} {
		r, g, b, _ := img.At(c.x, c.y).RGBA()
		if r != c.r || g != c.g || b != c.b {
			t.Errorf("pixel (%d,%d) = %04x %04x %04x, want %04x %04x %04x", c.x, c.y, r, g, b, c.r, c.g, c.b)
		}
	}
}

// TestLoadTime loads the same page repeatedly in one browser, as the web
// interface's browser tests do, and logs what a load costs.
func TestLoadTime(t *testing.T) {
	srv := server(t)
	b := browser.New(t)
	var total time.Duration
	const n = 5
	for range n {
		start := time.Now()
		p := b.Open(t, srv.URL+"/clean")
		total += time.Since(start)
		if !strings.Contains(p.DOM, "written by a timer") {
			t.Fatalf("timer did not run within the budget:\n%s", p.DOM)
		}
		p.Close(t)
		if len(p.Console()) == 0 {
			t.Error("record of a closed page lost")
		}
	}
	t.Logf("%d loads of a page with a 3 s timer under a %v budget: %v each on average, tab included",
		n, b.Budget, total/n)
}

// fatalTB stands in for a test whose Fatalf is expected: it records the
// message and unwinds with errFatal instead of ending the real test.
type fatalTB struct {
	testing.TB
	msg string
}

type errFatal struct{}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(errFatal{})
}

// expectFatal runs f and returns the message it failed with.
func expectFatal(t *testing.T, f func(tb testing.TB)) string {
	t.Helper()
	tb := &fatalTB{TB: t}
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(errFatal); !ok {
					panic(r)
				}
			}
		}()
		f(tb)
	}()
	if tb.msg == "" {
		t.Fatal("no Fatalf")
	}
	return tb.msg
}

func TestMissingChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	msg := expectFatal(t, func(tb testing.TB) { browser.New(tb) })
	if !strings.Contains(msg, "make deps") {
		t.Errorf("message %q does not say to run make deps", msg)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/"
	srv.Close() // nothing listens there any more
	b := browser.New(t)
	msg := expectFatal(t, func(tb testing.TB) { b.Open(tb, url) })
	if !strings.Contains(msg, "ERR_CONNECTION_REFUSED") {
		t.Errorf("message %q does not name the network error", msg)
	}
}

// TestHangingResource checks that a sub-resource that never arrives fails
// the load once Timeout has passed: virtual time waits for it forever.
func TestHangingResource(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Write([]byte(`<!DOCTYPE html><img src="/hang.png">`))
			return
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: lets srv.Close return
	b := browser.New(t)
	b.Timeout = 2 * time.Second
	start := time.Now()
	msg := expectFatal(t, func(tb testing.TB) { b.Open(tb, srv.URL+"/") })
	if d := time.Since(start); d > b.Timeout+time.Second {
		t.Errorf("failed after %v, want about %v", d, b.Timeout)
	}
	if !strings.Contains(msg, "not used up") || !strings.Contains(msg, srv.URL+"/hang.png") {
		t.Errorf("message %q does not say the budget was not used up, waiting for hang.png", msg)
	}
}

func TestRefusedLoad(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	gone := dead.URL + "/logo.png"
	dead.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><img src="%s">`, gone)
	}))
	t.Cleanup(srv.Close)
	p := browser.Open(t, srv.URL+"/")
	want := []browser.FailedLoad{{URL: gone, Type: "Image", Err: "net::ERR_CONNECTION_REFUSED"}}
	if got := p.FailedLoads(); !slices.Equal(got, want) {
		t.Errorf("FailedLoads() = %v, want %v", got, want)
	}
}
