package web

import (
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/svgchart"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// timeRange is one of the graph ranges a page offers.
type timeRange struct {
	Name string
	Span time.Duration
	// Resolution is the step asked of rrdstore.Fetch; it picks the archive
	// whose step is closest, as rrdtool fetch -r does. With gmetad's default
	// archives (15 s for a day, 60 s for two weeks, 600 s for a year) the
	// answer has 240 to 5000 rows.
	Resolution uint64
}

// ranges are the ranges of ganglia-web, shortest first.
var ranges = []timeRange{
	{"hour", time.Hour, 15},
	{"day", 24 * time.Hour, 60},
	{"week", 7 * 24 * time.Hour, 600},
	{"month", 30 * 24 * time.Hour, 1800},
	{"year", 365 * 24 * time.Hour, 21600},
}

const defaultRange = "day"

// errBadRange is a range parameter that is none of ranges.
var errBadRange = errors.New(`range must be hour, day, week, month or year`)

func parseRange(s string) (timeRange, error) {
	if s == "" {
		s = defaultRange
	}
	for _, r := range ranges {
		if r.Name == s {
			return r, nil
		}
	}
	return timeRange{}, errBadRange
}

// maxPoints bounds the points of a drawn series: more than the pixels of a
// graph only makes the SVG bigger. Longer answers are consolidated by
// averaging runs of rows, as rrdtool graph does for its pixel columns.
const maxPoints = 600

// series is one data source of one RRD over a range, on a regular time
// grid: Values[k] is the average over (T(k) − Step, T(k)], NaN unknown.
type series struct {
	Start  time.Time // T(-1): the grid starts one step before the first row
	Step   time.Duration
	Values []float64
}

// T returns the end of row k.
func (s *series) T(k int) time.Time { return s.Start.Add(time.Duration(k+1) * s.Step) }

// End is the end of the last row.
func (s *series) End() time.Time { return s.T(len(s.Values) - 1) }

// errNoRRD is a host or metric without an RRD file.
var errNoRRD = errors.New("no RRD file")

// rrdPath returns <RRDRoot>/<LPARDir>/<host>/<metric>.rrd after checking
// both names, and that the file, once symlinks are resolved, is still below
// the root: names come from the network and from URLs (DESIGN.md
// decision 3).
func (h *handler) rrdPath(host, metric string) (string, error) {
	if h.root == "" {
		return "", errNoRRD
	}
	if err := rrdstore.ValidateName(rrdstore.NameKindHost, host, 0); err != nil {
		return "", err
	}
	if err := rrdstore.ValidateName(rrdstore.NameKindMetric, metric, 0); err != nil {
		return "", err
	}
	p := filepath.Join(h.root, h.lparDir, host, metric+".rrd")
	real, err := filepath.EvalSymlinks(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errNoRRD
	}
	if err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(h.root)
	if err != nil {
		return "", err
	}
	if !within(realRoot, real) {
		// A link planted in the tree: the nightly check reports it; here
		// it names nothing.
		h.log.Warn("web: RRD path leads outside the root; refused", "path", p, "target", real)
		return "", errNoRRD
	}
	fi, err := os.Stat(real)
	if err != nil || !fi.Mode().IsRegular() {
		return "", errNoRRD
	}
	return real, nil
}

// within reports whether path is root or below it; both are clean.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// flushTimeout bounds the wait for gmetad's writer before a graph reads a
// file: a file locked by another process reads as it is.
const flushTimeout = 2 * time.Second

// fetch is the package's fetch after writing what gmetad still buffers
// for path. A flush that fails or takes too long is logged; the file is
// read as it is.
func (h *handler) fetch(path string, r timeRange, end time.Time) (*series, error) {
	if h.flush != nil {
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		err := h.flush(ctx, path)
		cancel()
		if err != nil {
			h.log.Debug("web: buffered RRD updates not written before a graph", "path", path, "err", err)
		}
	}
	return fetch(path, r, end)
}

// fetch reads the first data source ("sum") of an RRD over r ending at
// end, at the range's resolution.
func fetch(path string, r timeRange, end time.Time) (*series, error) {
	start := end.Add(-r.Span)
	res, err := rrdstore.Fetch(path, "AVERAGE", start.Unix(), end.Unix(), r.Resolution)
	if err != nil {
		return nil, err
	}
	s := &series{Start: time.Unix(res.Start, 0).UTC(), Step: time.Duration(res.Step) * time.Second,
		Values: make([]float64, len(res.Rows))}
	for k, row := range res.Rows {
		s.Values[k] = math.NaN()
		if len(row) > 0 && !math.IsNaN(row[0]) {
			s.Values[k] = row[0]
		}
	}
	return s, nil
}

// at returns the value of the row covering t: (T(k) − Step, T(k)].
func (s *series) at(t time.Time) float64 {
	if s.Step <= 0 || !t.After(s.Start) {
		return math.NaN()
	}
	d := t.Sub(s.Start)
	k := int((d+s.Step-1)/s.Step) - 1
	if k < 0 || k >= len(s.Values) {
		return math.NaN()
	}
	return s.Values[k]
}

// points returns the series as chart points, consolidated so that at most
// max remain: runs of rows are averaged, unknown rows ignored, and a run
// with no known row stays unknown (a gap). Each point is stamped with the
// end of its run's last row.
func (s *series) points(max int) []svgchart.Point {
	n := len(s.Values)
	per := 1
	if max > 0 && n > max {
		per = (n + max - 1) / max
	}
	out := make([]svgchart.Point, 0, (n+per-1)/per)
	for i := 0; i < n; i += per {
		j := min(i+per, n)
		sum, cnt := 0.0, 0
		for _, v := range s.Values[i:j] {
			if !math.IsNaN(v) {
				sum += v
				cnt++
			}
		}
		v := math.NaN()
		if cnt > 0 {
			v = sum / float64(cnt)
		}
		out = append(out, svgchart.Point{T: s.T(j - 1), V: v})
	}
	return out
}
