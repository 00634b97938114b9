package loadgen

import (
	"errors"
	"net/netip"
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Target
		ok   bool
	}{
		{"127.0.0.1:8649", Target{Addr: "127.0.0.1:8649"}, true},
		{"localhost:8301=0-999", Target{Addr: "localhost:8301", First: 0, End: 1000}, true},
		{"127.0.0.1:8302=1000-1000", Target{Addr: "127.0.0.1:8302", First: 1000, End: 1001}, true},
		{"127.0.0.1", Target{}, false},
		{"127.0.0.1:8649=5", Target{}, false},
		{"127.0.0.1:8649=5-4", Target{}, false},
		{"127.0.0.1:8649=-1-4", Target{}, false},
		{"127.0.0.1:8649=a-b", Target{}, false},
	} {
		got, err := ParseTarget(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrConfig) {
			t.Errorf("ParseTarget(%q) error %v is not ErrConfig", tc.in, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	one := []Target{{Addr: "127.0.0.1:8649"}}
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"no hosts", Config{Metrics: 1, Targets: one}},
		{"negative metrics", Config{Hosts: 1, Metrics: -1, Targets: one}},
		{"negative interval", Config{Hosts: 1, Interval: -time.Second, Targets: one}},
		{"no target", Config{Hosts: 1}},
		{"bad target", Config{Hosts: 1, Targets: []Target{{Addr: "127.0.0.1:notaport"}}}},
		{"range past the fleet", Config{Hosts: 4, Targets: []Target{{Addr: "127.0.0.1:1", First: 2, End: 5}}}},
		{"empty range", Config{Hosts: 4, Targets: []Target{{Addr: "127.0.0.1:1", First: 3, End: 3}}}},
		{"host without target", Config{Hosts: 4, Targets: []Target{{Addr: "127.0.0.1:1", End: 3}}}},
		{"IPv6 source", Config{Hosts: 1, Targets: one, SourceBase: netip.MustParseAddr("::1")}},
		{"source overflow", Config{Hosts: 2, Targets: one, SourceBase: netip.MustParseAddr("255.255.255.255")}},
	} {
		if _, err := newGenerator(tc.cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", tc.name, err)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	g, _ := newRecorded(t, Config{Hosts: 10000, Metrics: 50, Targets: []Target{
		{Addr: "127.0.0.1:8301", End: 5000}, {Addr: "127.0.0.1:8302", First: 5000},
	}})
	c := g.cfg
	if c.Interval != 15*time.Second || c.MetadataInterval != time.Minute || c.SourceBase != DefaultSourceBase || c.Tick != minTick {
		t.Errorf("defaults: interval %v, metadata %v, source %v, tick %v", c.Interval, c.MetadataInterval, c.SourceBase, c.Tick)
	}
	if a := g.Addr(9999); a != netip.MustParseAddr("127.1.39.16") || g.Name(9999) != "127.1.39.16" {
		t.Errorf("host 9999 = %v %q, want 127.1.39.16 named after its address", a, g.Name(9999))
	}
	if d := g.hosts[4999].dst; len(d) != 1 || d[0].Port() != 8301 {
		t.Errorf("host 4999 sends to %v", d)
	}
	if d := g.hosts[5000].dst; len(d) != 1 || d[0].Port() != 8302 {
		t.Errorf("host 5000 sends to %v", d)
	}
	if &g.hosts[0].dst[0] != &g.hosts[4999].dst[0] {
		t.Error("hosts with the same targets should share one slice")
	}
}
