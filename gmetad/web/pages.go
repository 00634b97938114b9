package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// pageFiles are the page templates; each is parsed with layout.html.
var pageFiles = []string{"grid.html", "system.html", "lpar.html", "moves.html", "health.html", "error.html"}

// funcs are the templates' helpers. Escaping stays html/template's: these
// only format numbers, times and path segments.
var funcs = template.FuncMap{
	"seg":   url.PathEscape,
	"fixed": fixed,
	"rate":  byteRate,
	"kb":    kilobytes,
	"tm":    func(t time.Time) string { return fmtTime(t) },
	"ago":   ago,
	"pct":   func(n num) string { return fixed(n, 1) },
	"known": func(n num) bool { return n.known() },
	"sortv": sortValue,
	"secs":  func(s int64) string { return (time.Duration(s) * time.Second).String() },
}

func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, p := range pageFiles {
		pages[p] = template.Must(template.New(p).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+p))
	}
	return pages
}

// fixed formats a value with d decimals; unknown is an en dash.
func fixed(n num, d int) string {
	if !n.known() {
		return "–"
	}
	return strconv.FormatFloat(float64(n), 'f', d, 64)
}

// sortValue is a cell's data-sort attribute for the table script: the
// number, or empty when unknown (sorted last).
func sortValue(n num) string {
	if !n.known() {
		return ""
	}
	return strconv.FormatFloat(float64(n), 'f', -1, 64)
}

// byteRate formats bytes per second with SI prefixes, as ganglia-web does.
func byteRate(n num) string {
	if !n.known() {
		return "–"
	}
	v, units := float64(n), []string{"B/s", "kB/s", "MB/s", "GB/s", "TB/s"}
	i := 0
	for ; math.Abs(v) >= 1000 && i < len(units)-1; i++ {
		v /= 1000
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[i]
}

// kilobytes formats a memory size given in KB (Ganglia's mem_* units) as
// GiB.
func kilobytes(n num) string {
	if !n.known() {
		return "–"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " GiB"
}

// fmtTime prints a time in UTC to the second, as every page does.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// ago says how long before now t was, to the second.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return now.Sub(t).Truncate(time.Second).String() + " ago"
}

func (h *handler) gridPage(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	snap := h.src.Snapshot(now)
	title := "Grid"
	if snap.Grid.Name != "" {
		title = snap.Grid.Name
	}
	h.render(w, http.StatusOK, "grid.html", title, "grid", buildGrid(snap, h.src.Moves(), now))
}

func (h *handler) systemPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.systemOf(w, r)
	if !ok {
		return
	}
	rng, ok := h.queryRange(w, r)
	if !ok {
		return
	}
	base := "/system/" + url.PathEscape(v.Name)
	v.Range = rng.Name
	v.Cols = columns(base, v.Sort, v.Order, rng.Name)
	q := url.Values{}
	if r.URL.Query().Has("sort") {
		q.Set("sort", v.Sort)
		q.Set("order", v.Order)
	}
	v.Ranges = rangeLinks(base, q, rng.Name)
	h.render(w, http.StatusOK, "system.html", v.Name, "grid", v)
}

func (h *handler) lparPage(w http.ResponseWriter, r *http.Request) {
	v, ok := h.lparOf(w, r)
	if !ok {
		return
	}
	rng, ok := h.queryRange(w, r)
	if !ok {
		return
	}
	v.Range = rng.Name
	v.Ranges = rangeLinks("/lpar/"+url.PathEscape(v.Name), nil, rng.Name)
	h.render(w, http.StatusOK, "lpar.html", v.Name, "grid", v)
}

func (h *handler) movesPage(w http.ResponseWriter, r *http.Request) {
	v, err := buildMoves(h.src.Moves(), r.URL.Query())
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	h.render(w, http.StatusOK, "moves.html", "LPM moves", "moves", v)
}

func (h *handler) healthPage(w http.ResponseWriter, r *http.Request) {
	now := h.now()
	v := buildHealth(h.src.Health(), clusterSizes(h.src.Snapshot(now)), now)
	h.render(w, http.StatusOK, "health.html", "Health", "health", v)
}
