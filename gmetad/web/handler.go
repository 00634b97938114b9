package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

//go:embed templates/*.html static/*
var assets embed.FS

// handler serves every page and endpoint of the package doc.
type handler struct {
	src     Source
	root    string // RRDRoot, cleaned; "" without graphs
	lparDir string
	flush   func(ctx context.Context, path string) error
	now     func() time.Time
	log     *slog.Logger
	allow   func(netip.Addr) bool
	pages   map[string]*template.Template
	mux     *http.ServeMux
}

// NewHandler returns the web interface: the pages, /api/..., the graphs,
// /metrics, /healthz and /static/... (see the package doc). It panics only
// if its embedded templates are broken, which the tests rule out.
func NewHandler(opts Options) http.Handler {
	h := &handler{src: opts.Source, flush: opts.FlushRRD, now: opts.Now, log: opts.Logger, allow: opts.Allow, lparDir: opts.LPARDir}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.lparDir == "" {
		h.lparDir = "LPARS"
	}
	if opts.RRDRoot != "" {
		if err := rrdstore.ValidateName(rrdstore.NameKindCluster, h.lparDir, 0); err != nil {
			h.log.Error("web: graphs disabled: bad lpar_dir", "lpar_dir", h.lparDir, "err", err)
		} else {
			h.root = filepath.Clean(opts.RRDRoot)
		}
	}
	h.pages = parsePages()
	h.routes()
	return h
}

func (h *handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", h.gridPage)
	m.HandleFunc("GET /system/{name}", h.systemPage)
	m.HandleFunc("GET /lpar/{host}", h.lparPage)
	m.HandleFunc("GET /moves", h.movesPage)
	m.HandleFunc("GET /health", h.healthPage)
	m.HandleFunc("GET /graph/lpar/{host}/{file}", h.lparGraph)
	m.HandleFunc("GET /graph/system/{name}/{file}", h.systemGraph)
	m.HandleFunc("GET /api/grid", h.apiGrid)
	m.HandleFunc("GET /api/system/{name}", h.apiSystem)
	m.HandleFunc("GET /api/lpar/{host}", h.apiLPAR)
	m.HandleFunc("GET /api/moves", h.apiMoves)
	m.HandleFunc("GET /api/series/{host}/{metric}", h.apiSeries)
	m.HandleFunc("GET /api/stack/{name}", h.apiStack)
	m.HandleFunc("GET /api/health", h.apiHealth)
	m.HandleFunc("GET /metrics", h.metrics)
	m.HandleFunc("GET /healthz", h.healthz)
	m.HandleFunc("GET /static/{file}", h.static)
	m.HandleFunc("/", h.notFound)
	h.mux = m
}

// static serves the embedded style sheet and script. They change only
// with the binary, so clients may keep them for an hour.
func (h *handler) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	var b []byte
	err := fs.ErrNotExist
	if !strings.Contains(name, "/") {
		b, err = fs.ReadFile(assets, "static/"+name)
	}
	if err != nil {
		h.fail(w, r, http.StatusNotFound, "no such file")
		return
	}
	ctype := "text/plain; charset=utf-8"
	switch filepath.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(b)
}

// ServeHTTP refuses clients Allow does not trust (403) and paths that are
// not plain (400: "." or ".." segments, NUL or other control bytes, raw or
// escaped), before any routing: ServeMux would redirect "/lpar/../x" to a
// cleaned path, and nothing here should ever see such a name.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	if h.allow != nil {
		ap, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !h.allow(ap.Addr().Unmap()) {
			h.fail(w, r, http.StatusForbidden, "this address is not in trusted_hosts")
			return
		}
	}
	if !plainPath(r.URL.Path) {
		h.fail(w, r, http.StatusBadRequest, "malformed path")
		return
	}
	h.mux.ServeHTTP(w, r)
}

// plainPath reports whether the decoded path has no empty-dot segments and
// no control bytes.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\' {
			return false
		}
	}
	for seg := range strings.SplitSeq(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, http.StatusMethodNotAllowed, "only GET and HEAD are served")
		return
	}
	h.fail(w, r, http.StatusNotFound, "no such page")
}

// fail answers an error in the form the path asks for: JSON under /api/,
// text for graphs and /metrics, a page elsewhere.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/api/"):
		h.writeJSON(w, code, map[string]string{"error": msg})
	case strings.HasPrefix(p, "/graph/"), strings.HasPrefix(p, "/static/"), p == "/metrics", p == "/healthz":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, msg+"\n")
	default:
		h.render(w, code, "error.html", http.StatusText(code), "", errorView{Code: code, Message: msg})
	}
}

type errorView struct {
	Code    int
	Message string
}

// serverError logs err and answers 500.
func (h *handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	h.log.Warn("web: request failed", "path", r.URL.Path, "err", err)
	h.fail(w, r, http.StatusInternalServerError, "internal error; see gmetad's log")
}

func (h *handler) writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		h.log.Warn("web: encoding JSON", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// pageData is what every page template gets: the layout's fields and the
// page's own view in V.
type pageData struct {
	Title  string
	Active string // the navigation entry to highlight
	Now    time.Time
	V      any
}

// render executes a page into a buffer first, so that a template error
// becomes a 500 instead of half a page.
func (h *handler) render(w http.ResponseWriter, code int, page, title, active string, v any) {
	t := h.pages[page]
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout", pageData{Title: title, Active: active, Now: h.now().UTC(), V: v})
	if err != nil {
		h.log.Warn("web: rendering page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (h *handler) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	io.WriteString(w, "ok\n")
}
