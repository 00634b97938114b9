//go:build linux

package collect

import (
	"bytes"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
	"golang.org/x/sys/unix"
)

// TestLiveMachine runs the Linux collectors on the machine the tests run
// on: every metric of the default collection groups must come out, within
// plausible bounds, and encode with its Def.
func TestLiveMachine(t *testing.T) {
	cs := Linux(sysroot.New("/"), nil)
	now := time.Now()
	for _, c := range cs {
		if _, err := c.Collect(now); err != nil {
			t.Fatalf("%s: %v", c.Name(), err)
		}
	}
	got := map[string]metric.Value{}
	defs := map[string]metric.Def{}
	for _, c := range cs {
		for _, d := range c.Defs() {
			defs[d.Name] = d
		}
		// The second round has an interval for the rates.
		for name, v := range collectMap(t, c, now.Add(20*time.Second)) {
			got[name] = v
		}
	}
	for name, v := range got {
		d, ok := defs[name]
		if !ok {
			t.Errorf("%s has no Def", name)
			continue
		}
		if _, _, err := d.XDR(v); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	// The default groups of gmond.conf (PROTOCOL.md §6), minus the core
	// metrics, plus sys_clock which needs nothing but a clock.
	for _, name := range []string{
		"cpu_num", "cpu_speed", "mem_total", "swap_total", "boottime", "machine_type", "os_name", "os_release",
		"cpu_user", "cpu_system", "cpu_idle", "cpu_nice", "cpu_aidle", "cpu_wio",
		"load_one", "load_five", "load_fifteen", "proc_run", "proc_total",
		"mem_free", "mem_shared", "mem_buffers", "mem_cached", "swap_free",
		"bytes_out", "bytes_in", "pkts_in", "pkts_out", "disk_total", "disk_free", "part_max_used", "sys_clock",
	} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s missing on this machine", name)
		}
	}
	for _, name := range []string{"cpu_steal", "cpu_intr", "cpu_sintr", "mem_sreclaimable", "mtu"} {
		if _, ok := got[name]; !ok {
			t.Logf("%s not available on this machine", name)
		}
	}

	n := func(name string) float64 { return got[name].Num }
	in := func(name string, lo, hi float64) {
		t.Helper()
		if v, ok := got[name]; ok && (v.Num < lo || v.Num > hi) {
			t.Errorf("%s = %v, outside [%v, %v]", name, v.Num, lo, hi)
		}
	}
	for _, name := range []string{"cpu_user", "cpu_system", "cpu_idle", "cpu_nice", "cpu_aidle", "cpu_wio", "cpu_steal", "cpu_intr", "cpu_sintr", "part_max_used"} {
		in(name, 0, 100)
	}
	if sum := n("cpu_user") + n("cpu_nice") + n("cpu_system") + n("cpu_idle") + n("cpu_wio") + n("cpu_steal"); sum < 99 || sum > 101 {
		t.Errorf("cpu percentages add up to %v", sum)
	}
	in("cpu_num", 1, 65535)
	in("cpu_speed", 1, 100000)
	in("mem_total", 1024, 1<<40)
	in("mem_free", 0, n("mem_total"))
	in("swap_free", 0, n("swap_total"))
	in("proc_total", 1, 1<<22)
	in("proc_run", 0, n("proc_total"))
	in("load_one", 0, 1e5)
	in("boottime", 1e9, float64(now.Unix()))
	in("sys_clock", float64(now.Unix()), float64(now.Unix()+20))
	in("disk_total", 1e-3, 1e7)
	in("disk_free", 0, n("disk_total"))
	in("mtu", 68, 65536)
	for _, name := range []string{"bytes_in", "bytes_out", "pkts_in", "pkts_out"} {
		in(name, 0, 1e13)
	}

	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	if rel := string(bytes.TrimRight(u.Release[:], "\x00")); got["os_release"].Str != rel {
		t.Errorf("os_release = %q, uname says %q", got["os_release"].Str, rel)
	}
	if mach := stockArch(string(bytes.TrimRight(u.Machine[:], "\x00"))); got["machine_type"].Str != mach {
		t.Errorf("machine_type = %q, want %q", got["machine_type"].Str, mach)
	}
	if got["os_name"].Str != "Linux" {
		t.Errorf("os_name = %q", got["os_name"].Str)
	}
}

// BenchmarkLinuxCollect measures each Linux collector on this machine:
// the agent's own cost per collection.
func BenchmarkLinuxCollect(b *testing.B) {
	for _, c := range Linux(sysroot.New("/"), nil) {
		b.Run(c.Name(), func(b *testing.B) {
			now := time.Now()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := c.Collect(now.Add(time.Duration(i) * time.Second)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
