package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The reference: rrdtool 1.7.2 from Debian, installed by `make deps`.
// Tests fail (never skip) without it.
const rrdtoolBin = "/usr/bin/rrdtool"

func needRRDTool(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(rrdtoolBin); err != nil {
		t.Fatalf("rrdtool (1.7.2, the reference of ganglia-lpm rrd) is not installed at %s: run `make deps` (%v)",
			rrdtoolBin, err)
	}
}

// rrdtool runs rrdtool in dir with the C locale, the test's time zone and
// no rrdcached, and returns what it printed and its exit status.
func rrdtool(t *testing.T, dir string, args ...string) result {
	t.Helper()
	needRRDTool(t)
	cmd := exec.Command(rrdtoolBin, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RRDCACHED_") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "LC_ALL=C")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("rrdtool %q: %v", args, err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String()}
}

// rrdPair runs ganglia-lpm rrd in the working directory (ours) and rrdtool
// in theirs, so that both see the same relative file names.
type rrdPair struct {
	t            *testing.T
	ours, theirs string
}

// newRRDPair makes two empty directories and enters the first.
func newRRDPair(t *testing.T) rrdPair {
	needRRDTool(t)
	root := t.TempDir()
	p := rrdPair{t, filepath.Join(root, "g"), filepath.Join(root, "r")}
	for _, d := range []string{p.ours, p.theirs} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(p.ours)
	return p
}

// both runs the command with both tools and returns their results.
func (p rrdPair) both(args ...string) (ours, theirs result) {
	p.t.Helper()
	return runCmd(p.t, nil, append([]string{"rrd"}, args...)...), rrdtool(p.t, p.theirs, args...)
}

// same runs the command with both tools and fails unless they print the
// same bytes on stdout and stderr and exit alike.
func (p rrdPair) same(args ...string) result {
	p.t.Helper()
	ours, theirs := p.both(args...)
	if ours != theirs {
		p.t.Errorf("rrd %q: exit %d, rrdtool %d; output differs from rrdtool's (-rrdtool +ganglia-lpm):\n%s",
			args, ours.code, theirs.code, diffLines(theirs.String(), ours.String()))
	}
	return ours
}

// sameInfo compares info of both files but the cur_row lines, which
// create picks at random.
func (p rrdPair) sameInfo(file string) {
	p.t.Helper()
	ours, theirs := p.both("info", file)
	drop := func(s string) string {
		var keep []string
		for _, l := range strings.SplitAfter(s, "\n") {
			if !strings.Contains(l, "].cur_row = ") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "")
	}
	ours.stdout, theirs.stdout = drop(ours.stdout), drop(theirs.stdout)
	if ours != theirs || ours.code != 0 {
		p.t.Errorf("info %s differs:\n%s", file, diffLines(theirs.String(), ours.String()))
	}
}

// rrdUpdates makes n update arguments for the data sources GAUGE, COUNTER,
// DERIVE, ABSOLUTE from t0 on: steps of 1-40 s with some fractions and
// some gaps past the heartbeat, unknowns, and a counter that wraps.
func rrdUpdates(seed uint64, t0 float64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var out []string
	tm, counter, derive := t0, uint64(4294967000), int64(0)
	for range n {
		switch r := rng.IntN(20); {
		case r == 0:
			tm += 200 + float64(rng.IntN(100)) // past the heartbeats
		case r < 4:
			tm += float64(rng.IntN(400)+1) / 16 // binary fractions print alike
		default:
			tm += float64(rng.IntN(40) + 1)
		}
		counter = (counter + uint64(rng.IntN(5000))) % (1 << 32)
		derive += int64(rng.IntN(200)) - 100
		g := fmt.Sprintf("%.3f", rng.Float64()*100)
		if rng.IntN(10) == 0 {
			g = "U"
		}
		out = append(out, fmt.Sprintf("%s:%s:%d:%d:%d", trimFloat(tm), g, counter, derive, rng.IntN(1000)))
	}
	return out
}

func trimFloat(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.4f", v), ".0000") }

// TestRRDMatchesRRDTool creates a file with each tool, applies the same
// updates with each, and compares what the readers print.
func TestRRDMatchesRRDTool(t *testing.T) {
	p := newRRDPair(t)
	create := []string{"create", "f.rrd", "--step", "15", "--start", "1700000000",
		"DS:g:GAUGE:120:U:U", "DS:c:COUNTER:120:0:U", "DS:d:DERIVE:60:-10:10", "DS:a:ABSOLUTE:2m:U:U",
		"RRA:AVERAGE:0.5:1:40", "RRA:MIN:0.5:4:20", "RRA:MAX:0.2:4:20", "RRA:LAST:0.5:8:10",
		"RRA:AVERAGE:0.5:1h:2d"}
	p.same(create...)
	p.sameInfo("f.rrd")
	ups := rrdUpdates(7, 1700000000, 401)
	for i := 0; i < 400; i += 25 {
		p.same(append([]string{"update", "f.rrd"}, ups[i:i+25]...)...)
	}
	p.sameInfo("f.rrd")
	last := runCmd(t, nil, "rrd", "last", "f.rrd").stdout
	for _, a := range [][]string{
		{"AVERAGE", "-s", "1700000000", "-e", "1700003000"},
		{"AVERAGE", "--start", "1700000000", "--end", "1700009000", "--resolution", "60"},
		{"AVERAGE", "-s", "1700000000", "-e", "1700090000", "-r", "3600"},
		{"MIN", "-s", "1700001000", "-e", "s+1h", "-r", "60"},
		{"MAX", "-e", "1700004000", "-s", "e-30min", "-r", "1m"},
		{"LAST", "-s", "1700000000", "-e", "1700007000"},
		{"LAST", "-s", "1700000000", "-e", "1700007000", "-r", "120"},
		{"AVERAGE", "-a", "-r", "60", "-s", "1700000007", "-e", "1700000500"},
		{"MAX", "-s", "1700000000-1d", "-e", "1700000000+2d", "-r", "1h"},
		{"AVERAGE", "-s", strings.TrimSpace(last), "-e", "s+0"},
	} {
		p.same(append([]string{"fetch", "f.rrd"}, a...)...)
	}
	p.same("last", "f.rrd")
	p.same("lastupdate", "f.rrd")
	p.same("create", "f.rrd", "-O", "DS:x:GAUGE:1:U:U", "RRA:AVERAGE:0.5:1:1")
	p.same("update", "-s", "f.rrd", "1700000001:1:2:3:4", ups[399], ups[400])
	p.sameInfo("f.rrd")
}

// TestRRDUpdateErrors: failing updates print rrdtool's message and leave
// the file as rrdtool leaves it (the updates before the failing one, and
// the last_ds of the data sources before the bad value, are kept).
func TestRRDUpdateErrors(t *testing.T) {
	p := newRRDPair(t)
	create := []string{"create", "e.rrd", "-s", "10", "-b", "1700000000",
		"DS:g:GAUGE:60:U:U", "DS:c:COUNTER:60:U:U", "RRA:AVERAGE:0.5:1:10"}
	for _, c := range []struct {
		code    int
		updates []string
	}{
		{1, []string{"1700000010:1:1", "1700000005:2:2"}},                      // past
		{1, []string{"1700000010:1:1", "1700000010:2:2"}},                      // same second
		{1, []string{"1700000010.5:1:1", "1700000010.25:2:2"}},                 // same second, earlier fraction
		{1, []string{"1700000010:1:1", "1700000020:abc:2"}},                    // bad gauge
		{1, []string{"1700000010:1:1", "1700000020:2:2.5"}},                    // counter not an integer
		{1, []string{"1700000010:1:1", "1700000020:2:-3"}},                     // counter signed
		{1, []string{"1700000010:1:1", "1700000020:2"}},                        // too few values
		{1, []string{"1700000010:1:1", "1700000020:2:3:4"}},                    // too many
		{1, []string{"1700000010:1:1", "1700000020"}},                          // no values
		{1, []string{"1700000010:1:1", "17x:1:2"}},                             // bad time
		{1, []string{"1700000010:1:1", "1700000020:1:2", "1700000030::"}},      // empty values
		{0, []string{"1700000010:1:1", "1700000020:1e400:2"}},                  // out of range: inf
		{1, []string{"1700000010:1:1", "1700000080:2:2", "1700000090:0x10:2"}}, // heartbeat, hex
	} {
		p.same(create...)
		if r := p.same(append([]string{"update", "e.rrd"}, c.updates...)...); r.code != c.code {
			t.Errorf("update %q: exit %d, want %d", c.updates, r.code, c.code)
		}
		p.sameInfo("e.rrd")
	}
	p.same("update", "nofile.rrd", "N:1:2")
	p.same("fetch", "nofile.rrd", "AVERAGE")
	p.same("info", "nofile.rrd")
	p.same("last", "nofile.rrd")
	p.same("lastupdate", "nofile.rrd")
}

// TestRRDReadersOnRRDToolFiles: info, last, lastupdate and fetch print
// what rrdtool prints on files rrdtool made, file name included.
func TestRRDReadersOnRRDToolFiles(t *testing.T) {
	p := newRRDPair(t)
	p.theirs = p.ours
	rrdtool(t, p.ours, "create", "t.rrd", "--step", "60", "--start", "1700000000",
		"DS:in:COUNTER:300:0:1e9", "DS:load_one:GAUGE:300:U:U", "DS:x:ABSOLUTE:300:U:100",
		"RRA:AVERAGE:0.5:1:100", "RRA:MAX:0.5:5:50", "RRA:MIN:0:15:20", "RRA:LAST:0.9:60:5")
	ups := rrdUpdates(3, 1700000000, 200)
	for i := range ups { // rrdUpdates has four values: drop the derive
		f := strings.Split(ups[i], ":")
		ups[i] = strings.Join([]string{f[0], f[2], f[1], f[4]}, ":")
	}
	if r := rrdtool(t, p.ours, append([]string{"update", "t.rrd"}, ups...)...); r.code != 0 {
		t.Fatalf("rrdtool update: %s", r)
	}
	p.same("info", "t.rrd")
	p.same("last", "t.rrd")
	p.same("lastupdate", "t.rrd")
	p.same("fetch", "t.rrd", "AVERAGE", "-s", "1699990000", "-e", "1700010000")
	p.same("fetch", "t.rrd", "MAX", "-s", "1699990000", "-e", "1700010000", "-r", "300")
	p.same("fetch", "t.rrd", "MIN", "-s", "1700000000", "-e", "1700003600", "-r", "900")
	p.same("fetch", "t.rrd", "LAST", "-s", "1700000000", "-e", "1700003600", "-r", "3600")
	p.same("fetch", "t.rrd", "HWPREDICT", "-s", "1700000000", "-e", "1700003600")
	p.same("fetch", "t.rrd", "FOO", "-s", "1700000000", "-e", "1700003600")
}

// runCmdNow runs a command with the real clock, for comparisons with
// rrdtool's "now".
func runCmdNow(args ...string) result {
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, now: time.Now}
	code := run(context.Background(), e, args)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestRRDDefaultTimes: fetch without --start/--end (end now, start a day
// before) and with times relative to now; a step boundary crossed
// between the two runs is retried.
func TestRRDDefaultTimes(t *testing.T) {
	p := newRRDPair(t)
	p.theirs = p.ours
	rrdtool(t, p.ours, "create", "n.rrd", "--step", "60", "DS:g:GAUGE:300:U:U", "RRA:AVERAGE:0.5:1:3000")
	for _, a := range [][]string{{}, {"-s", "-1h"}, {"-s", "now-10min", "-e", "now-1"}, {"-e", "-2h", "-s", "e-1"}} {
		args := append([]string{"fetch", "n.rrd", "AVERAGE"}, a...)
		var ours, theirs result
		for range 3 {
			if ours, theirs = runCmdNow(append([]string{"rrd"}, args...)...), rrdtool(t, p.ours, args...); ours == theirs {
				break
			}
		}
		if ours != theirs {
			t.Errorf("rrd %q:\n%s", args, diffLines(theirs.String(), ours.String()))
		}
	}
	// create without --start starts 10 s before now (the test clock).
	r := runCmd(t, nil, "rrd", "create", "d.rrd", "DS:g:GAUGE:600:U:U", "RRA:AVERAGE:0.5:1:10")
	if last := runCmd(t, nil, "rrd", "last", "d.rrd"); r.code != 0 || last.stdout != fmt.Sprintf("%d\n", fixedNow().Unix()-10) {
		t.Errorf("create without --start: %s, last %s", r, last)
	}
	p.same("info", "d.rrd")
}
