package schedule

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func sec(n int) time.Duration { return time.Duration(n) * time.Second }

// at returns t0 + n seconds.
func at(n int) time.Time { return t0.Add(sec(n)) }

// valueTimes returns the offsets (s) at which a value of name was sent.
func valueTimes(ps []sent, name string) []int {
	var out []int
	for _, p := range ps {
		if p.msg.Name == name && p.msg.ID.IsValue() {
			out = append(out, int(p.at.Sub(t0)/time.Second))
		}
	}
	return out
}

// metadataTimes returns the offsets (s) at which metadata of name was sent.
func metadataTimes(ps []sent, name string) []int {
	var out []int
	for _, p := range ps {
		if p.msg.Name == name && p.msg.ID == xdr.IDMetadata {
			out = append(out, int(p.at.Sub(t0)/time.Second))
		}
	}
	return out
}

func checkTimes(t *testing.T, what string, got, want []int) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s at %v s, want %v s", what, got, want)
	}
}

// TestTimeThreshold: with values that never move, a group is sent at start
// and then every time_threshold, the daemon loop waking when Next says.
func TestTimeThreshold(t *testing.T) {
	c := newFake("c", def("a", metric.Float), def("b", metric.Float))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(20), Threshold: sec(90), Metrics: []Metric{{Name: "a", ValueThreshold: 1}, {Name: "b", ValueThreshold: -1}}},
	}})
	got := r.run(s, at(400))
	checkTimes(t, "a", valueTimes(got, "a"), []int{0, 90, 180, 270, 360})
	checkTimes(t, "b", valueTimes(got, "b"), []int{0, 90, 180, 270, 360})
	if c.calls != 21 { // 0, 20, ..., 400
		t.Errorf("collector called %d times in 400 s at collect_every 20, want 21", c.calls)
	}
}

// TestValueThreshold: a numeric change of at least value_threshold between
// two collections sends the whole group at that collection; smaller
// changes, strings and disabled thresholds do not.
func TestValueThreshold(t *testing.T) {
	c := newFake("c", def("a", metric.Float), def("quiet", metric.UInt32), def("s", metric.String))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(20), Threshold: sec(600), Metrics: []Metric{
			{Name: "a", ValueThreshold: 1}, {Name: "quiet", ValueThreshold: -1}, {Name: "s", ValueThreshold: 0}}},
	}})
	steps := []struct {
		a, quiet float64
		s        string
		send     bool
	}{
		{10, 1, "x", true},    // 0: start-up
		{10.9, 1, "y", false}, // 20: +0.9, string changed
		{11.9, 1, "z", true},  // 40: +1.0 from the previous collection, not from the last send
		{11.5, 999, "z", false},
		{10.5, 999, "z", true}, // 80: -1.0 crosses downwards too
	}
	for i, st := range steps {
		c.set("a", st.a)
		c.set("quiet", st.quiet)
		c.vals["s"] = metric.Str(st.s)
		got := r.tick(s, at(20*i))
		if sentAny := len(got) > 0; sentAny != st.send {
			t.Fatalf("collection %d (a=%v): sent %v, want %v:\n%s", i, st.a, sentAny, st.send, lines(got))
		}
		if st.send && len(valueTimes(got, "quiet")) != 1 || st.send && len(valueTimes(got, "s")) != 1 {
			t.Errorf("collection %d: the group was not sent whole:\n%s", i, lines(got))
		}
	}
}

// TestValueThresholdZero: value_threshold 0 sends a numeric metric's group
// at every collection (|d| >= 0), as stock; strings still never trigger.
func TestValueThresholdZero(t *testing.T) {
	n := newFake("n", def("n", metric.UInt16))
	str := newFake("s", def("s", metric.String))
	s, r := newSched(t, Options{Collectors: []metric.Collector{n, str}, Groups: []Group{
		{Every: sec(20), Threshold: sec(600), Metrics: []Metric{{Name: "n", ValueThreshold: 0}}},
		{Every: sec(20), Threshold: sec(600), Metrics: []Metric{{Name: "s", ValueThreshold: 0}}},
	}})
	got := r.run(s, at(60))
	checkTimes(t, "numeric", valueTimes(got, "n"), []int{0, 20, 40, 60})
	checkTimes(t, "string", valueTimes(got, "s"), []int{0})
}

// TestCollectOnce: a collect_once group is collected at start only and
// its values re-sent every time_threshold; one still missing a value is
// collected again every collect_every until it has one.
func TestCollectOnce(t *testing.T) {
	once := newFake("once", def("heartbeat", metric.UInt32))
	once.set("heartbeat", float64(t0.Unix()))
	late := newFake("late", def("serial", metric.String))
	delete(late.vals, "serial")
	s, r := newSched(t, Options{Collectors: []metric.Collector{once, late}, Groups: []Group{
		{Once: true, Every: sec(60), Threshold: sec(20), Metrics: []Metric{{Name: "heartbeat", ValueThreshold: -1}}},
		{Once: true, Every: sec(60), Threshold: sec(1200), Metrics: []Metric{{Name: "serial", ValueThreshold: -1}}},
	}})
	got := r.run(s, at(100))
	checkTimes(t, "heartbeat", valueTimes(got, "heartbeat"), []int{0, 20, 40, 60, 80, 100})
	if len(valueTimes(got, "serial")) != 0 {
		t.Errorf("a metric with no value was sent:\n%s", lines(got))
	}
	late.vals["serial"] = metric.Str("0221ABCDE")
	got = r.run(s, at(3*3600))
	if once.calls != 1 {
		t.Errorf("collect_once collector called %d times in 3 h, want 1", once.calls)
	}
	if late.calls != 3 { // 0 and 60 without a value, 120 with one
		t.Errorf("late collector called %d times, want 3 (retry until it has a value)", late.calls)
	}
	checkTimes(t, "serial metadata", metadataTimes(got, "serial"), []int{120})
	checkTimes(t, "serial", valueTimes(got, "serial"), []int{120, 1320, 2520, 3720, 4920, 6120, 7320, 8520, 9720})
}

// TestFirstValueSendsAtOnce: a metric its collector left out at start-up
// (a rate's first call) goes out, metadata first, at the collection that
// gives its first value rather than a time_threshold later.
func TestFirstValueSendsAtOnce(t *testing.T) {
	c := newFake("net", def("bytes_in", metric.Float), def("bytes_out", metric.Float))
	delete(c.vals, "bytes_in")
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(40), Threshold: sec(300), Metrics: []Metric{{Name: "bytes_in", ValueThreshold: -1}, {Name: "bytes_out", ValueThreshold: -1}}},
	}})
	got := r.tick(s, t0)
	if want := "+0s gmetadata_full bytes_out\n+0s gmetric_float bytes_out\n"; lines(got) != want {
		t.Errorf("start-up sent\n%swant\n%s", lines(got), want)
	}
	c.set("bytes_in", 10)
	got = r.tick(s, at(40))
	want := "+40s gmetadata_full bytes_in\n+40s gmetric_float bytes_in\n+40s gmetric_float bytes_out\n"
	if lines(got) != want {
		t.Errorf("first value sent\n%swant\n%s", lines(got), want)
	}
}

// TestMetadataInterval: metadata rides with a value once it is older than
// send_metadata_interval (strictly), so with the heartbeat's 20 s and an
// interval of 30 s it goes out at 0, 40, 80...: the stock capture's
// pattern. With 0 it goes out only at start.
func TestMetadataInterval(t *testing.T) {
	for _, tc := range []struct {
		interval int
		want     []int
	}{
		{30, []int{0, 40, 80, 120, 160}},
		{40, []int{0, 60, 120}},
		{0, []int{0}},
	} {
		c := newFake("core", def("heartbeat", metric.UInt32))
		s, r := newSched(t, Options{Collectors: []metric.Collector{c}, SendMetadataInterval: sec(tc.interval),
			Groups: []Group{{Once: true, Every: sec(60), Threshold: sec(20), Metrics: []Metric{{Name: "heartbeat", ValueThreshold: -1}}}}})
		got := r.run(s, at(170))
		checkTimes(t, "metadata", metadataTimes(got, "heartbeat"), tc.want)
		checkTimes(t, "values", valueTimes(got, "heartbeat"), []int{0, 20, 40, 60, 80, 100, 120, 140, 160})
	}
}

// TestRequestMetadata: a request marks one metric's metadata unsent; its
// group is sent at the next Tick, that metric's metadata before its value
// and the others' values alone. Unknown names change nothing.
func TestRequestMetadata(t *testing.T) {
	c := newFake("c", def("a", metric.Float), def("b", metric.Float), def("other", metric.Float))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(20), Threshold: sec(300), Metrics: []Metric{{Name: "a", ValueThreshold: -1}, {Name: "b", ValueThreshold: -1}}},
		{Every: sec(20), Threshold: sec(300), Metrics: []Metric{{Name: "other", ValueThreshold: -1}}},
	}})
	r.tick(s, t0)
	r.tick(s, at(20))
	next := s.Next()
	s.RequestMetadata("golden_plain_uint32") // not ours
	if s.Next() != next {
		t.Errorf("an unknown request moved Next from %v to %v", next, s.Next())
	}
	s.RequestMetadata("b")
	s.RequestMetadata("b")
	if want := at(21); !s.Next().Equal(want) {
		t.Errorf("Next after a request = %v, want the last Tick + 1 s (%v)", s.Next(), want)
	}
	got := r.tick(s, at(21))
	want := "+21s gmetric_float a\n+21s gmetadata_full b\n+21s gmetric_float b\n"
	if lines(got) != want {
		t.Errorf("after a request sent\n%swant\n%s", lines(got), want)
	}
	if got := r.tick(s, at(22)); len(got) != 0 {
		t.Errorf("the request was answered twice:\n%s", lines(got))
	}
}

// TestResendMetadata: every group is sent at the next Tick, each metric's
// metadata first, even collect_once groups between their sends.
func TestResendMetadata(t *testing.T) {
	_, msgs := readCapture(t, filepath.Join("testdata", "stock_startup.hex"))
	s, r := newSched(t, Options{Groups: debianGroups(), Collectors: captureCollectors(t, msgs)})
	start := r.tick(s, t0)
	r.run(s, at(50))
	s.ResendMetadata()
	if want := at(41); !s.Next().Equal(want) { // last Tick was the heartbeat's at 40
		t.Fatalf("Next after ResendMetadata = %v, want %v", s.Next(), want)
	}
	got := r.tick(s, at(51))
	if len(got) != len(start) {
		t.Fatalf("resend sent %d packets, start-up %d:\n%s", len(got), len(start), lines(got))
	}
	for i := range got {
		if got[i].msg.ID != start[i].msg.ID || got[i].msg.Name != start[i].msg.Name {
			t.Fatalf("packet %d: resend %s, start-up %s", i, got[i], start[i])
		}
	}
}

// TestOverride: override_hostname spoofs every message as "ip:name" or
// "name:name", with no SPOOF_HOST extra (stock gmond adds none, see the
// capture); SetHost then changes nothing. Without it SetHost renames.
func TestOverride(t *testing.T) {
	for _, tc := range []struct {
		name, ip, want string
		spoof          bool
	}{
		{"", "", "vm", false},
		{"lpar01.example.com", "", "lpar01.example.com:lpar01.example.com", true},
		{"lpar01.example.com", "10.1.2.3", "10.1.2.3:lpar01.example.com", true},
	} {
		c := newFake("c", def("a", metric.Float))
		s, r := newSched(t, Options{Collectors: []metric.Collector{c}, OverrideHostname: tc.name, OverrideIP: tc.ip,
			Groups: []Group{{Every: sec(20), Threshold: sec(20), Metrics: []Metric{{Name: "a", ValueThreshold: -1}}}}})
		got := r.tick(s, t0)
		s.SetHost("renamed")
		got = append(got, r.tick(s, at(20))...)
		for i, p := range got {
			want := tc.want
			if i == 2 && !tc.spoof {
				want = "renamed"
			}
			if p.msg.Host != want || p.msg.Spoof != tc.spoof {
				t.Errorf("override %q/%q packet %d: host %q spoof %t, want %q %t", tc.name, tc.ip, i, p.msg.Host, p.msg.Spoof, want, tc.spoof)
			}
			for _, e := range p.msg.Metadata.Extra {
				if strings.HasPrefix(e.Name, "SPOOF") {
					t.Errorf("metadata carries %s; stock gmond sends none", e.Name)
				}
			}
		}
	}
}
