package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// attrs returns the values of every attr="..." in page order.
func attrs(body, attr string) []string {
	var out []string
	for _, m := range regexp.MustCompile(` `+attr+`="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// element returns the first element that starts with open, up to its
// closing tag (no nesting of the same tag inside).
func element(t *testing.T, body, open, tag string) string {
	t.Helper()
	i := strings.Index(body, open)
	if i < 0 {
		t.Fatalf("no %s in page", open)
	}
	j := strings.Index(body[i:], "</"+tag+">")
	if j < 0 {
		t.Fatalf("%s is not closed", open)
	}
	return body[i : i+j+len(tag)+3]
}

func page(t *testing.T, h http.Handler, target string) string {
	t.Helper()
	rec := get(t, h, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", target, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", target, ct)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, "<!DOCTYPE html>") || !strings.HasSuffix(body, "</html>\n") {
		t.Errorf("GET %s: not a whole page", target)
	}
	if strings.Contains(body, "ZgotmplZ") {
		t.Errorf("GET %s: html/template refused a value (ZgotmplZ)", target)
	}
	return body
}

func TestGridPage(t *testing.T) {
	_, h, _ := newFixture(t)
	body := page(t, h, "/")
	if got := strings.Join(attrs(body, "data-system"), ","); got != sysA+","+sysB+","+sysC {
		t.Errorf("systems %s", got)
	}
	golden(t, "grid_row.html", []byte(element(t, body, `<tr data-system="`+sysB+`">`, "tr")))
	if got := strings.Join(attrs(body, "data-move"), ","); got != "app02,db01" {
		t.Errorf("latest moves %s, want newest first", got)
	}
	if !strings.Contains(body, `<tr data-grid="remote-grid">`) {
		t.Error("remote grid missing")
	}
}

func TestSystemPage(t *testing.T) {
	_, h, _ := newFixture(t)
	odd := "x&lt;b&gt;&#34;&amp;&#39;"
	for _, c := range []struct{ query, order string }{
		{"", "db01,db02,old01," + odd},
		{"?sort=name&order=desc", odd + ",old01,db02,db01"},
		{"?sort=cpu_used", "old01,db01,db02," + odd},
		{"?sort=cpu_used&order=asc", odd + ",db02,db01,old01"},
		{"?sort=mem", "db01,old01," + odd + ",db02"},
		{"?sort=state&order=asc", "old01,db01,db02," + odd},
	} {
		body := page(t, h, "/system/"+sysB+c.query)
		if got := strings.Join(attrs(body, "data-lpar"), ","); got != c.order {
			t.Errorf("%s: rows %s, want %s", c.query, got, c.order)
		}
	}
	body := page(t, h, "/system/"+sysB+"?sort=cpu_used&range=week")
	golden(t, "system_head.html", []byte(element(t, body, "<thead>", "thead")))
	golden(t, "system_row.html", []byte(element(t, body, `<tr data-lpar="db01">`, "tr")))
	if !strings.Contains(body, `src="/graph/system/`+sysB+`/physc.svg?range=week"`) {
		t.Error("stacked graph for the chosen range missing")
	}
	if !strings.Contains(body, `href="/api/stack/`+sysB+`?range=week&amp;format=csv"`) {
		t.Error("CSV link of the graph missing")
	}
	if got := strings.Join(attrs(body, "data-move"), ","); got != "db01,app02" {
		t.Errorf("moves of the system %s", got)
	}
}

func TestLPARPage(t *testing.T) {
	_, h, _ := newFixture(t)
	body := page(t, h, "/lpar/db01?range=week")
	if got := strings.Join(attrs(body, "data-group"), ","); got != "cpu,load,memory,network,other,system" {
		t.Errorf("groups %s", got)
	}
	golden(t, "lpar_summary.html", []byte(element(t, body, `<p class="summary" id="lpar-summary">`, "p")))
	golden(t, "lpar_moves.html", []byte(element(t, body, `<table class="moves">`, "table")))
	// Graphs only where an RRD exists: the fixture has cpu_used and load_one.
	var graphs []string
	for _, src := range attrs(body, "src") {
		if strings.HasPrefix(src, "/graph/") {
			graphs = append(graphs, src)
		}
	}
	if got := strings.Join(graphs, " "); got != "/graph/lpar/db01/cpu_used.svg?range=week /graph/lpar/db01/load_one.svg?range=week" {
		t.Errorf("graphs %s", got)
	}
	if !strings.Contains(body, `<a href="/lpar/db01?range=week" aria-current="true">week</a>`) {
		t.Error("chosen range not marked")
	}
}

// TestLPARGone: a host no cluster lists but the history names still has
// a page, built from its moves and RRD files.
func TestLPARGone(t *testing.T) {
	src, h, _ := newFixture(t)
	src.snap.Sources[1].Hosts = src.snap.Sources[1].Hosts[1:] // db01 stops reporting
	body := page(t, h, "/lpar/db01")
	if !strings.Contains(body, "Not reporting now") {
		t.Error("no notice that db01 does not report")
	}
	if !strings.Contains(body, `src="/graph/lpar/db01/cpu_used.svg?range=day"`) {
		t.Error("graphs of the RRD files missing")
	}
}

func TestMovesPage(t *testing.T) {
	_, h, _ := newFixture(t)
	for _, c := range []struct{ query, want string }{
		{"", "db01,app02"},
		{"?system=" + sysA, "db01"},
		{"?system=" + sysB, "db01,app02"},
		{"?lpar=app02", "app02"},
		{"?from=2024-06-01T10:30", "app02"},
		{"?to=2024-06-01T10:30:00Z", "db01"},
		{"?from=2024-06-01&to=2024-06-01", "db01,app02"},
		{"?to=2024-05-31", ""},
		{"?from=" + url.QueryEscape("1717236000"), "db01,app02"},
	} {
		body := page(t, h, "/moves"+c.query)
		if got := strings.Join(attrs(body, "data-move"), ","); got != c.want {
			t.Errorf("%s: moves %q, want %q", c.query, got, c.want)
		}
	}
	body := page(t, h, "/moves?system="+sysC)
	if !strings.Contains(body, `<option value="`+sysC+`" selected>`) {
		t.Error("the filter form does not keep the system")
	}
}

func TestHealthPage(t *testing.T) {
	src, h, _ := newFixture(t)
	body := page(t, h, "/health")
	if got := strings.Join(attrs(body, "data-port"), ","); got != "8301,8302,8303" {
		t.Errorf("ports %s", got)
	}
	golden(t, "health_port.html", []byte(element(t, body, `<tr data-port="8301">`, "tr")))
	golden(t, "health_treecheck.html", []byte(element(t, body, `<table id="treecheck"`, "table")))
	src.health.TreeCheck = nil
	if body := page(t, h, "/health"); !strings.Contains(body, `<p class="empty" id="treecheck">Not configured.</p>`) {
		t.Error("missing tree check not shown as not configured")
	}
}

// TestEscaping: a host named x<b>"&' shows as text on every page and in
// every link, never as markup.
func TestEscaping(t *testing.T) {
	_, h, _ := newFixture(t)
	esc := "/lpar/" + url.PathEscape(oddHost)
	for _, target := range []string{"/system/" + sysB, esc, "/api/lpar/" + url.PathEscape(oddHost)} {
		rec := get(t, h, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", target, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "x<b>") {
			t.Errorf("GET %s: raw host name in output", target)
		}
	}
	body := page(t, h, "/system/"+sysB)
	if !strings.Contains(body, `<a href="/lpar/x%3Cb%3E%22&amp;%27">x&lt;b&gt;&#34;&amp;&#39;</a>`) {
		t.Errorf("link to the odd host is not escaped as expected:\n%s", element(t, body, `<tr data-lpar="x&lt;`, "tr"))
	}
}

func TestPageHeaders(t *testing.T) {
	_, h, _ := newFixture(t)
	rec := get(t, h, "/")
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-cache",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for path, ctype := range map[string]string{"/static/style.css": "text/css; charset=utf-8", "/static/sort.js": "text/javascript; charset=utf-8"} {
		rec := get(t, h, path)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != ctype || rec.Body.Len() == 0 {
			t.Errorf("GET %s: %d %q", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	if rec := get(t, h, "/healthz"); rec.Code != 200 || rec.Body.String() != "ok\n" {
		t.Errorf("/healthz: %d %q", rec.Code, rec.Body)
	}
}

// TestSystemFromHistory: a managed system no cluster is configured for
// any more keeps its page, with its moves and no LPARs.
func TestSystemFromHistory(t *testing.T) {
	src, h, _ := newFixture(t)
	src.snap.Sources = src.snap.Sources[1:] // sysA leaves the mapping
	body := page(t, h, "/system/"+sysA)
	if got := strings.Join(attrs(body, "data-move"), ","); got != "db01" || len(attrs(body, "data-lpar")) != 0 {
		t.Errorf("moves %q, LPARs %v", got, attrs(body, "data-lpar"))
	}
}
