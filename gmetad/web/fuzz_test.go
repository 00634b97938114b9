package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandlerPath sends any path (and query) to the handler on the
// fixture: it must never fail with a 5xx or panic, and must answer 200
// only for a plain path.
func FuzzHandlerPath(f *testing.F) {
	for _, s := range []string{
		"/", "/system/" + sysB, "/lpar/db01", "/api/series/db01/cpu_used", "/api/stack/" + sysB,
		"/graph/lpar/db01/cpu_used.svg", "/graph/system/" + sysB + "/physc.svg", "/moves", "/health",
		"/lpar/../etc/passwd", "/api/series/db01/..\x00", "/static/style.css", "/metrics",
	} {
		f.Add(s, "range=hour")
	}
	_, h, _ := newFixture(f)
	f.Fuzz(func(t *testing.T, path, query string) {
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: query},
			Header: http.Header{}, RemoteAddr: "127.0.0.1:1", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
		req = req.WithContext(t.Context())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %q ?%q: %d %s", path, query, rec.Code, rec.Body)
		}
		if rec.Code == 200 && !plainPath(path) {
			t.Fatalf("GET %q: 200 for a path that is not plain", path)
		}
		if rec.Code == 200 && strings.Contains(path, "\x00") {
			t.Fatalf("GET %q: 200 with a NUL", path)
		}
	})
}
