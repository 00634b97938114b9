package schedule

import (
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestNameMatch: a name_match entry binds every offered name it matches,
// titles expanded from the submatches; an interface the collector
// discovers later is bound at the next collection and sent at once,
// metadata first, while a configured name nobody offers is logged once.
func TestNameMatch(t *testing.T) {
	net := newFake("netif", def("bytes_in_eth0", metric.Float), def("bytes_out_eth0", metric.Float),
		def("bytes_in", metric.Float))
	logs := &logSink{}
	s, r := newSched(t, Options{Collectors: []metric.Collector{net}, Logger: slog.New(logs), Groups: []Group{
		{Every: sec(40), Threshold: sec(300), Metrics: []Metric{
			{Match: `^bytes_(in|out)_(.+)$`, Title: `Bytes \1 (\2)`, ValueThreshold: -1},
			{Name: "nosuch_metric", ValueThreshold: -1},
			{Match: `^pkts_`, ValueThreshold: -1}}},
	}})
	got := r.tick(s, t0)
	want := "+0s gmetadata_full bytes_in_eth0\n+0s gmetric_float bytes_in_eth0\n" +
		"+0s gmetadata_full bytes_out_eth0\n+0s gmetric_float bytes_out_eth0\n"
	if lines(got) != want {
		t.Fatalf("start-up sent\n%swant\n%s", lines(got), want)
	}
	if title := got[2].msg.Metadata.Extra[0]; title != (xdr.Extra{Name: "TITLE", Data: "Bytes out (eth0)"}) {
		t.Errorf("expanded title %+v", title)
	}

	net.defs = append(net.defs, def("bytes_in_eth1", metric.Float), def("pkts_in_eth1", metric.Float))
	delete(net.vals, "pkts_in_eth1") // a rate's first call: offered, no value yet
	net.set("bytes_in_eth1", 5)
	got = r.tick(s, at(40))
	want = "+40s gmetric_float bytes_in_eth0\n+40s gmetric_float bytes_out_eth0\n" +
		"+40s gmetadata_full bytes_in_eth1\n+40s gmetric_float bytes_in_eth1\n"
	if lines(got) != want {
		t.Fatalf("after eth1 appeared sent\n%swant\n%s", lines(got), want)
	}
	net.set("pkts_in_eth1", 7)
	got = r.tick(s, at(80))
	if !strings.Contains(lines(got), "+80s gmetadata_full pkts_in_eth1\n+80s gmetric_float pkts_in_eth1\n") {
		t.Errorf("pkts_in_eth1's first value did not go out with its metadata:\n%s", lines(got))
	}
	r.run(s, at(600))
	if n := logs.count(slog.LevelInfo, "no collector offers these configured metrics"); n != 1 {
		t.Errorf("logged %d missing-metrics summaries, want 1 (nosuch_metric and ^pkts_ at start, together)", n)
	}
	if n := logs.count(slog.LevelDebug, "no collector offers this metric"); n != 2 {
		t.Errorf("logged %d missing-metric debug lines, want 2 (nosuch_metric and ^pkts_, once each)", n)
	}
	if n := logs.count(slog.LevelInfo, "now offered"); n != 1 {
		t.Errorf("logged %d now-offered lines, want 1 (^pkts_)", n)
	}
}

// TestNameAppearsLater: a plain name nobody offered at start binds when a
// collector starts offering it.
func TestNameAppearsLater(t *testing.T) {
	c := newFake("c", def("a", metric.Float))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(20), Threshold: sec(300), Metrics: []Metric{{Name: "a", ValueThreshold: -1}, {Name: "late", ValueThreshold: -1}}},
	}})
	r.tick(s, t0)
	s.RequestMetadata("late") // not bound yet: ignored
	c.defs = append(c.defs, def("late", metric.UInt32))
	c.set("late", 3)
	got := r.tick(s, at(20))
	if want := "+20s gmetric_float a\n+20s gmetadata_full late\n+20s gmetric_uint late\n"; lines(got) != want {
		t.Errorf("sent\n%swant\n%s", lines(got), want)
	}
}

// TestCollectorCalls: a group calls each collector it needs once per
// collection; groups collected in the same Tick share one call; a failing
// collector is logged when its error text changes and the group still
// sends what the others read.
func TestCollectorCalls(t *testing.T) {
	a, b, c := newFake("a", def("a1", metric.Float), def("a2", metric.Float)),
		newFake("b", def("b1", metric.Float)), newFake("c", def("c1", metric.Float), def("c2", metric.Float))
	unused := newFake("unused", def("u", metric.Float))
	logs := &logSink{}
	s, r := newSched(t, Options{Collectors: []metric.Collector{a, b, c, unused}, Logger: slog.New(logs), Groups: []Group{
		{Every: sec(20), Threshold: sec(20), Metrics: []Metric{
			{Name: "a1", ValueThreshold: -1}, {Name: "b1", ValueThreshold: -1}, {Name: "a2", ValueThreshold: -1}, {Name: "c1", ValueThreshold: -1}}},
		{Once: true, Every: sec(20), Threshold: sec(20), Metrics: []Metric{{Name: "c2", ValueThreshold: -1}}},
	}})
	r.tick(s, t0)
	if a.calls != 1 || b.calls != 1 || c.calls != 1 || unused.calls != 0 {
		t.Fatalf("calls a=%d b=%d c=%d unused=%d, want 1 1 1 0", a.calls, b.calls, c.calls, unused.calls)
	}
	errs := []error{errors.New("lparstat: exit 1"), errors.New("lparstat: exit 1"), errors.New("lparstat: timeout"), nil, errors.New("lparstat: timeout")}
	for i, err := range errs {
		b.err = err
		got := r.tick(s, at(20*(i+1)))
		names := lines(got)
		if strings.Contains(names, "b1") == (err != nil) {
			t.Errorf("tick %d (err %v) sent:\n%s", i, err, names)
		}
		if !strings.Contains(names, "a1") || !strings.Contains(names, "c1") {
			t.Errorf("tick %d: a failing collector stopped the others:\n%s", i, names)
		}
	}
	if n := logs.count(slog.LevelWarn, "collector failed"); n != 3 {
		t.Errorf("logged %d collector failures, want 3 (one per change of error text)", n)
	}
	if n := logs.count(slog.LevelInfo, "recovered"); n != 1 {
		t.Errorf("logged %d recoveries, want 1", n)
	}
	if st := s.Stats(); st.Errors != 4 || st.Collected != 3+3*5 {
		t.Errorf("stats %+v, want 4 errors and 18 collections", st)
	}
}

// TestOversizeMetadata: metadata that does not fit 1464 bytes is not sent,
// logged once, and does not stop the value or make the group send at every
// collection.
func TestOversizeMetadata(t *testing.T) {
	big := def("big", metric.Float)
	big.Desc = strings.Repeat("d", 1500)
	c := newFake("c", big, def("ok", metric.Float))
	logs := &logSink{}
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Logger: slog.New(logs), Groups: []Group{
		{Every: sec(20), Threshold: sec(100), Metrics: []Metric{{Name: "big", ValueThreshold: -1}, {Name: "ok", ValueThreshold: -1}}},
	}})
	got := r.run(s, at(250))
	checkTimes(t, "big metadata", metadataTimes(got, "big"), nil)
	checkTimes(t, "big", valueTimes(got, "big"), []int{0, 100, 200})
	checkTimes(t, "ok metadata", metadataTimes(got, "ok"), []int{0})
	if n := logs.count(slog.LevelWarn, "does not fit"); n != 1 {
		t.Errorf("logged %d oversize lines, want 1", n)
	}
}

// TestListing lists every offered metric once, by name, with the title a
// group gives it.
func TestListing(t *testing.T) {
	a := def("zeta", metric.Float)
	a.Title = "Zeta default"
	c1 := newFake("cpu", a, def("alpha", metric.UInt16))
	c2 := newFake("dup", def("alpha", metric.String), def("mid", metric.String))
	s, _ := newSched(t, Options{Collectors: []metric.Collector{c1, c2}, Groups: []Group{
		{Every: sec(20), Threshold: sec(20), Metrics: []Metric{{Name: "alpha", Title: "Alpha!", ValueThreshold: -1}}},
	}})
	got := s.Listing()
	want := []Listed{
		{Name: "alpha", Group: "test", Title: "Alpha!", Desc: "alpha desc", Collector: "cpu", Collected: true},
		{Name: "mid", Group: "test", Title: "mid", Desc: "mid desc", Collector: "dup"},
		{Name: "zeta", Group: "test", Title: "Zeta default", Desc: "zeta desc", Collector: "cpu"},
	}
	if len(got) != len(want) {
		t.Fatalf("listing %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("listing[%d] = %#v, want %#v", i, got[i], want[i])
		}
	}
	if line := got[0].String(); line != "alpha          \talpha desc (module cpu)" {
		t.Errorf("stock -m line %q", line)
	}
}

// TestNewErrors: configuration mistakes that stock gmond exits on.
func TestNewErrors(t *testing.T) {
	send := func([]byte) {}
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no send", Options{}, "Send"},
		{"bad regexp", Options{Send: send, Groups: []Group{{Metrics: []Metric{{Match: "("}}}}}, "name_match"},
		{"bad title", Options{Send: send, Groups: []Group{{Metrics: []Metric{{Match: "(a)", Title: `\2`}}}}}, "title"},
		{"lone backslash", Options{Send: send, Groups: []Group{{Metrics: []Metric{{Match: "(a)", Title: `x\`}}}}}, "title"},
		{"no name", Options{Send: send, Groups: []Group{{Metrics: []Metric{{Title: "t"}}}}}, "no name"},
		{"nil collector", Options{Send: send, Collectors: []metric.Collector{nil}}, "nil"},
	} {
		if _, err := New(tc.opts, t0); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// TestBadType: a metric whose type has no value message is skipped with
// one warning instead of failing every send.
func TestBadType(t *testing.T) {
	bad := def("weird", "int8")
	c := newFake("c", bad, def("ok", metric.Float))
	logs := &logSink{}
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Logger: slog.New(logs), Groups: []Group{
		{Every: sec(20), Threshold: sec(20), Metrics: []Metric{{Name: "weird", ValueThreshold: -1}, {Name: "ok", ValueThreshold: -1}}},
	}})
	got := r.run(s, at(60))
	if strings.Contains(lines(got), "weird") || len(valueTimes(got, "ok")) != 4 {
		t.Errorf("sent:\n%s", lines(got))
	}
	if n := logs.count(slog.LevelWarn, "cannot be sent"); n != 1 {
		t.Errorf("logged %d lines, want 1", n)
	}
}
