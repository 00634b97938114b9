package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPathEscapes: nothing a URL can spell reads outside the RRD root or
// reaches a handler with a name that is not one path component.
func TestPathEscapes(t *testing.T) {
	_, h, root := newFixture(t)
	// A planted link out of the tree, with a valid RRD behind it.
	outside := t.TempDir()
	makeRRDs(t, outside)
	if err := os.Symlink(filepath.Join(outside, "LPARS", "db01"), filepath.Join(root, "LPARS", "evil")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		target string
		code   int
	}{
		{"/lpar/../etc/passwd", 400},
		{"/lpar/%2e%2e", 400},
		{"/lpar/%2E%2E%2Fetc%2Fpasswd", 400},
		{"/lpar/.", 400},
		{"/lpar/a%00b", 400},
		{"/lpar/a%0ab", 400},
		{"/lpar/a%2fb", 400},
		{"/lpar/a%5cb", 400},
		{"/lpar/__SummaryInfo__", 400},
		{"/system/%2e%2e", 400},
		{"/system/a%2fb", 400},
		{"/api/series/..%2f..%2fetc/passwd", 400},
		{"/api/series/db01/..%2f..%2fdb02%2fcpu_used", 400},
		{"/api/series/db01/cpu_used%00", 400},
		{"/api/series/%2e%2e/cpu_used", 400},
		{"/graph/lpar/db01/%2e%2e.svg", 400},
		{"/graph/lpar/db01/cpu_used.png", 404},
		{"/graph/system/" + sysB + "/other.svg", 404},
		{"/static/../handler.go", 400},
		{"/static/%2e%2e/handler.go", 400},
		{"/static/nosuch.css", 404},
		{"/api/series/evil/cpu_used", 404}, // the link leaves the root
		{"/graph/lpar/evil/cpu_used.svg", 404},
		{"/lpar/nosuch", 404},
		{"/system/nosuch", 404},
		{"/graph/system/nosuch/physc.svg", 404},
		{"/nosuch", 404},
	} {
		rec := get(t, h, c.target)
		if rec.Code != c.code {
			t.Errorf("GET %s: %d, want %d", c.target, rec.Code, c.code)
		}
	}
	// A 404 for a page is a page.
	if rec := get(t, h, "/lpar/nosuch"); !strings.Contains(rec.Body.String(), `<h1 id="error">404 Not Found</h1>`) {
		t.Errorf("404 page: %s", rec.Body)
	}
}

func TestMethods(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req := httptest.NewRequest(m, "/api/grid", strings.NewReader("x"))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s /api/grid: %d", m, rec.Code)
		}
	}
	req := httptest.NewRequest(http.MethodHead, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("HEAD /: %d", rec.Code)
	}
}

func TestAllow(t *testing.T) {
	src := fixtureSource()
	trusted := netip.MustParseAddr("192.0.2.10")
	h := NewHandler(Options{Source: src, Now: func() time.Time { return now },
		Allow: func(a netip.Addr) bool { return a == trusted || a.IsLoopback() }})
	for _, c := range []struct {
		remote string
		code   int
	}{
		{"192.0.2.10:5000", 200},
		{"[::ffff:192.0.2.10]:5000", 200}, // a v4 client on a v6 socket
		{"127.0.0.1:5000", 200},
		{"[::1]:5000", 200},
		{"192.0.2.11:5000", 403},
		{"[2001:db8::1]:5000", 403},
		{"garbage", 403},
	} {
		for _, path := range []string{"/", "/api/grid", "/metrics", "/healthz"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.RemoteAddr = c.remote
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != c.code {
				t.Errorf("GET %s from %s: %d, want %d", path, c.remote, rec.Code, c.code)
			}
		}
	}
}

// TestRRDPathJail: a host directory that is a link is followed only while
// it stays below the root.
func TestRRDPathJail(t *testing.T) {
	_, hh, root := newFixture(t)
	h := hh.(*handler)
	outside := t.TempDir()
	makeRRDs(t, outside)
	lpars := filepath.Join(root, "LPARS")
	if err := os.Symlink(filepath.Join(outside, "LPARS", "db01"), filepath.Join(lpars, "evil")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("db01", filepath.Join(lpars, "alias")); err != nil {
		t.Fatal(err)
	}
	if _, err := h.rrdPath("evil", "cpu_used"); err != errNoRRD {
		t.Errorf("link out of the root: %v, want errNoRRD", err)
	}
	if p, err := h.rrdPath("alias", "cpu_used"); err != nil || p != filepath.Join(lpars, "db01", "cpu_used.rrd") {
		t.Errorf("link inside the root: %q, %v", p, err)
	}
	if _, err := h.rrdPath("db01", "nosuch"); err != errNoRRD {
		t.Errorf("missing metric: %v", err)
	}
	for _, bad := range [][2]string{{"..", "cpu_used"}, {"db01", "../db02/cpu_used"}, {"db01", ""}, {"a/b", "x"}} {
		if _, err := h.rrdPath(bad[0], bad[1]); err == nil || err == errNoRRD {
			t.Errorf("rrdPath(%q, %q): %v, want a name error", bad[0], bad[1], err)
		}
	}
	noRoot := NewHandler(Options{Source: fixtureSource()}).(*handler)
	if _, err := noRoot.rrdPath("db01", "cpu_used"); err != errNoRRD {
		t.Errorf("without RRDRoot: %v", err)
	}
}
