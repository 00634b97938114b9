package rrdstore

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fetchText renders a FetchResult as `rrdtool fetch` prints its rows:
// "T: v v" with %0.10e and -nan/nan.
func fetchText(r *FetchResult) []string {
	var out []string
	for k, row := range r.Rows {
		b := strconv.AppendInt(nil, r.Start+int64(k+1)*int64(r.Step), 10)
		b = append(b, ':')
		for _, v := range row {
			b = appendE10(append(b, ' '), v)
		}
		out = append(out, string(b))
	}
	return out
}

// checkFetch compares Fetch with `rrdtool fetch` for one query.
func checkFetch(t *testing.T, p *rrdPipe, path, cf string, start, end int64, res uint64) {
	t.Helper()
	out, errA := p.run(t, "fetch", path, cf, "-s", fmt.Sprint(start), "-e", fmt.Sprint(end), "-r", fmt.Sprint(res))
	got, errB := Fetch(path, cf, start, end, res)
	q := fmt.Sprintf("fetch %s %s -s %d -e %d -r %d", filepath.Base(path), cf, start, end, res)
	if msg := compareErrs(errA, errB, path, path); msg != "" {
		t.Errorf("%s: %s", q, msg)
		return
	}
	if errA != nil {
		return
	}
	if len(out) < 2 || strings.Join(strings.Fields(out[0]), " ") != strings.Join(got.DSNames, " ") {
		t.Errorf("%s: DS names %q, rrdtool printed %q", q, got.DSNames, out)
		return
	}
	if want, have := out[2:], fetchText(got); !slicesEqual(want, have) {
		t.Errorf("%s: rows differ (%d vs %d rows):\n%s", q, len(want), len(have), firstLineDiff(want, have))
	}
}

// checkInfo compares ReadInfo(...).WriteTo, LastUpdate with `rrdtool info`,
// `rrdtool lastupdate` and `rrdtool last`.
func checkInfo(t *testing.T, p *rrdPipe, path string) {
	t.Helper()
	want, err := p.run(t, "info", path)
	if err != nil {
		t.Fatalf("rrdtool info: %v", err)
	}
	inf, err := ReadInfo(path)
	if err != nil {
		t.Fatalf("ReadInfo: %v", err)
	}
	var b strings.Builder
	if _, err := inf.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if have := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"); !slicesEqual(want, have) {
		t.Errorf("info %s differs:\n%s", path, firstLineDiff(want, have))
	}
	last, usec, lastDS, err := LastUpdate(path)
	if err != nil {
		t.Fatalf("LastUpdate: %v", err)
	}
	if usec != inf.LastUpdateUsec || last != inf.LastUpdate {
		t.Errorf("LastUpdate %d.%06d, ReadInfo %d.%06d", last, usec, inf.LastUpdate, inf.LastUpdateUsec)
	}
	names := make([]string, len(inf.DS))
	for i, d := range inf.DS {
		names[i] = d.Name
	}
	wantLU, _ := p.run(t, "lastupdate", path)
	haveLU := []string{" " + strings.Join(names, " "), "", fmt.Sprintf("%d: %s", last, strings.Join(lastDS, " "))}
	if !slicesEqual(wantLU, haveLU) {
		t.Errorf("lastupdate %s: rrdtool %q, rrdstore %q", path, wantLU, haveLU)
	}
	if wantL, _ := p.run(t, "last", path); len(wantL) != 1 || wantL[0] != fmt.Sprint(last) {
		t.Errorf("last %s: rrdtool %q, rrdstore %d", path, wantL, last)
	}
}

// checkReaders runs the reader comparisons on a file: info, lastupdate,
// and fetches around its last update for every CF, at ranges and
// resolutions scaled by the file's step.
func checkReaders(t *testing.T, p *rrdPipe, path string) {
	t.Helper()
	checkInfo(t, p, path)
	inf, err := ReadInfo(path)
	if err != nil {
		t.Fatal(err)
	}
	last, s := inf.LastUpdate, int64(inf.Step)
	for _, cf := range []string{"AVERAGE", "MIN", "MAX", "LAST"} {
		for _, q := range [][3]int64{{last - 20*s, last, 1}, {last - 300*s, last + 5*s, 4 * s},
			{last - 2000*s, last - 1000*s, 100 * s}, {last, last, s}, {last + 10*s, last + 50*s, 1}} {
			checkFetch(t, p, path, cf, q[0], q[1], uint64(q[2]))
		}
	}
}

// TestReaders runs the reader comparisons on the files of the fixed
// differential cases (MIN/MAX CDPs at ±Inf, odd last_ds texts, NaN bits).
func TestReaders(t *testing.T) {
	p := startRRDPipe(t)
	var st diffStats
	for _, c := range append(handCases(), difftestCase()) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if runDiff(t, p, dir, c, &st) {
				checkReaders(t, p, filepath.Join(dir, "b.rrd"))
			}
		})
	}
}

// TestReadStockGmetadFiles: files shaped like stock gmetad's, created and
// updated by rrdtool itself, read back through rrdstore.
func TestReadStockGmetadFiles(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	rras := []string{"RRA:AVERAGE:0.5:1:5856", "RRA:AVERAGE:0.5:4:20160", "RRA:AVERAGE:0.5:40:52704"}
	files := map[string][]string{
		"load_one.rrd":    append([]string{"DS:sum:GAUGE:120:U:U"}, rras...),
		"bytes_in.rrd":    append([]string{"DS:sum:COUNTER:120:U:U"}, rras...),
		"summary_mem.rrd": append([]string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U"}, rras...),
	}
	for name, defs := range files {
		path := filepath.Join(dir, name)
		if _, err := p.run(t, append([]string{"create", path, "--step", "15", "--start", fmt.Sprint(T0 - 1)}, defs...)...); err != nil {
			t.Fatal(err)
		}
		tm := int64(T0 + 10)
		for k := 0; k < 400; k++ {
			v := fmt.Sprintf("%.2f", 1+math.Sin(float64(k)/10))
			if len(defs) == 4 && defs[0] == "DS:sum:COUNTER:120:U:U" {
				v = fmt.Sprint(1000 * k * k)
			}
			if len(defs) == 5 {
				v += ":" + fmt.Sprint(3+k%2)
			}
			if k == 200 {
				tm += 3600 // an outage longer than the heartbeat
			}
			if _, err := p.run(t, "update", path, fmt.Sprintf("%d:%s", tm, v)); err != nil {
				t.Fatal(err)
			}
			tm += 15
		}
		checkReaders(t, p, path)
		for _, res := range []uint64{15, 60, 600, 86400} {
			checkFetch(t, p, path, "AVERAGE", T0-3600, tm+600, res)
		}
		checkFetch(t, p, path, "AVERAGE", T0-86400*400, tm, 1)
		checkFetch(t, p, path, "FAILURES", T0, tm, 1)
		checkFetch(t, p, path, "average", T0, tm, 1)
		checkFetch(t, p, path, "AVERAGE", tm, T0, 1)
	}
}

func TestFetchErrorsNameFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.rrd")
	if err := Create(path, GmetadSpec(15, T0, "", false, nil), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, cf := range []string{"average", "FAILURES"} {
		_, err := Fetch(path, cf, T0, T0+100, 1)
		if !errors.Is(err, ErrBadValue) || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("Fetch %s: %v", cf, err)
		}
	}
}
