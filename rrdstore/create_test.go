package rrdstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

type createCase struct {
	name  string
	step  uint64
	start int64
	defs  []string
}

func createCases() []createCase {
	host := []string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:5856", "RRA:AVERAGE:0.5:4:20160", "RRA:AVERAGE:0.5:40:52704"}
	return []createCase{
		{"gmetad-host", 15, T0 - 1, host},
		{"gmetad-summary", 15, T0 - 1, append([]string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U"}, host[1:]...)},
		{"gmetad-counter-step5", 5, T0 + 3, append([]string{"DS:sum:COUNTER:40:U:U"}, host[1:]...)},
		{"all-cfs", 15, T0 + 7, append([]string{"DS:g:GAUGE:2m:0:100", "DS:c:COUNTER:1h:U:1e9", "DS:d:DERIVE:30s:-1e3:U",
			"DS:a-b_c:ABSOLUTE:600:U:2.5"}, allCFs...)},
		{"durations", 60, 1600000033, []string{"DS:x:GAUGE:300:U:U", "RRA:AVERAGE:0.5:1:1d", "RRA:MAX:0.25:1h:1w",
			"RRA:MIN:0:5m:1M", "RRA:LAST:0.99:1d:1y"}},
		{"step1", 1, T0, []string{"DS:x:GAUGE:2:U:U", "RRA:AVERAGE:0:1:3", "RRA:AVERAGE:0:7:3"}},
	}
}

// curRows reads each RRA's cur_row from `rrdtool info` text.
func curRows(t *testing.T, info string) []uint64 {
	t.Helper()
	var rows []uint64
	for _, m := range regexp.MustCompile(`(?m)^rra\[\d+\]\.cur_row = (\d+)$`).FindAllStringSubmatch(info, -1) {
		n, _ := strconv.ParseUint(m[1], 10, 64)
		rows = append(rows, n)
	}
	return rows
}

func specFor(t *testing.T, c createCase) Spec {
	t.Helper()
	ds, rra, err := ParseDefs(c.defs, c.step)
	if err != nil {
		t.Fatalf("ParseDefs(%q): %v", c.defs, err)
	}
	return Spec{Step: c.step, Start: c.start, DS: ds, RRA: rra}
}

func withoutCurRow(info string) string {
	var keep []string
	for _, l := range strings.Split(info, "\n") {
		if !strings.HasPrefix(l, "filename = ") && !strings.Contains(l, ".cur_row = ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestCreateLikeRRDTool: with rrdtool's cur_row copied the files are
// byte-identical; with random cur_row, dump and info (minus filename and
// cur_row) are identical.
func TestCreateLikeRRDTool(t *testing.T) {
	p := startRRDPipe(t)
	for _, c := range createCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b, r := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd"), filepath.Join(dir, "r.rrd")
			args := append([]string{"create", a, "--step", fmt.Sprint(c.step), "--start", fmt.Sprint(c.start)}, c.defs...)
			if _, err := p.run(t, args...); err != nil {
				t.Fatal(err)
			}
			infoA, _ := p.run(t, "info", a)
			rows := curRows(t, strings.Join(infoA, "\n"))
			spec := specFor(t, c)
			opt := CreateOptions{CurRow: func(j int, n uint64) uint64 { return rows[j] }}
			if err := Create(b, spec, opt); err != nil {
				t.Fatal(err)
			}
			if d := compareFiles(t, a, b); d != "" {
				t.Errorf("Create with rrdtool's cur_row: %s", d)
			}
			if err := Create(r, spec, CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			dumpA, _ := p.run(t, "dump", a)
			dumpR, _ := p.run(t, "dump", r)
			if !slicesEqual(dumpA, dumpR) {
				t.Errorf("dump differs:\n%s", firstLineDiff(dumpA, dumpR))
			}
			infoR, _ := p.run(t, "info", r)
			if wa, wr := withoutCurRow(strings.Join(infoA, "\n")), withoutCurRow(strings.Join(infoR, "\n")); wa != wr {
				t.Errorf("info differs:\n%s", firstLineDiff(strings.Split(wa, "\n"), strings.Split(wr, "\n")))
			}
		})
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

func firstLineDiff(a, b []string) string {
	for i := range max(len(a), len(b)) {
		var la, lb string
		if i < len(a) {
			la = a[i]
		}
		if i < len(b) {
			lb = b[i]
		}
		if la != lb {
			return fmt.Sprintf("line %d:\n rrdtool:  %q\n rrdstore: %q", i+1, la, lb)
		}
	}
	return ""
}

// TestGmetadSpec: GmetadSpec makes what gmetad's rrd_create arguments make.
func TestGmetadSpec(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		slope   string
		summary bool
		defs    []string
	}{
		{"both", false, []string{"DS:sum:GAUGE:120:U:U"}},
		{"positive", false, []string{"DS:sum:COUNTER:120:U:U"}},
		{"derivative", true, []string{"DS:sum:DERIVE:120:U:U", "DS:num:GAUGE:120:U:U"}},
		{"zero", true, []string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U"}},
	} {
		a, b := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
		args := append([]string{"create", a, "--step", "15", "--start", fmt.Sprint(T0 - 1)}, tc.defs...)
		args = append(args, "RRA:AVERAGE:0.5:1:5856", "RRA:AVERAGE:0.5:4:20160", "RRA:AVERAGE:0.5:40:52704")
		if _, err := p.run(t, args...); err != nil {
			t.Fatal(err)
		}
		info, _ := p.run(t, "info", a)
		rows := curRows(t, strings.Join(info, "\n"))
		spec := GmetadSpec(15, T0-1, tc.slope, tc.summary, nil)
		if err := Create(b, spec, CreateOptions{CurRow: func(j int, _ uint64) uint64 { return rows[j] }}); err != nil {
			t.Fatal(err)
		}
		if d := compareFiles(t, a, b); d != "" {
			t.Errorf("GmetadSpec(slope %s, summary %v): %s", tc.slope, tc.summary, d)
		}
	}
}

// TestParseDefsLikeRRDTool: the same definitions are accepted or refused,
// with the same message, and accepted ones give the same header.
func TestParseDefsLikeRRDTool(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	dsDefs := []string{"DS:a:GAUGE:120:U:U", "DS:a:GAUGE:2m:U:U", "DS:a:GAUGE:1h:0:100", "DS:a-b_c:COUNTER:600:0:1e9",
		"DS:a:DERIVE:120:-1e3:1e3", "DS:a:ABSOLUTE:120:U:1.5", "DS:a:GAUGE:120:5:5", "DS:a:GAUGE:120:U",
		"DS:a:GAUGE:120:x:U", "DS:a:GAUGE:0:U:U", "DS:a:GAUGE:-1:U:U", "DS:a:GAUGE:2x:U:U", "DS:a:GAUGE:2mx:U:U",
		"DS:a:gauge:120:U:U", "DS:a:FOO:120:U:U", "DS:abcdefghijklmnopqrst:GAUGE:120:U:U", "DS:a b:GAUGE:120:U:U",
		"DS:a:GAUGE:120:U:1234567890123456789999", "DS:a:GAUGE:120:1234567890123456789:U", "DS:a:GAUGE:120::U",
		"DS:a=b:GAUGE:120:U:U", "DS:a:GAUGE:120:U:U:extra", "DS:a:GAUGE:7s:U:U", "DS:a:GAUGE:1w:U:U",
		"DS:a:GAUGE:120:nan:U", "DS:a:GAUGE:120:U:1.5x", "DS:a:GAUGE:120:0.1:0.30000000000000004",
		"DS::GAUGE:120:U:U", "DS:a:GAUGE", "DS:a:GAUGE:123456789012345678901234567890123:U:U"}
	rraDefs := []string{"RRA:AVERAGE:0.5:1:10", "RRA:MIN:0:2:5", "RRA:MAX:0.99:1h:1d", "RRA:LAST:0.5:1:1",
		"RRA:AVERAGE:1:1:10", "RRA:AVERAGE:-0.1:1:10", "RRA:AVERAGE:0.5:0:10", "RRA:AVERAGE:0.5:1:0",
		"RRA:AVERAGE:0.5:1", "RRA:AVERAGE:0.5:1:10:5", "RRA:average:0.5:1:10", "RRA:AVERAGEX:0.5:1:10",
		"RRA:AVERAGE1:0.5:1:10", "RRA:AVERAGE::0.5:1:10", "RRA:AVERAGE:0.5:7s:10", "RRA:AVERAGE:0.5:1:10x",
		"RRA:AVERAGE:nan:1:10", "RRA:AVERAGE:0.5:1m:1h", "RRA:AVERAGE:0.3:2:1d", "RRA:", "RRA:MAX:x:1:1"}
	var sets [][]string
	for _, d := range dsDefs {
		sets = append(sets, []string{d, "RRA:AVERAGE:0.5:1:2"})
	}
	for _, r := range rraDefs {
		sets = append(sets, []string{"DS:x:GAUGE:120:U:U", r})
	}
	sets = append(sets, []string{"DS:x:GAUGE:120:U:U", "DS:x:COUNTER:120:U:U", "RRA:AVERAGE:0.5:1:2"},
		[]string{"DS:x:GAUGE:120:U:U", "XRA:AVERAGE:0.5:1:2"})
	for _, defs := range sets {
		a, b := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
		os.Remove(a)
		_, errA := p.run(t, append([]string{"create", a, "--step", "15", "--start", fmt.Sprint(T0)}, defs...)...)
		ds, rra, errB := ParseDefs(defs, 15)
		if errB == nil {
			errB = Create(b, Spec{Step: 15, Start: T0, DS: ds, RRA: rra}, CreateOptions{CurRow: func(int, uint64) uint64 { return 0 }})
		}
		if msg := compareErrs(errA, errB, "", ""); msg != "" {
			t.Errorf("%q: %s", defs, msg)
			continue
		}
		if errA != nil {
			continue
		}
		zeroCurRows(t, a)
		if d := compareFiles(t, a, b); d != "" {
			t.Errorf("%q: %s", defs, d)
		}
	}
}

// zeroCurRows sets every cur_row of an rrdtool-made file to 0.
func zeroCurRows(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := readHeader(path, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	clear(data[h.liveOff+int64(h.ptrOff) : h.size])
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCreateGoNaN: math.NaN() limits are written as librrd's U.
func TestCreateGoNaN(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
	zero := CreateOptions{CurRow: func(int, uint64) uint64 { return 0 }}
	spec := GmetadSpec(15, T0, "", false, []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 2}})
	if err := Create(a, spec, zero); err != nil {
		t.Fatal(err)
	}
	spec.DS[0].Min, spec.DS[0].Max = math.NaN(), math.NaN()
	if err := Create(b, spec, zero); err != nil {
		t.Fatal(err)
	}
	if d := compareFiles(t, a, b); d != "" {
		t.Error(d)
	}
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.rrd")
	good := GmetadSpec(15, T0, "both", false, []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 10}})
	if err := Create(path, good, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	err := Create(path, good, CreateOptions{NoOverwrite: true})
	if !errors.Is(err, fs.ErrExist) || !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("NoOverwrite on an existing file: %v", err)
	}
	bad := []Spec{
		{Step: 15, Start: 1000, DS: good.DS, RRA: good.RRA},
		{Step: 15, Start: T0, RRA: good.RRA},
		{Step: 15, Start: T0, DS: good.DS},
		{Step: 15, Start: T0, DS: []DS{{Name: "a b", Type: "GAUGE", Heartbeat: 1}}, RRA: good.RRA},
		{Step: 15, Start: T0, DS: []DS{{Name: "a", Type: "GAUGE", Heartbeat: 0}}, RRA: good.RRA},
		{Step: 15, Start: T0, DS: []DS{{Name: "a", Type: "GAUGE", Heartbeat: 1, Min: 1, Max: 1}}, RRA: good.RRA},
		{Step: 15, Start: T0, DS: good.DS, RRA: []RRA{{CF: "AVG", Steps: 1, Rows: 1}}},
		{Step: 15, Start: T0, DS: good.DS, RRA: []RRA{{CF: "MIN", XFF: 1, Steps: 1, Rows: 1}}},
		{Step: 15, Start: T0, DS: good.DS, RRA: []RRA{{CF: "MIN", Steps: 0, Rows: 1}}},
		{Step: 15, Start: T0, DS: good.DS, RRA: []RRA{{CF: "MIN", Steps: 1, Rows: 0}}},
		{Step: 15, Start: T0, DS: append(good.DS, good.DS...), RRA: good.RRA},
	}
	for i, s := range bad {
		err := Create(filepath.Join(dir, "bad.rrd"), s, CreateOptions{})
		if !errors.Is(err, ErrBadDef) {
			t.Errorf("spec %d: error %v, want ErrBadDef", i, err)
		}
	}
	unsup := []Spec{
		{Step: 15, Start: T0, DS: []DS{{Name: "a", Type: "COMPUTE", Heartbeat: 1, Min: dnan, Max: dnan}}, RRA: good.RRA},
		{Step: 15, Start: T0, DS: good.DS, RRA: []RRA{{CF: "HWPREDICT", Steps: 1, Rows: 1}}},
	}
	for i, s := range unsup {
		if err := Create(filepath.Join(dir, "bad.rrd"), s, CreateOptions{}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("spec %d: error %v, want ErrUnsupported", i, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.rrd")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused spec left a file: %v", err)
	}
	if _, _, err := ParseDefs([]string{"RRA:HWPREDICT:1440:0.1:0.0035:288"}, 15); !errors.Is(err, ErrUnsupported) {
		t.Errorf("HWPREDICT: %v, want ErrUnsupported", err)
	}
	if _, _, err := ParseDefs([]string{"DS:c:COMPUTE:a,2,*"}, 15); !errors.Is(err, ErrUnsupported) {
		t.Errorf("COMPUTE: %v, want ErrUnsupported", err)
	}
}
