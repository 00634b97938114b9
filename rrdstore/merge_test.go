package rrdstore

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// mergeHist is a history written by rrdtool: created at T0+start, then one
// update every 15 s from T0+from to T0+to (none if to < from). The values
// are base+i and base+500+i; with holeEvery n, every n-th update sends U
// for the first data source, and another one for the second, so the two
// inputs have unknown rows in different places.
type mergeHist struct {
	start, from, to int64
	base, holeEvery int
}

// mergeArchive is one RRA as the checker fetches it.
type mergeArchive struct {
	cf          string
	steps, rows int64
}

var (
	mergeDefs = []string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U",
		"RRA:AVERAGE:0.5:1:40", "RRA:AVERAGE:0.5:4:20", "RRA:MAX:0.5:4:20"}
	mergeArchives = []mergeArchive{{"AVERAGE", 1, 40}, {"AVERAGE", 4, 20}, {"MAX", 4, 20}}
)

func mergeRRDTool(t testing.TB, args ...string) string {
	t.Helper()
	out, err := rrdtoolCmd(t, args...)
	if err != nil {
		t.Fatalf("rrdtool %s: %v", strings.Join(args[:min(len(args), 3)], " "), err)
	}
	return out
}

// mergeMake writes history h with rrdtool to dir/name.
func mergeMake(t testing.TB, dir, name string, h mergeHist, defs []string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	mergeRRDTool(t, append([]string{"create", path, "--step", "15", "--start", strconv.FormatInt(T0+h.start, 10)}, defs...)...)
	if args := h.updates(defs); len(args) > 0 {
		mergeRRDTool(t, append([]string{"update", path}, args...)...)
	}
	return path
}

// updates returns the update arguments of h for a file made from defs.
func (h mergeHist) updates(defs []string) []string {
	nds := 0
	for _, d := range defs {
		if strings.HasPrefix(d, "DS:") {
			nds++
		}
	}
	var args []string
	for i, dt := 0, h.from; dt <= h.to; i, dt = i+1, dt+15 {
		vals := []string{strconv.Itoa(h.base + i), strconv.Itoa(h.base + 500 + i)}
		if h.holeEvery > 0 && i%h.holeEvery == h.holeEvery-1 {
			vals[0] = "U"
		}
		if h.holeEvery > 0 && i%h.holeEvery == 0 {
			vals[1] = "U"
		}
		args = append(args, tv(dt, vals[:nds]...))
	}
	return args
}

// mergeFetcher returns the rows (end time, one text per data source) that
// fetch shows for an archive's window, and a file's last update: rrdtool's
// in the tests, the engine's own in the fuzz target.
type mergeFetcher struct {
	fetch func(t testing.TB, path, cf string, res, start, end int64) []mergeRow
	last  func(t testing.TB, path string) int64
}

type mergeRow struct {
	t    int64
	vals []string
}

var rrdtoolFetcher = mergeFetcher{
	fetch: func(t testing.TB, path, cf string, res, start, end int64) []mergeRow {
		out := mergeRRDTool(t, "fetch", path, cf, "-r", strconv.FormatInt(res, 10),
			"-s", strconv.FormatInt(start, 10), "-e", strconv.FormatInt(end, 10))
		var rows []mergeRow
		for _, line := range strings.Split(out, "\n") {
			ts, vals, ok := strings.Cut(line, ":")
			if n, err := strconv.ParseInt(ts, 10, 64); ok && err == nil {
				rows = append(rows, mergeRow{n, strings.Fields(vals)})
			}
		}
		return rows
	},
	last: func(t testing.TB, path string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(mergeRRDTool(t, "last", path)), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return n
	},
}

// mergeStats counts, per archive of the result, values known only in dst,
// only in src, in both, and in neither.
type mergeStats struct{ onlyDst, onlySrc, both, none int }

func known(v string) bool { return !strings.HasSuffix(strings.ToLower(v), "nan") }

// mergeCheck fetches every archive's window of the result r, and the same
// window of the inputs a (dst before the merge) and b (src), and checks
// each value: known in one input → that value; known in both → the value
// of the newer input (a on a tie); known in neither → unknown. Rows of the
// inputs before the result's window have left the round robin.
func mergeCheck(t testing.TB, f mergeFetcher, a, b, r string, archives []mergeArchive) []mergeStats {
	t.Helper()
	aNewer := f.last(t, a) >= f.last(t, b)
	lastR := f.last(t, r)
	stats := make([]mergeStats, len(archives))
	for j, arc := range archives {
		L := arc.steps * 15
		end := lastR - lastR%L
		start := end - arc.rows*L
		ra, rb, rr := mergeWindow(t, f, a, arc, start, end), mergeWindow(t, f, b, arc, start, end),
			mergeWindow(t, f, r, arc, start, end)
		for k, row := range rr {
			for i, got := range row.vals {
				va, vb := ra[k].vals[i], rb[k].vals[i]
				want := va
				switch {
				case known(va) && known(vb):
					stats[j].both++
					if !aNewer {
						want = vb
					}
				case known(va):
					stats[j].onlyDst++
				case known(vb):
					stats[j].onlySrc++
					want = vb
				default:
					stats[j].none++
				}
				if got != want && (known(got) || known(want)) {
					t.Errorf("%s rra[%d] at %d ds[%d] = %s, want %s (dst %s, src %s)", r, j, row.t, i, got, want, va, vb)
				}
			}
		}
	}
	return stats
}

// mergeWindow fetches the archive's window (start, end] and checks that
// fetch chose that archive: exactly rows rows, L seconds apart.
func mergeWindow(t testing.TB, f mergeFetcher, path string, arc mergeArchive, start, end int64) []mergeRow {
	t.Helper()
	L := arc.steps * 15
	rows := f.fetch(t, path, arc.cf, L, start, end)
	if int64(len(rows)) < arc.rows {
		t.Fatalf("%s: fetch %s %d..%d gave %d rows, want %d", path, arc.cf, start, end, len(rows), arc.rows)
	}
	rows = rows[:arc.rows]
	for k, row := range rows {
		if row.t != start+int64(k+1)*L {
			t.Fatalf("%s: fetch %s row %d at %d, want %d (wrong archive)", path, arc.cf, k, row.t, start+int64(k+1)*L)
		}
	}
	return rows
}

// mergeRun merges src into dst (copying dst first, as the checker's
// "before") and checks the result: the values, dst's mode, that src is
// kept, that merging again changes nothing, that rrdtool dump shows the
// newer input's live state, that rrdtool info reads it, and that rrdtool
// update continues it.
func mergeRun(t *testing.T, dst, src string, archives []mergeArchive) []mergeStats {
	t.Helper()
	before := dst + ".before"
	copyFile(t, dst, before)
	srcBytes := readFile(t, src)
	newer := dst
	if rrdtoolFetcher.last(t, src) > rrdtoolFetcher.last(t, dst) {
		newer = src
	}
	wantLive := mergeLive(t, newer)
	if err := os.Chmod(dst, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Merge(dst, src); err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if m := mergeStat(t, dst).Mode(); m != 0o640 {
		t.Errorf("merged file mode %v, want dst's 0640", m)
	}
	stats := mergeCheck(t, rrdtoolFetcher, before, src, dst, archives)
	if !bytes.Equal(readFile(t, src), srcBytes) {
		t.Error("Merge changed src")
	}
	merged, fi := readFile(t, dst), mergeStat(t, dst)
	if err := Merge(dst, src); err != nil {
		t.Fatalf("second Merge: %v", err)
	}
	if !bytes.Equal(readFile(t, dst), merged) || !os.SameFile(fi, mergeStat(t, dst)) {
		t.Error("merging the same src again rewrote dst")
	}
	if got := mergeLive(t, dst); got != wantLive {
		t.Errorf("rrdtool dump without rows after the merge:\n%s\nwant the newer input's:\n%s", got, wantLive)
	}
	mergeRRDTool(t, "info", dst)
	next := rrdtoolFetcher.last(t, dst) + 15
	mergeRRDTool(t, "update", dst, "--template", "sum", strconv.FormatInt(next, 10)+":7")
	if got := rrdtoolFetcher.last(t, dst); got != next {
		t.Errorf("rrdtool update after the merge: last update %d, want %d", got, next)
	}
	return stats
}

// mergeLive is `rrdtool dump` without the rows: definitions, last update,
// last_ds and the pdp_prep and cdp_prep of every archive.
func mergeLive(t *testing.T, path string) string {
	t.Helper()
	var b strings.Builder
	for _, line := range strings.Split(mergeRRDTool(t, "dump", path), "\n") {
		if !strings.Contains(line, "<row>") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func mergeStat(t *testing.T, path string) fs.FileInfo {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestMerge: the host's file (dst) and the other history (src) in every
// arrangement a move can leave; want says which kinds of values the
// result must hold (summed over the archives), so each case is known to
// exercise what it is named after.
func TestMerge(t *testing.T) {
	cases := []struct {
		name     string
		dst, src mergeHist
		want     func(mergeStats) bool
	}{
		{"disjoint, src older", mergeHist{400, 415, 700, 1000, 0}, mergeHist{-1, 10, 300, 2000, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc > 0 && s.both == 0 }},
		{"disjoint, src newer", mergeHist{-1, 10, 300, 1000, 0}, mergeHist{400, 415, 700, 2000, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc > 0 && s.both == 0 }},
		{"overlap with holes, src newer", mergeHist{-1, 10, 500, 1000, 4}, mergeHist{200, 250, 800, 2000, 5},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc > 0 && s.both > 0 && s.none > 0 }},
		{"overlap with holes, src older", mergeHist{200, 250, 800, 1000, 5}, mergeHist{-1, 10, 500, 2000, 4},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc > 0 && s.both > 0 && s.none > 0 }},
		{"same period, same last update", mergeHist{-1, 10, 400, 1000, 3}, mergeHist{-1, 10, 400, 2000, 0},
			func(s mergeStats) bool { return s.onlySrc > 0 && s.both > 0 }},
		{"dst never updated, newer", mergeHist{500, 0, -1, 0, 0}, mergeHist{-1, 10, 400, 2000, 0},
			func(s mergeStats) bool { return s.onlyDst == 0 && s.onlySrc > 0 }},
		{"src never updated, newer", mergeHist{-1, 10, 400, 1000, 0}, mergeHist{600, 0, -1, 0, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc == 0 }},
		{"src never updated, older", mergeHist{-1, 10, 400, 1000, 0}, mergeHist{-100, 0, -1, 0, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc == 0 }},
		// 1-step archive: 600 s; 4-step: 1200 s.
		{"gap longer than the 1-step archive", mergeHist{1000, 1015, 1300, 1000, 0}, mergeHist{-1, 10, 300, 2000, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc > 0 }},
		{"gap longer than every archive", mergeHist{5000, 5015, 5300, 1000, 0}, mergeHist{-1, 10, 300, 2000, 0},
			func(s mergeStats) bool { return s.onlyDst > 0 && s.onlySrc == 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := mergeMake(t, dir, "dst.rrd", c.dst, mergeDefs)
			src := mergeMake(t, dir, "src.rrd", c.src, mergeDefs)
			var sum mergeStats
			for _, s := range mergeRun(t, dst, src, mergeArchives) {
				sum.onlyDst, sum.onlySrc, sum.both, sum.none = sum.onlyDst+s.onlyDst, sum.onlySrc+s.onlySrc,
					sum.both+s.both, sum.none+s.none
			}
			if !c.want(sum) {
				t.Errorf("values in the result: %+v, not what this case is about", sum)
			}
		})
	}
}

// TestMergeGmetadMove: gmetad-shaped files (3 RRAs, 630,760 bytes) and a
// realistic move: an hour in cluster A's file, a minute away, then an hour
// in the host's file under LPARS. Every archive must hold both hours.
func TestMergeGmetadMove(t *testing.T) {
	defs := []string{"DS:sum:GAUGE:120:U:U",
		"RRA:AVERAGE:0.5:1:5856", "RRA:AVERAGE:0.5:4:20160", "RRA:AVERAGE:0.5:40:52704"}
	archives := []mergeArchive{{"AVERAGE", 1, 5856}, {"AVERAGE", 4, 20160}, {"AVERAGE", 40, 52704}}
	dir := t.TempDir()
	src := mergeMake(t, dir, "clusterA-load_one.rrd", mergeHist{-1, 10, 3600, 1000, 0}, defs)
	dst := mergeMake(t, dir, "LPARS-load_one.rrd", mergeHist{3659, 3675, 7275, 5000, 0}, defs)
	if fi := mergeStat(t, dst); fi.Size() != 630760 {
		t.Fatalf("gmetad-shaped file is %d bytes, want 630760", fi.Size())
	}
	for j, s := range mergeRun(t, dst, src, archives) {
		if s.onlyDst == 0 || s.onlySrc == 0 || s.both != 0 {
			t.Errorf("rra[%d]: %+v, want values of both hours and no overlap", j, s)
		}
	}
}

// TestMergeMismatch: files of another shape are refused with
// ErrMergeMismatch naming both files and the difference, and neither file
// changes; xff, heartbeat and limits may differ.
func TestMergeMismatch(t *testing.T) {
	base := []string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:40", "RRA:MAX:0.5:4:20"}
	cases := []struct {
		name, step string
		defs       []string
		diff       string // "" = must merge
	}{
		{"step", "30", base, "step 15 s here, 30 s in source"},
		{"ds name", "15", []string{"DS:num:GAUGE:120:U:U", base[1], base[2]}, "ds[0] is sum:GAUGE here, num:GAUGE"},
		{"ds type", "15", []string{"DS:sum:COUNTER:120:U:U", base[1], base[2]}, "sum:COUNTER in source"},
		{"ds count", "15", append([]string{"DS:num:GAUGE:120:U:U"}, base...), "1 data sources here, 2 in source"},
		{"rra count", "15", base[:2], "2 RRAs here, 1 in source"},
		{"rra rows", "15", []string{base[0], "RRA:AVERAGE:0.5:1:41", base[2]}, "rra[0] is AVERAGE, 1 steps, 40 rows here; AVERAGE, 1 steps, 41 rows"},
		{"rra cf", "15", []string{base[0], base[1], "RRA:MIN:0.5:4:20"}, "MIN, 4 steps, 20 rows in source"},
		{"rra steps", "15", []string{base[0], base[1], "RRA:MAX:0.5:5:20"}, "MAX, 5 steps, 20 rows in source"},
		{"xff, heartbeat, limits", "15", []string{"DS:sum:GAUGE:600:0:100", "RRA:AVERAGE:0.9:1:40", "RRA:MAX:0:4:20"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := mergeMake(t, dir, "dst.rrd", mergeHist{-1, 10, 300, 1000, 0}, base)
			src := filepath.Join(dir, "src.rrd")
			mergeRRDTool(t, append([]string{"create", src, "--step", c.step, "--start", strconv.Itoa(T0 + 400)}, c.defs...)...)
			dstBytes, srcBytes := readFile(t, dst), readFile(t, src)
			err := Merge(dst, src)
			if c.diff == "" {
				if err != nil {
					t.Fatalf("Merge: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrMergeMismatch) || !strings.Contains(err.Error(), c.diff) ||
				!strings.HasPrefix(err.Error(), dst+": ") || !strings.Contains(err.Error(), "'"+src+"'") {
				t.Errorf("Merge: %v\nwant ErrMergeMismatch naming %s, %s and %q", err, dst, src, c.diff)
			}
			if !bytes.Equal(readFile(t, dst), dstBytes) || !bytes.Equal(readFile(t, src), srcBytes) {
				t.Error("a refused merge changed a file")
			}
		})
	}
}

// mergeHoldLock takes the engine's own lock on path through another open
// file, as a concurrent Update or Fetch would.
func mergeHoldLock(t *testing.T, path string, write bool) func() {
	t.Helper()
	r, err := openRRD(path, write)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.lock(); err != nil {
		t.Fatal(err)
	}
	return func() { r.close() }
}

// goFetcher reads with the engine itself, so the fuzz target runs without
// a process per call.
var goFetcher = mergeFetcher{
	fetch: func(t testing.TB, path, cf string, res, start, end int64) []mergeRow {
		r, err := Fetch(path, cf, start, end, uint64(res))
		if err != nil {
			t.Fatal(err)
		}
		rows := make([]mergeRow, len(r.Rows))
		for k, vals := range r.Rows {
			rows[k].t = r.Start + int64(k+1)*int64(r.Step)
			for _, v := range vals {
				rows[k].vals = append(rows[k].vals, strconv.FormatFloat(v, 'e', 10, 64))
			}
		}
		return rows
	},
	last: func(t testing.TB, path string) int64 {
		last, _, _, err := LastUpdate(path)
		if err != nil {
			t.Fatal(err)
		}
		return last
	},
}

// FuzzMerge: two histories of any placement, written and read by the
// engine; the merge follows the rules and is idempotent.
func FuzzMerge(f *testing.F) {
	f.Add(uint16(0), uint16(10), uint8(20), uint8(0), uint16(400), uint16(15), uint8(20), uint8(0))
	f.Add(uint16(0), uint16(10), uint8(40), uint8(4), uint16(200), uint16(50), uint8(40), uint8(5))
	f.Add(uint16(3000), uint16(10), uint8(20), uint8(3), uint16(0), uint16(10), uint8(20), uint8(0))
	f.Add(uint16(0), uint16(10), uint8(20), uint8(3), uint16(0), uint16(10), uint8(20), uint8(2))
	f.Fuzz(func(t *testing.T, ds, df uint16, dn, dh uint8, ss, sf uint16, sn, sh uint8) {
		dir := t.TempDir()
		dst := mergeMakeGo(t, dir, "dst.rrd", ds, df, dn, dh, 1000)
		src := mergeMakeGo(t, dir, "src.rrd", ss, sf, sn, sh, 2000)
		before := dst + ".before"
		copyFile(t, dst, before)
		if err := Merge(dst, src); err != nil {
			t.Fatal(err)
		}
		mergeCheck(t, goFetcher, before, src, dst, mergeArchives)
		merged := readFile(t, dst)
		if err := Merge(dst, src); err != nil || !bytes.Equal(readFile(t, dst), merged) {
			t.Errorf("second Merge changed dst (%v)", err)
		}
	})
}

// mergeMakeGo writes a history with Create and Update: created at
// T0+start−1 (start < 5000), updated n times from start+from%300.
func mergeMakeGo(t *testing.T, dir, name string, start, from uint16, n, holes uint8, base int) string {
	t.Helper()
	ds, rra, err := ParseDefs(mergeDefs, 15)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	h := mergeHist{start: int64(start%5000) - 1, base: base, holeEvery: int(holes % 8)}
	h.from = h.start + 1 + int64(from%300)
	h.to = h.from + 15*(int64(n)-1)
	if err := Create(path, Spec{Step: 15, Start: T0 + h.start, DS: ds, RRA: rra}, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if args := h.updates(mergeDefs); len(args) > 0 {
		if err := Update(path, args...); err != nil {
			t.Fatal(err)
		}
	}
	return path
}
