package rrdcached

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// T is the time base of the transcript's exchange.
const T = 1700000000

var (
	hostDefs    = []string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:100", "RRA:AVERAGE:0.5:4:100"}
	summaryDefs = []string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:100"}
)

func ts(offset int64, values string) string { return strconv.FormatInt(T+offset, 10) + ":" + values }

// TestDaemon drives a real rrdcached over both transports, then reads the
// files with rrdtool and compares them with copies updated by rrdtool itself.
func TestDaemon(t *testing.T) {
	d := startDaemon(t)
	rrdtool := binary(t, "rrdtool")
	for _, tr := range []struct{ name, addr string }{{"unix", "unix:" + d.sock}, {"tcp", d.tcp}} {
		t.Run(tr.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c, err := Dial(ctx, tr.addr, Options{BaseDir: d.db})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// A cluster name with a space, as gmetad uses names verbatim.
			s := &session{t: t, ctx: ctx, c: c, d: d, rrdtool: rrdtool,
				host:    tr.name + " Cluster/host1/load_one.rrd",
				summary: tr.name + " Cluster/__SummaryInfo__/load_one.rrd"}
			s.createFiles()
			before := s.stats()
			s.updates()
			s.batch()
			s.flushAndLast()
			s.checkStats(before)
			s.forgetAndRecreate()
			s.compareWithRRDTool()
			s.outsideBase(tr.name)
		})
	}
}

// session is one transport's walk through the protocol.
type session struct {
	t             *testing.T
	ctx           context.Context
	c             *Client
	d             *daemon
	rrdtool       string
	host, summary string
}

func (s *session) createFiles() {
	s.t.Helper()
	must(s.t, s.c.Create(s.ctx, s.host, 15, T-1, true, hostDefs))
	must(s.t, s.c.Create(s.ctx, s.summary, 15, T-1, true, summaryDefs))
	if err := s.c.Create(s.ctx, s.host, 15, T-1, true, hostDefs); !errors.Is(err, ErrFileExists) {
		s.t.Errorf("second CREATE -O = %v, want ErrFileExists", err)
	}
	// Copies taken now share the random cur_row and get rrdtool's updates.
	for _, f := range []string{s.host, s.summary} {
		copyFile(s.t, s.d.local(f), s.d.local(f)+".direct")
	}
}

func (s *session) updates() {
	s.t.Helper()
	must(s.t, s.c.Update(s.ctx, s.host, ts(10, "0.5"), ts(25, "0.75"), ts(40, "U")))
	if err := s.c.Update(s.ctx, s.host, ts(40, "1.0")); !errors.Is(err, ErrIllegalUpdate) {
		s.t.Errorf("update at the last time = %v, want ErrIllegalUpdate", err)
	}
	must(s.t, s.c.Update(s.ctx, s.summary, ts(10, "3.5:4")))
	if err := s.c.Update(s.ctx, filepath.Dir(s.host)+"/nosuch.rrd", ts(10, "1")); !errors.Is(err, ErrNoSuchFile) {
		s.t.Errorf("update of a missing file = %v, want ErrNoSuchFile", err)
	}
	s.wantPending(s.host, ts(10, "0.5"), ts(25, "0.75"), ts(40, "U"))
}

func (s *session) batch() {
	s.t.Helper()
	errs, err := s.c.Batch(s.ctx, []Command{
		UpdateCommand(s.host, ts(55, "2")),
		UpdateCommand(s.host, ts(55, "3")), // not after the last: refused
		UpdateCommand(s.host, ts(70, "4")),
		{Name: "BOGUS"},
		UpdateCommand(s.summary, ts(25, "5:6")),
		{Name: "FLUSH", File: s.host},
	})
	must(s.t, err)
	if len(errs) != 2 || errs[0].Index != 2 || !errors.Is(errs[0], ErrIllegalUpdate) ||
		errs[1].Index != 4 || !errors.Is(errs[1], ErrUnknownCommand) {
		s.t.Errorf("batch errors = %v, want line 2 illegal update and line 4 unknown command", errs)
	}
	s.wantPending(s.host) // the batch's FLUSH wrote it
	s.wantPending(s.summary, ts(10, "3.5:4"), ts(25, "5:6"))
}

func (s *session) flushAndLast() {
	s.t.Helper()
	must(s.t, s.c.Flush(s.ctx, s.summary))
	s.wantPending(s.summary)
	for f, want := range map[string]int64{s.host: T + 70, s.summary: T + 25} {
		if last, err := s.c.Last(s.ctx, f); err != nil || last != want {
			s.t.Errorf("LAST %s = %d, %v; want %d", f, last, err, want)
		}
	}
}

// checkStats compares the counters' movement with what this session sent:
// rrdcached counts UPDATE commands received (refused ones too), FLUSH
// commands, one write per file written and the values written.
func (s *session) checkStats(before map[string]uint64) {
	s.t.Helper()
	after := s.stats()
	want := map[string]uint64{"UpdatesReceived": 8, "FlushesReceived": 2}
	for k, n := range want {
		if got := after[k] - before[k]; got != n {
			s.t.Errorf("STATS %s moved by %d, want %d (before %v, after %v)", k, got, n, before, after)
		}
	}
	// The write counters depend on how rrdcached's queue threads meet
	// the two flushes (one CI run saw 1 write of 5 values instead of 2 of
	// 7), so they are only checked to move within bounds here; what was
	// written is checked value by value against rrdtool afterwards.
	for k, most := range map[string]uint64{"UpdatesWritten": 2, "DataSetsWritten": 7} {
		if got := after[k] - before[k]; got < 1 || got > most {
			s.t.Errorf("STATS %s moved by %d, want 1 to %d (before %v, after %v)", k, got, most, before, after)
		}
	}
}

func (s *session) forgetAndRecreate() {
	s.t.Helper()
	f := filepath.Dir(s.host) + "/forget.rrd"
	must(s.t, s.c.Create(s.ctx, f, 15, T-1, true, hostDefs))
	must(s.t, s.c.Update(s.ctx, f, ts(10, "1"), ts(25, "2")))
	s.wantPending(f, ts(10, "1"), ts(25, "2"))
	must(s.t, s.c.Forget(s.ctx, f))
	s.wantPending(f)
	if err := s.c.Forget(s.ctx, f); !errors.Is(err, ErrNoSuchFile) {
		s.t.Errorf("FORGET of a forgotten file = %v, want ErrNoSuchFile", err)
	}
	must(s.t, s.c.Flush(s.ctx, f)) // "Nothing to flush"
	// rrdcached's CREATE aligns -b down to a multiple of the step.
	const start = T - 1 - (T-1)%15
	if last, err := s.c.Last(s.ctx, f); err != nil || last != start {
		s.t.Errorf("LAST after FORGET = %d, %v; want the aligned start %d", last, err, start)
	}
	// Re-creating a file the daemon holds values for: Create forgets
	// them, so the daemon re-reads the new file's last update time.
	must(s.t, s.c.Update(s.ctx, f, ts(40, "7")))
	must(s.t, s.c.Create(s.ctx, f, 15, T+100, false, hostDefs))
	s.wantPending(f)
	if err := s.c.Update(s.ctx, f, ts(55, "1")); !errors.Is(err, ErrIllegalUpdate) {
		s.t.Errorf("update before the new start = %v, want ErrIllegalUpdate", err)
	}
	must(s.t, s.c.Update(s.ctx, f, ts(115, "1")))
}

// compareWithRRDTool applies the same sequence with rrdtool update to the
// copies and checks that rrdtool fetch sees the same values in both.
func (s *session) compareWithRRDTool() {
	s.t.Helper()
	seq := map[string][][]string{
		s.host: {{ts(10, "0.5"), ts(25, "0.75"), ts(40, "U")}, {ts(40, "1.0")},
			{ts(55, "2")}, {ts(55, "3")}, {ts(70, "4")}},
		s.summary: {{ts(10, "3.5:4")}, {ts(25, "5:6")}},
	}
	for f, calls := range seq {
		direct := s.d.local(f) + ".direct"
		for _, args := range calls {
			// The refused calls fail in rrdtool too; that is part of
			// the sequence.
			exec.Command(s.rrdtool, append([]string{"update", direct}, args...)...).Run()
		}
		got, want := s.fetch(s.d.local(f)), s.fetch(direct)
		if got != want {
			s.t.Errorf("%s through rrdcached:\n%s\nthrough rrdtool update:\n%s", f, got, want)
		}
	}
	host := s.fetch(s.d.local(s.host))
	for _, row := range []string{"1700000010: 5.0000000000e-01", "1700000025: 7.5000000000e-01",
		"1700000040: -nan", "1700000055: 2.0000000000e+00", "1700000070: 4.0000000000e+00"} {
		if !strings.Contains(strings.ToLower(host), strings.ToLower(row)) {
			s.t.Errorf("fetch of %s lacks %q:\n%s", s.host, row, host)
		}
	}
}

func (s *session) fetch(file string) string {
	s.t.Helper()
	out, err := exec.Command(s.rrdtool, "fetch", file, "AVERAGE",
		"-s", strconv.Itoa(T), "-e", strconv.Itoa(T+75)).CombinedOutput()
	if err != nil {
		s.t.Fatalf("rrdtool fetch %s: %v\n%s", file, err, out)
	}
	return string(out)
}

// outsideBase checks the path rules: over TCP the client refuses an
// absolute name outside the base; over the unix socket the daemon's -B does.
func (s *session) outsideBase(transport string) {
	s.t.Helper()
	err := s.c.Update(s.ctx, "/etc/passwd", ts(10, "1"))
	want := ErrPermissionDenied
	if transport == "tcp" {
		want = ErrOutsideBaseDir
	}
	if !errors.Is(err, want) {
		s.t.Errorf("UPDATE /etc/passwd = %v, want %v", err, want)
	}
}

func (s *session) stats() map[string]uint64 {
	s.t.Helper()
	st, err := s.c.Stats(s.ctx)
	must(s.t, err)
	return st
}

func (s *session) wantPending(file string, values ...string) {
	s.t.Helper()
	got, err := s.c.Pending(s.ctx, file)
	if err != nil || !reflect.DeepEqual(got, values) && len(got)+len(values) > 0 {
		s.t.Errorf("PENDING %s = %q, %v; want %q", file, got, err, values)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	must(t, err)
	defer in.Close()
	out, err := os.Create(to)
	must(t, err)
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	must(t, out.Close())
}
