package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRRDTimeSpecs compares fetch with --start/--end specifications that
// do not depend on the clock, and their errors, with rrdtool's.
func TestRRDTimeSpecs(t *testing.T) {
	p := newRRDPair(t)
	p.theirs = p.ours
	rrdtool(t, p.ours, "create", "f.rrd", "--step", "15", "--start", "1700000000",
		"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:0:100", "RRA:AVERAGE:0.5:1:20", "RRA:MAX:0.5:4:10")
	rrdtool(t, p.ours, "update", "f.rrd", "1700000015:1:2", "1700000030.5:3:400", "1700000050:U:5")
	// Well-formed specifications: the same window as rrdtool's.
	for _, c := range [][2]string{
		{"1699999900", "1700000100"},
		{"1700000000-1d", "1700000100"},
		{"1700000000-1h30min", "1700000100"},
		{"e-2h", "1700000100-1h"},
		{"1700000000", "s+1h"},
		{"1700000000 - 10 minutes", "1700000100"},
		{"1700000000-1mon", "1700000000-1mon+10min"},
		{"1700000100-5m-1h", "1700000100-5m"},     // m: months below 6
		{"1700000100-10m", "1700000100-3h20m+4h"}, // else minutes, or after h
		{"1700000000-1y6m", "1700000000-1y6m+1h"}, // or months after y
		{"1700000000-1w", "1700000000-1w+1h"},
		{"", "1700000100"}, // both refuse an empty time
		{"e-1", "e-1"},
		{"e-1", "s+1"},
		{"s-1", "1700000100"},
		{"1700000100", "1700000000"},
		{"1699990000", "1700000100-1h"},
	} {
		p.same("fetch", "f.rrd", "AVERAGE", "-s", c[0], "-e", c[1])
	}
	// Specifications rrdtool reads with quirks (dropped tokens, dates,
	// fractions): refused with a clear error instead.
	for _, spec := range []string{"1700000000-10x", "1700000000,-1_d", "1700000000$", "1700000000.5",
		"foo", "now foo", "1700000000-x", "epoch+1700000000x"} {
		r := runCmd(t, nil, "rrd", "fetch", filepath.Join(p.ours, "f.rrd"), "AVERAGE", "-s", spec, "-e", "1700000100")
		if r.code != exitFailed || !strings.HasPrefix(r.stderr, "ERROR: ") {
			t.Errorf("fetch -s %q: %s, want an ERROR", spec, r)
		}
	}
	for _, r := range []string{"0", "1x", "1h", "60", "-5", "18446744073709551616"} {
		p.same("fetch", "f.rrd", "AVERAGE", "-s", "1700000000", "-e", "1700000100", "-r", r)
	}
	for _, s := range []string{"now-1d", "N", "s-1", "400000000", "now+", "1700000000-1h"} {
		p.same("create", "c.rrd", "-b", s, "DS:x:GAUGE:1:U:U", "RRA:AVERAGE:0.5:1:1")
		p.same("info", "c.rrd") // random cur_row, but one file read by both
	}
	for _, s := range []string{"0", "1x", "60", "1m", "5M", "x"} {
		p.same("create", "c.rrd", "-s", s, "-b", "1700000000", "DS:x:GAUGE:1:U:U", "RRA:AVERAGE:0.5:1:1")
		p.same("info", "c.rrd")
	}
}

// TestParseRRDTime checks times relative to the test clock, which the
// comparisons with rrdtool cannot use.
func TestParseRRDTime(t *testing.T) {
	now := fixedNow()
	n := now.Unix()
	local := time.Unix(n, 0).In(time.Local)
	tests := []struct {
		spec string
		want int64
	}{
		{"now", n}, {"N", n}, {"NOW", n}, {"now-10s", n - 10}, {"-10", n - 10}, {"+5min", n + 300},
		{"-1h", n - 3600}, {"now - 2 hours", n - 7200}, {"-6m", n - 360}, {"-3h20m", n - 12000},
		{"now-1d", local.AddDate(0, 0, -1).Unix()}, {"-5m", local.AddDate(0, -5, 0).Unix()},
		{"-1y6m", local.AddDate(-1, -6, 0).Unix()}, {"-2w", local.AddDate(0, 0, -14).Unix()},
		{"1700000000", 1700000000}, {"1700000000+1h", 1700003600},
	}
	for _, tt := range tests {
		tv, err := parseRRDTime(tt.spec, now)
		if err != nil || tv.kind != timeAbsolute || tv.abs() != tt.want {
			t.Errorf("parseRRDTime(%q) = %+v, %v; want %d", tt.spec, tv, err, tt.want)
		}
	}
	for _, spec := range []string{"noon", "noon yesterday", "12/24/2026", "20261121", "10", "9:30",
		"yesterday", "jan 1", "monday", "1234"} {
		if _, err := parseRRDTime(spec, now); err == nil || !strings.Contains(err.Error(), "is not supported") {
			t.Errorf("parseRRDTime(%q): %v, want an unsupported error", spec, err)
		}
	}
	s, e, err := procStartEnd(mustRRDTime(t, "e-1d"), mustRRDTime(t, "now"))
	if err != nil || e != n || s != local.AddDate(0, 0, -1).Unix() {
		t.Errorf("default fetch range: %d %d %v", s, e, err)
	}
}

func mustRRDTime(t *testing.T, spec string) timeSpec {
	tv, err := parseRRDTime(spec, fixedNow())
	if err != nil {
		t.Fatal(err)
	}
	return tv
}

// TestRRDCommandLine: rrdtool's option syntax (anywhere, clustered,
// --name=value, "--"), the options not supported, and usage errors.
func TestRRDCommandLine(t *testing.T) {
	p := newRRDPair(t)
	defs := []string{"DS:x:GAUGE:600:U:U", "RRA:AVERAGE:0.5:1:10"}
	for _, args := range [][]string{
		append([]string{"create", "--step=60", "a.rrd", "--start", "1700000000"}, defs...),
		append([]string{"create", "a.rrd", defs[0], "-b1700000000", defs[1], "-s", "1m"}, defs...),
		append([]string{"create", "-Os60", "b.rrd", "-b", "1700000000"}, defs...),
		append([]string{"create", "-Ob", "1700000000", "b.rrd"}, defs...),
		{"update", "a.rrd", "--", "1700000060:1", "1700000120:2"},
		{"update", "--skip-past-updates", "a.rrd", "1700000060:5", "1700000180:3"},
		{"update", "a.rrd", "-s", "--", "1700000240:4"},
		{"fetch", "-s", "1700000000", "a.rrd", "--end=1700000300", "AVERAGE", "-r60"},
	} {
		p.same(args...)
	}
	p.sameInfo("a.rrd")
	if a, b := runCmd(t, nil, "rrd", "info", "a.rrd"), runCmd(t, nil, "rrd", "info", "--noflush", "a.rrd"); a != b {
		t.Errorf("info --noflush: %s", b)
	}
	for _, c := range [][]string{
		{"create", "c.rrd", "--template", "a.rrd", defs[0]},
		{"create", "c.rrd", "-r", "a.rrd", defs[0]},
		{"update", "a.rrd", "-t", "x", "N:1"},
		{"update", "a.rrd", "--daemon", "unix:/run/rrdcached.sock", "N:1"},
		{"fetch", "a.rrd", "AVERAGE", "-d", "localhost"},
		{"info", "-d", "localhost", "a.rrd"},
	} {
		r := runCmd(t, nil, append([]string{"rrd"}, c...)...)
		if r.code != exitFailed || !strings.HasPrefix(r.stderr, "ERROR: --") || !strings.Contains(r.stderr, "is not supported") {
			t.Errorf("rrd %q: %s", c, r)
		}
	}
}

func TestRRDUsageGolden(t *testing.T) {
	golden(t, "rrd/usage.golden", runCmd(t, nil, "help", "rrd").String())
	var sb strings.Builder
	for _, args := range [][]string{
		{"rrd"}, {"rrd", "graph", "x.png"}, {"rrd", "create"}, {"rrd", "create", "--bogus", "f.rrd"},
		{"rrd", "create", "f.rrd", "-b"}, {"rrd", "update", "f.rrd"}, {"rrd", "update", "f.rrd", "-x", "N:1"},
		{"rrd", "fetch", "f.rrd"}, {"rrd", "fetch", "f.rrd", "AVERAGE", "--align-start=1"},
		{"rrd", "fetch", "f.rrd", "AVERAGE", "--end"}, {"rrd", "info"}, {"rrd", "last", "a", "b"},
		{"rrd", "lastupdate", "--help"},
	} {
		sb.WriteString("$ ganglia-lpm " + strings.Join(args, " ") + "\n" + runCmd(t, nil, args...).String())
	}
	golden(t, "rrd/badargs.golden", sb.String())
}
