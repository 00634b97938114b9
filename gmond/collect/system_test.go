package collect

import (
	"runtime"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

func TestSystemAndCPUInfo(t *testing.T) {
	tests := []struct {
		fixture     string
		nums        map[string]float64
		arch, osrel string
	}{
		{
			// eth0 1500 and docker0 1400 are up; lo, the down ifb0 (576
			// would win otherwise) and wg0 do not count.
			fixture: "x86_kvm",
			nums:    map[string]float64{"boottime": 1795300688, "sys_clock": 1795302993, "mtu": 1400, "cpu_num": 2, "cpu_speed": 2599},
			arch:    "x86_64", osrel: "6.18.44-fc-v669",
		},
		{
			// POWER: "clock : 3450.000000MHz"; every POWER flavour is
			// "powerpc" for libmetrics.
			fixture: "power9_lpar",
			nums:    map[string]float64{"boottime": 1790000000, "sys_clock": 1795302993, "mtu": 1500, "cpu_num": 16, "cpu_speed": 3450},
			arch:    "powerpc", osrel: "5.14.0-427.13.1.el9_4.ppc64le",
		},
		{
			// cpufreq's scaling_max_freq (kHz) wins over /proc/cpuinfo;
			// without the sysfs CPU list the cpuN lines of /proc/stat count;
			// without /sys/class/net there is no mtu; without
			// /proc/sys/kernel/arch the build architecture names the machine.
			fixture: "rhel4_cpufreq",
			nums:    map[string]float64{"boottime": 1200000000, "sys_clock": 1795302993, "cpu_num": 4, "cpu_speed": 2400},
			arch:    stockArch(goarchToUname(runtime.GOARCH)), osrel: "2.6.9-89.ELsmp",
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			cs := linuxAt(t, "testdata/linux/"+tt.fixture)
			got := collectMap(t, byName(t, cs, "system"), t0)
			for name, v := range collectMap(t, byName(t, cs, "cpuinfo"), t0) {
				got[name] = v
			}
			strs := map[string]string{"machine_type": tt.arch, "os_name": "Linux", "os_release": tt.osrel}
			for name, want := range strs {
				if got[name].Str != want {
					t.Errorf("%s = %q, want %q", name, got[name].Str, want)
				}
				delete(got, name)
			}
			wantNums(t, got, tt.nums)
		})
	}
}

func TestCPUSpeedAndCount(t *testing.T) {
	// cpuinfo_max_freq is the last resort, when cpuinfo has no clock.
	dir := t.TempDir()
	writeFile(t, dir, "/proc/cpuinfo", "processor : 0\nmodel name : ARMv8\n")
	writeFile(t, dir, cpuinfoMaxFreq, "1800000\n")
	writeFile(t, dir, cpuOnline, "0-3,6,8-9\n")
	c := &cpuInfoCollector{root: linuxRoot(dir), log: newOnceLog(nil)}
	wantNums(t, collectMap(t, c, t0), map[string]float64{"cpu_num": 7, "cpu_speed": 1800})

	// Nothing to go by: both absent, not zero.
	c = &cpuInfoCollector{root: linuxRoot(t.TempDir()), log: newOnceLog(nil)}
	wantNums(t, collectMap(t, c, t0), map[string]float64{})

	for in, want := range map[string]int{"0": 1, "0-15": 16, "0,2,4-5\n": 4} {
		if n, ok := parseCPUList([]byte(in)); !ok || n != want {
			t.Errorf("parseCPUList(%q) = %d, %v; want %d", in, n, ok, want)
		}
	}
	for _, bad := range []string{"", "3-1", "a", "1,,2"} {
		if n, ok := parseCPUList([]byte(bad)); ok {
			t.Errorf("parseCPUList(%q) = %d, true; want failure", bad, n)
		}
	}
}

func TestStockArch(t *testing.T) {
	for in, want := range map[string]string{
		"x86_64": "x86_64", "i686": "x86", "i386": "x86", "ppc64le": "powerpc", "ppc64": "powerpc",
		"aarch64": "aarch64", "armv7l": "arm", "s390x": "s390", "riscv64": "riscv64",
	} {
		if got := stockArch(in); got != want {
			t.Errorf("stockArch(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCore(t *testing.T) {
	loc := "1,2,3"
	c := NewCore(t0, false, func() string { return loc })
	check := func(wantLoc, wantGexec string) {
		t.Helper()
		got := collectMap(t, c, t0.Add(3600e9))
		want := map[string]metric.Value{"heartbeat": metric.Num(1795302993), "location": metric.Str(wantLoc), "gexec": metric.Str(wantGexec)}
		if len(got) != len(want) {
			t.Fatalf("core readings %v", got)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %+v, want %+v", k, got[k], v)
			}
		}
	}
	check("1,2,3", "OFF")
	loc = "9009-42A,rack 4" // after an LPM move
	check("9009-42A,rack 4", "OFF")
	c = NewCore(t0, true, func() string { return loc })
	check("9009-42A,rack 4", "ON")

	names := defNames(c.Defs())
	if len(names) != 3 || names[0] != "heartbeat" || names[1] != "location" || names[2] != "gexec" {
		t.Errorf("core Defs = %v", names)
	}
}
