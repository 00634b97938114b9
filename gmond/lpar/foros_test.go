package lpar

import (
	"slices"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

func TestForOS(t *testing.T) {
	tests := []struct {
		goos, tree string
		names      []string
		resetters  []string
		missing    []string // table metrics no collector provides
		log        string
	}{
		{"linux", "linux/shared_t0", []string{"lparcfg", "lpar-info", "lpar-disk"}, []string{"lparcfg", "lpar-disk"}, nil, ""},
		{"linux", "linux/powernv", []string{"lpar-info"}, nil, nil, "not a PowerVM partition"},
		{"linux", "linux/x86", nil, nil, nil, "no LPAR data source"},
		{"aix", "aix/shared_auth", []string{"lparstat-i", "lparstat", "aix-lpar-info"}, nil,
			[]string{mDiskIOPS, mDiskRead, mDiskWrite}, ""},
		{"freebsd", "linux/shared_t0", nil, nil, nil, "no LPAR data source"},
	}
	for _, tt := range tests {
		log, buf := testLogger()
		cs := ForOS(tt.goos, fixture(tt.tree), log)
		var names, resetters []string
		provided := map[string]string{}
		for _, c := range cs {
			names = append(names, c.Name())
			if _, ok := c.(metric.Resetter); ok {
				resetters = append(resetters, c.Name())
			}
			for _, d := range c.Defs() {
				if other, dup := provided[d.Name]; dup {
					t.Errorf("%s: %s provided by %s and %s", tt.tree, d.Name, other, c.Name())
				}
				provided[d.Name] = c.Name()
				if d != defByName(t, tt.goos, d.Name) {
					t.Errorf("%s: %s's def of %s differs from the table", tt.tree, c.Name(), d.Name)
				}
			}
		}
		if !slices.Equal(names, tt.names) || !slices.Equal(resetters, tt.resetters) {
			t.Errorf("%s %s: collectors %v resetters %v, want %v %v", tt.goos, tt.tree, names, resetters, tt.names, tt.resetters)
		}
		if len(tt.names) == 3 {
			for _, d := range table {
				if _, ok := provided[d.Name]; !ok && !slices.Contains(tt.missing, d.Name) {
					t.Errorf("%s: no collector provides %s", tt.goos, d.Name)
				}
			}
		}
		if tt.log == "" {
			if buf.Len() != 0 {
				t.Errorf("%s: unexpected log:\n%s", tt.tree, buf)
			}
		} else if lines(buf, tt.log) != 1 || lines(buf, "level=INFO") != 1 {
			t.Errorf("%s: want one Info line with %q, got:\n%s", tt.tree, tt.log, buf)
		}
	}
	if cs := ForOS("linux", fixture("linux/x86"), nil); len(cs) != 0 {
		t.Errorf("nil logger: %d collectors", len(cs))
	}
}

// TestForOSLinuxEndToEnd runs the Linux collectors over two reads 30 s
// apart, the way the scheduler calls them.
func TestForOSLinuxEndToEnd(t *testing.T) {
	cs := ForOS("linux", fixture("linux/shared_t0"), nil)
	for _, c := range cs {
		collect(t, c, t0)
	}
	lc := cs[0].(*lparcfgCollector)
	lc.root = fixture("linux/shared_t1")
	got := collect(t, lc, t0.Add(30e9))
	check(t, "lparcfg", got, map[string]string{mCPUUsed: "0.8000", mCPUEC: "160.00", mPoolIdle: "11.5200"}, nil)
}
