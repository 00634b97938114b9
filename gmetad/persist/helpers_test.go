package persist

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// base is a step boundary (a multiple of 15 s) the synthetic steps start at.
const base int64 = 1795303200

// stepTime is the time of step k of the synthetic sequences.
func stepTime(k int) time.Time { return time.Unix(base+15*int64(k), 0) }

// smallRRAs keep test files small: 100 rows of one step, 20 of four.
var smallRRAs = []rrdstore.RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 100}, {CF: "AVERAGE", XFF: 0.5, Steps: 4, Rows: 20}}

// rrdtool returns the path of the rrdtool binary or fails the test.
func rrdtool(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("rrdtool")
	if err != nil {
		tb.Fatalf("rrdtool not installed (%v): run make deps", err)
	}
	return p
}

func runRRDTool(tb testing.TB, args ...string) []byte {
	tb.Helper()
	out, err := exec.Command(rrdtool(tb), args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("rrdtool %q: %v\n%s", args, err, out)
	}
	return out
}

// parseInfo reads `rrdtool info` output into key → value.
func parseInfo(b []byte) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " = ")
		if ok {
			m[k] = v
		}
	}
	return m
}

func rrdInfo(tb testing.TB, path string) map[string]string {
	tb.Helper()
	return parseInfo(runRRDTool(tb, "info", path))
}

// definitionKeys are the `rrdtool info` keys that describe a file's shape,
// as opposed to its contents: step, data sources, archives.
func definitionKeys(info map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range info {
		switch {
		case k == "step", strings.HasPrefix(k, "ds[") && (strings.HasSuffix(k, ".type") ||
			strings.HasSuffix(k, ".minimal_heartbeat") || strings.HasSuffix(k, ".min") ||
			strings.HasSuffix(k, ".max") || strings.HasSuffix(k, ".index")):
			out[k] = v
		case strings.HasPrefix(k, "rra[") && !strings.Contains(k, "cdp_prep") && !strings.HasSuffix(k, ".cur_row"):
			out[k] = v
		}
	}
	return out
}

// diffKeys lists the keys whose values differ, "key: got != want".
func diffKeys(got, want map[string]string) []string {
	var out []string
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			out = append(out, k+": "+g+" != "+w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			out = append(out, k+": "+g+" (unexpected)")
		}
	}
	slices.Sort(out)
	return out
}

// fetchRow is one row of `rrdtool fetch`.
type fetchRow struct {
	t    int64
	vals []float64
}

// rrdFetch runs `rrdtool fetch path AVERAGE -r 15 -s start -e end`.
func rrdFetch(tb testing.TB, path string, start, end int64) []fetchRow {
	tb.Helper()
	out := runRRDTool(tb, "fetch", path, "AVERAGE", "-r", "15",
		"-s", strconv.FormatInt(start, 10), "-e", strconv.FormatInt(end, 10))
	var rows []fetchRow
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		ts, rest, ok := strings.Cut(sc.Text(), ": ")
		if !ok {
			continue
		}
		t, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			continue
		}
		var vals []float64
		for _, f := range strings.Fields(rest) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				v = math.NaN() // "-nan"
			}
			vals = append(vals, v)
		}
		rows = append(rows, fetchRow{t, vals})
	}
	return rows
}

// rowAt returns the values of the row at t, nil if none.
func rowAt(rows []fetchRow, t int64) []float64 {
	for _, r := range rows {
		if r.t == t {
			return r.vals
		}
	}
	return nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// openStore opens an rrdstore.Store; the persister closes it.
func openStore(tb testing.TB) *rrdstore.Store {
	tb.Helper()
	s, err := rrdstore.OpenStore(rrdstore.StoreOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// newPersister starts a persister on root with opts and closes it when
// the test ends, unless the test did.
func newPersister(tb testing.TB, opts Options) *Persister {
	tb.Helper()
	p, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := p.Close(context.Background()); err != nil && !errors.Is(err, ErrClosed) {
			tb.Errorf("Close: %v", err)
		}
	})
	return p
}

// persistSteps persists each snapshot and waits for it, so none is skipped.
func persistSteps(tb testing.TB, p *Persister, snaps ...*xmlout.Snapshot) {
	tb.Helper()
	for _, s := range snaps {
		p.Persist(s, time.Unix(s.Sources[0].LocalTime, 0))
		if err := p.Sync(context.Background()); err != nil {
			tb.Fatalf("Sync: %v", err)
		}
	}
}

func closePersister(tb testing.TB, p *Persister) {
	tb.Helper()
	if err := p.Close(context.Background()); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// metric returns a METRIC born at now (TN 0) with gmond's default TMAX.
func metric(name, val, typ, slope string, now time.Time) xmlout.Metric {
	return xmlout.Metric{Name: name, Val: val, Type: typ, Slope: slope, TMax: 60, T0: now}
}

// host returns an up HOST (TN 0, TMAX 20) reporting at now.
func host(name string, now time.Time, ms ...xmlout.Metric) xmlout.Host {
	return xmlout.Host{Name: name, IP: "10.0.0.1", Reported: now.Unix(), T0: now, TMax: 20, Metrics: ms}
}

// cluster returns a CLUSTER source at now with the summary of its up hosts.
func cluster(name string, now time.Time, hosts ...xmlout.Host) xmlout.Source {
	src := xmlout.Source{Kind: xmlout.Cluster, Name: name, LocalTime: now.Unix(), Hosts: hosts}
	src.Summary = summarize(hosts, now)
	return src
}

// snapshot returns a snapshot of the sources with the root summary of
// all of them, as the grid computes it.
func snapshot(srcs ...xmlout.Source) *xmlout.Snapshot {
	s := &xmlout.Snapshot{Grid: xmlout.GridInfo{Name: "TestGrid"}, Sources: srcs}
	for i := range srcs {
		addSummary(&s.Summary, &srcs[i].Summary)
	}
	return s
}

// summarize is gmetad's cluster summary of hosts (PROTOCOL.md §4.5).
func summarize(hosts []xmlout.Host, now time.Time) xmlout.Summary {
	var s xmlout.Summary
	for i := range hosts {
		h := &hosts[i]
		if !hostUp(h, now.Unix(), now.Unix()) {
			s.Down++
			continue
		}
		s.Up++
		for _, m := range h.Metrics {
			if !numeric(m.Type) || (m.DMax > 0 && tn(m.T0, now.Unix()) > int64(m.DMax)) {
				continue
			}
			v, _ := strconv.ParseFloat(m.Val, 64)
			addSummary(&s, &xmlout.Summary{Metrics: []xmlout.SummaryMetric{{Name: m.Name, Sum: v, Num: 1,
				Kind: kindOf(m.Type), Precision: precision(m.Val), Slope: m.Slope}}})
		}
	}
	return s
}

// addSummary adds src's entries into dst by name.
func addSummary(dst, src *xmlout.Summary) {
	dst.Up += src.Up
	dst.Down += src.Down
	for _, m := range src.Metrics {
		i := slices.IndexFunc(dst.Metrics, func(d xmlout.SummaryMetric) bool { return d.Name == m.Name })
		if i < 0 {
			dst.Metrics = append(dst.Metrics, m)
			continue
		}
		dst.Metrics[i].Sum += m.Sum
		dst.Metrics[i].Num += m.Num
	}
}

func kindOf(typ string) xmlout.SumKind {
	switch typ {
	case "int8", "int16", "int32":
		return xmlout.Int
	case "uint8", "uint16", "uint32":
		return xmlout.UInt
	}
	return xmlout.Float
}

func precision(val string) int {
	if i := strings.LastIndexByte(val, '.'); i >= 0 {
		return len(val) - i - 1
	}
	return 0
}

// listRRDs lists the .rrd names in dir, sorted.
func listRRDs(tb testing.TB, dir string) []string {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".rrd") {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}

// mustRel returns path relative to root, failing if it is outside.
func mustRel(tb testing.TB, root, path string) string {
	tb.Helper()
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		tb.Fatalf("%s is outside %s", path, root)
	}
	return rel
}
