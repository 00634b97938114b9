package collect

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixTree is a fixture machine whose command outputs can be switched from
// one sample directory to the next between collections, and which counts
// the command lines it answered.
type aixTree struct {
	dir   string
	calls map[string]int
}

func newAIXTree(dir string) *aixTree { return &aixTree{dir: dir, calls: make(map[string]int)} }

func (a *aixTree) root() sysroot.Root {
	return sysroot.Root{Dir: a.dir, Run: func(_ context.Context, name string, args ...string) ([]byte, error) {
		a.calls[strings.Join(append([]string{name}, args...), " ")]++
		return sysroot.New(a.dir).Command(name, args...)
	}}
}

// collectAll runs every collector once and returns the readings by name,
// failing on a name read twice or a reading no collector defines.
func aixCollectAll(t *testing.T, cs []metric.Collector, now time.Time) map[string]metric.Value {
	t.Helper()
	got := make(map[string]metric.Value)
	for _, c := range cs {
		rs, err := c.Collect(now)
		if err != nil {
			t.Fatalf("%s: Collect: %v", c.Name(), err)
		}
		defs := make(map[string]metric.Def)
		for _, d := range c.Defs() {
			defs[d.Name] = d
		}
		for _, r := range rs {
			if _, dup := got[r.Name]; dup {
				t.Errorf("%s: %s read twice", c.Name(), r.Name)
			}
			d, ok := defs[r.Name]
			if !ok {
				t.Errorf("%s: reading %s has no definition in Defs()", c.Name(), r.Name)
			}
			if (d.Type == metric.String) != (r.Value.Str != "") {
				t.Errorf("%s: %s of type %s read as %+v", c.Name(), r.Name, d.Type, r.Value)
			}
			got[r.Name] = r.Value
		}
	}
	return got
}

// checkValues compares readings with want (float64 or string values).
// Every wanted metric must be there and nothing else may be.
func aixCheckValues(t *testing.T, got map[string]metric.Value, want map[string]any) {
	t.Helper()
	for name, w := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		switch w := w.(type) {
		case string:
			if g.Str != w {
				t.Errorf("%s = %q, want %q", name, g.Str, w)
			}
		case float64:
			if !aixApprox(g.Num, w) {
				t.Errorf("%s = %v, want %v", name, g.Num, w)
			}
		}
	}
	var extra []string
	for name := range got {
		if _, ok := want[name]; !ok {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	if len(extra) > 0 {
		t.Errorf("unexpected readings: %v", extra)
	}
}

func aixApprox(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// TestAIXCollection collects the whole standard set twice from the
// lpar72 fixture tree (an AIX 7.2 shared LPAR with an EtherChannel of
// ent0+ent1 under en2 and a virtual adapter under en3), 40 s apart.
func TestAIXCollection(t *testing.T) {
	tree := newAIXTree("testdata/aix/lpar72/t0")
	cs := AIX(tree.root(), nil)
	t0 := time.Date(2024, 1, 15, 10, 15, 0, 0, time.UTC)
	boot := float64(t0.Unix() - (12*86400 + 3*3600 + 4*60 + 5))

	static := map[string]any{
		"cpu_num": 16.0, "cpu_speed": 3450.0, "boottime": boot,
		"machine_type": "powerpc", "os_name": "AIX", "os_release": "7.2",
		"cpu_aidle": 90.0,
		"mem_total": 4194304.0 * 4, "mem_cached": 866871.0 * 4,
		"mem_shared": (4096.0 + 268435456 + 33554432 + 1048576) / 1024,
		"swap_total": 4096.0 * 1024,
		"disk_total": 65929216.0 * 1024 / 1e9, "disk_free": 15122984.0 * 1024 / 1e9,
		"part_max_used": 84.0, "mtu": 1500.0,
	}
	want := map[string]any{
		"sys_clock": float64(t0.Unix()),
		"cpu_user":  12.0, "cpu_system": 4.0, "cpu_idle": 83.0, "cpu_wio": 1.0,
		"load_one": 1.23, "load_five": 1.10, "load_fifteen": 0.98,
		"proc_run": 2.0, "proc_total": 87.0,
		"mem_free": 1859133.0 * 4, "swap_free": 4096.0 * 1024 * 0.97,
	}
	for k, v := range static {
		want[k] = v
	}
	aixCheckValues(t, aixCollectAll(t, cs, t0), want)

	tree.dir = "testdata/aix/lpar72/t1"
	t1 := t0.Add(40 * time.Second)
	want = map[string]any{
		"sys_clock": float64(t1.Unix()),
		"cpu_user":  20.0, "cpu_system": 5.0, "cpu_idle": 74.0, "cpu_wio": 1.0,
		"load_one": 1.41, "load_five": 1.14, "load_fifteen": 0.99,
		"proc_run": 3.0, "proc_total": 89.0,
		"mem_free": 1858650.0 * 4, "swap_free": 4096.0 * 1024 * 0.96,
		// Host totals: en2 (the EtherChannel ent2) + en3 (ent3); lo0 and
		// the channel's members stay out.
		"bytes_in": (720020000.0 + 6000000) / 40, "bytes_out": (480040000.0 + 4000000) / 40,
		"pkts_in": (600200.0 + 12000) / 40, "pkts_out": (400400.0 + 8000) / 40,
		"bytes_in_en2": 720020000.0 / 40, "bytes_out_en2": 480040000.0 / 40,
		"pkts_in_en2": 600200.0 / 40, "pkts_out_en2": 400400.0 / 40,
		"bytes_in_en3": 6000000.0 / 40, "bytes_out_en3": 4000000.0 / 40,
		"pkts_in_en3": 12000.0 / 40, "pkts_out_en3": 8000.0 / 40,
		// The members show the imbalance: ent0 carries nearly everything.
		"bytes_in_ent0": 720000000.0 / 40, "bytes_out_ent0": 480000000.0 / 40,
		"pkts_in_ent0": 600000.0 / 40, "pkts_out_ent0": 400000.0 / 40,
		"bytes_in_ent1": 20000.0 / 40, "bytes_out_ent1": 40000.0 / 40,
		"pkts_in_ent1": 200.0 / 40, "pkts_out_ent1": 400.0 / 40,
	}
	for k, v := range static {
		want[k] = v
	}
	tree.calls = make(map[string]int)
	aixCheckValues(t, aixCollectAll(t, cs, t1), want)

	// cpu and process share one blocking vmstat per tick.
	if n := tree.calls["vmstat 1 1"]; n != 1 {
		t.Errorf("vmstat 1 1 ran %d times in one tick, want 1", n)
	}
}

// TestAIXDefs checks that every AIX collector announces standard
// definitions only, each exactly as the shared table has it, and that the
// metrics AIX cannot give are not announced.
func TestAIXDefs(t *testing.T) {
	tree := newAIXTree("testdata/aix/lpar72/t0")
	seen := make(map[string]bool)
	for _, c := range AIX(tree.root(), nil) {
		for _, d := range c.Defs() {
			if seen[d.Name] {
				t.Errorf("%s defined twice", d.Name)
			}
			seen[d.Name] = true
			std, ok := Lookup(d.Name)
			if !ok {
				std, ok = aixPerIfaceDef(d.Name)
			}
			if !ok {
				t.Errorf("%s: %s is not a standard metric", c.Name(), d.Name)
			} else if std != d {
				t.Errorf("%s: def %+v differs from the table's %+v", c.Name(), d, std)
			}
		}
		if _, ok := c.(metric.Resetter); ok != (c.Name() == "aix_network") {
			t.Errorf("%s: Resetter = %v", c.Name(), ok)
		}
	}
	for _, n := range []string{"cpu_nice", "cpu_steal", "cpu_intr", "cpu_sintr", "mem_buffers", "mem_sreclaimable"} {
		if seen[n] {
			t.Errorf("%s is announced but AIX cannot give it", n)
		}
	}
	// The network collector learns its interfaces when it is built.
	for _, n := range []string{"bytes_in_en2", "pkts_out_en3", "bytes_in_ent0", "bytes_in_ent1"} {
		if !seen[n] {
			t.Errorf("%s not announced", n)
		}
	}
	for _, n := range []string{"bytes_in_lo0", "bytes_in_ent2", "bytes_in_ent3"} {
		if seen[n] {
			t.Errorf("%s announced", n)
		}
	}
}

func aixPerIfaceDef(name string) (metric.Def, bool) {
	for _, p := range []string{"bytes_in_", "bytes_out_", "pkts_in_", "pkts_out_"} {
		if iface, ok := strings.CutPrefix(name, p); ok {
			for _, d := range PerInterfaceDefs(iface) {
				if d.Name == name {
					return d, true
				}
			}
		}
	}
	return metric.Def{}, false
}

// TestAIXMissingCommands runs the collectors on a machine that answers no
// command: nothing is made up, and only sys_clock, which needs no source,
// is read.
func TestAIXMissingCommands(t *testing.T) {
	root := sysroot.New(t.TempDir())
	now := time.Date(2024, 1, 15, 10, 15, 0, 0, time.UTC)
	for _, c := range AIX(root, nil) {
		rs, err := c.Collect(now)
		for _, r := range rs {
			if r.Name != "sys_clock" {
				t.Errorf("%s: read %s = %+v without any source", c.Name(), r.Name, r.Value)
			}
		}
		if c.Name() != "aix_system" && err == nil {
			t.Errorf("%s: no error without any source", c.Name())
		}
	}
}
