package schedule

import (
	"fmt"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// FuzzSchedule drives a scheduler with an arbitrary sequence of clock
// steps, value changes, missing readings, failures, discovered metrics,
// requests and resends, and checks the invariants receivers rely on: Next
// is never at or before the last Tick; a metric's metadata comes
// immediately before its value whenever it is sent, and before its first
// value ever; a requested metric that is sent carries its metadata.
func FuzzSchedule(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	f.Add([]byte{9, 9, 3, 0x41, 2, 0x13, 7, 0, 5, 0xff, 6, 1, 8})
	f.Fuzz(func(t *testing.T, ops []byte) {
		c := newFake("c", def("f", metric.Float), def("u", metric.UInt16), def("s", metric.String))
		g := newFake("g", def("d", metric.Double))
		s, r := newSched(t, Options{Collectors: []metric.Collector{c, g}, SendMetadataInterval: 45 * time.Second,
			Groups: []Group{
				{Once: true, Every: sec(30), Threshold: sec(20), Metrics: []Metric{{Name: "s", ValueThreshold: -1}}},
				{Every: sec(15), Threshold: sec(60), Metrics: []Metric{{Name: "f", ValueThreshold: 1}, {Match: `^(u|x_.*)$`, ValueThreshold: 0}}},
				{Every: sec(40), Threshold: sec(90), Metrics: []Metric{{Name: "d", ValueThreshold: 2}, {Name: "f", ValueThreshold: -1}}},
			}})
		names := []string{"f", "u", "s", "d"}
		mdSeen := map[string]bool{}
		requested := map[string]bool{}
		now := t0
		for i, op := range ops {
			arg := int(op >> 4)
			switch op & 0xf {
			case 0, 1, 2: // run the loop as the daemon does
				next := s.Next()
				if next.Before(now) {
					next = now // a late wake-up
				}
				now = next.Add(time.Duration(arg) * 100 * time.Millisecond)
				r.at = now
				s.Tick(now)
				if n := s.Next(); !n.After(now) {
					t.Fatalf("op %d: after Tick(%v) Next = %v", i, now, n)
				}
				check(t, r.take(), mdSeen, requested)
			case 3:
				c.set("f", float64(arg)/2)
			case 4:
				g.set("d", float64(arg))
			case 5:
				delete(c.vals, names[arg%3])
			case 6:
				c.set(names[arg%2], float64(arg*1000))
				c.vals["s"] = metric.Str(fmt.Sprint(arg))
			case 7:
				g.err = map[bool]error{true: fmt.Errorf("fail %d", arg%2)}[arg%3 != 0]
			case 8:
				name := fmt.Sprintf("x_%d", arg)
				c.defs = append(c.defs, def(name, metric.Int32))
				c.set(name, float64(arg))
				names = append(names, name)
			case 9:
				name := names[arg%len(names)]
				s.RequestMetadata(name)
				requested[name] = true
			case 10:
				s.ResendMetadata()
				for _, n := range names {
					requested[n] = true
				}
			case 11:
				s.SetHost(fmt.Sprint("h", arg))
			case 12:
				s.ResetBaselines()
			}
		}
	})
}

// check verifies one Tick's packets.
func check(t *testing.T, ps []sent, mdSeen, requested map[string]bool) {
	t.Helper()
	for i, p := range ps {
		name := p.msg.Name
		if p.msg.ID == xdr.IDMetadata {
			if i+1 == len(ps) || ps[i+1].msg.Name != name || !ps[i+1].msg.ID.IsValue() {
				t.Fatalf("metadata of %s not followed by its value:\n%s", name, lines(ps))
			}
			mdSeen[name] = true
			delete(requested, name)
			continue
		}
		if !mdSeen[name] {
			t.Fatalf("value of %s before any metadata of it:\n%s", name, lines(ps))
		}
		if requested[name] {
			t.Fatalf("requested metadata of %s not sent with its value:\n%s", name, lines(ps))
		}
	}
}
