package schedule

import (
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// TestNextNeverInPast: Next is New's time before the first Tick and after
// each Tick strictly later than it, whatever the configuration (a zero
// time_threshold included).
func TestNextNeverInPast(t *testing.T) {
	c := newFake("c", def("a", metric.Float), def("b", metric.Float))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: 0, Threshold: 0, Metrics: []Metric{{Name: "a", ValueThreshold: 0}}},
		{Every: sec(7), Threshold: sec(13), Metrics: []Metric{{Name: "b", ValueThreshold: -1}}},
	}})
	if !s.Next().Equal(t0) {
		t.Fatalf("Next before the first Tick = %v, want New's time", s.Next())
	}
	now := t0
	for i := range 200 {
		r.tick(s, now)
		next := s.Next()
		if !next.After(now) {
			t.Fatalf("after Tick(%v) Next = %v", now, next)
		}
		if i%3 == 0 {
			s.RequestMetadata("b")
		}
		now = now.Add(time.Duration(i%5) * 300 * time.Millisecond) // sometimes late, sometimes early
		if now.Before(next) && i%2 == 0 {
			now = next
		}
	}
}

// TestResetBaselines reaches every Resetter collector.
func TestResetBaselines(t *testing.T) {
	a, b := newFake("a", def("x", metric.Float)), newFake("b", def("y", metric.Float))
	s, _ := newSched(t, Options{Collectors: []metric.Collector{a, b}})
	s.ResetBaselines()
	if a.resets != 1 || b.resets != 1 {
		t.Errorf("resets a=%d b=%d, want 1 each", a.resets, b.resets)
	}
}

// TestCallsFromSend: a receive loop may answer a request, or ask for Next
// and Stats, while a Tick is inside Send, without deadlocking.
func TestCallsFromSend(t *testing.T) {
	c := newFake("c", def("a", metric.Float))
	var s *Scheduler
	var err error
	n := 0
	s, err = New(Options{Collectors: []metric.Collector{c}, Host: "vm",
		Groups: []Group{{Every: sec(20), Threshold: sec(20), Metrics: []Metric{{Name: "a", ValueThreshold: -1}}}},
		Send: func([]byte) {
			n++
			s.RequestMetadata("a")
			s.SetHost("other")
			_ = s.Next()
			_ = s.Stats()
		}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	s.Tick(t0)
	if n != 2 || !s.Next().Equal(at(1)) {
		t.Errorf("sent %d packets, Next %v; want 2 and the request pending (t0+1s)", n, s.Next())
	}
}

// TestClockBack: when the clock goes back, every periodic group is
// collected and sent at once instead of waiting for the old schedule.
func TestClockBack(t *testing.T) {
	c := newFake("c", def("a", metric.Float))
	s, r := newSched(t, Options{Collectors: []metric.Collector{c}, Groups: []Group{
		{Every: sec(20), Threshold: sec(300), Metrics: []Metric{{Name: "a", ValueThreshold: -1}}}}})
	r.tick(s, at(100))
	back := t0.Add(-time.Hour)
	if got := r.tick(s, back); len(valueTimes(got, "a")) != 1 || c.calls != 2 {
		t.Errorf("after the clock went back: %d collections, sent\n%s", c.calls, lines(got))
	}
	if next := s.Next(); !next.Equal(back.Add(sec(20))) {
		t.Errorf("Next %v, want %v", next, back.Add(sec(20)))
	}
}
