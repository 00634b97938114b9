package collect

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Files cpu_speed is read from, in libmetrics' order of preference; the
// last one is our addition for kernels whose governor hides scaling_max_freq.
const (
	scalingMaxFreq = "/sys/devices/system/cpu/cpu0/cpufreq/scaling_max_freq"
	cpuinfoMaxFreq = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"
	cpuOnline      = "/sys/devices/system/cpu/online"
)

// cpuInfoCollector provides cpu_num and cpu_speed. They hardly change, so
// they live apart from the cpu collector that the 20-second group calls.
type cpuInfoCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *cpuInfoCollector) Name() string { return "cpuinfo" }

func (c *cpuInfoCollector) Defs() []metric.Def { return defsOf("cpu_num", "cpu_speed") }

func (c *cpuInfoCollector) Collect(time.Time) ([]metric.Reading, error) {
	var out []metric.Reading
	if n, ok := c.cpuNum(); ok {
		out = append(out, metric.Reading{Name: "cpu_num", Value: metric.Num(float64(n))})
	} else {
		c.log.warn("cpu_num", "cpu_num: no online CPU list", "file", cpuOnline)
	}
	if mhz, ok := c.cpuSpeed(); ok {
		out = append(out, metric.Reading{Name: "cpu_speed", Value: metric.Num(float64(mhz))})
	} else {
		c.log.warn("cpu_speed", "cpu_speed: no clock rate in cpufreq or /proc/cpuinfo")
	}
	return out, nil
}

// cpuNum counts the online processors, which is what libmetrics'
// get_nprocs() returns: glibc reads the same sysfs list. /proc/stat's
// per-CPU lines, which also list the online processors, are the fallback.
func (c *cpuInfoCollector) cpuNum() (int, bool) {
	if b, err := c.root.ReadFile(cpuOnline); err == nil {
		if n, ok := parseCPUList(b); ok {
			return n, true
		}
	}
	b, err := c.root.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	ps, err := parseProcStat(b)
	if err != nil || ps.cpuLines == 0 {
		return 0, false
	}
	return ps.cpuLines, true
}

func (c *cpuInfoCollector) cpuSpeed() (uint64, bool) {
	if khz, ok := readSysUint(c.root, scalingMaxFreq); ok && khz >= 1000 {
		return khz / 1000, true
	}
	if b, err := c.root.ReadFile("/proc/cpuinfo"); err == nil {
		if mhz, ok := parseCPUInfoMHz(b); ok {
			return mhz, true
		}
	}
	if khz, ok := readSysUint(c.root, cpuinfoMaxFreq); ok && khz >= 1000 {
		return khz / 1000, true
	}
	return 0, false
}

// parseCPUList counts the CPUs of a sysfs list such as "0-3,8,10-11".
func parseCPUList(b []byte) (int, bool) {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return 0, false
	}
	n := 0
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return 0, false
		}
		z := a
		if isRange {
			if z, err = strconv.Atoi(hi); err != nil || z < a {
				return 0, false
			}
		}
		n += z - a + 1
	}
	return n, n > 0
}

// parseCPUInfoMHz finds the clock rate in /proc/cpuinfo: "cpu MHz : 2596.102"
// on x86 and "clock : 3450.000000MHz" on POWER. The integer part is taken, as
// strtol does in libmetrics.
func parseCPUInfoMHz(b []byte) (uint64, bool) {
	for _, want := range []string{"cpu MHz", "clock"} {
		for rest := b; len(rest) > 0; {
			var line []byte
			line, rest, _ = bytes.Cut(rest, []byte{'\n'})
			key, val, ok := bytes.Cut(line, []byte{':'})
			if !ok || string(bytes.TrimSpace(key)) != want {
				continue
			}
			if v, ok := leadingDigits(bytes.TrimSpace(val)); ok && v > 0 {
				return v, true
			}
		}
	}
	return 0, false
}

// leadingUint parses the decimal digits at the start of b.
func leadingDigits(b []byte) (uint64, bool) {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	v, err := strconv.ParseUint(string(b[:i]), 10, 64)
	return v, err == nil
}

// readUint reads a sysfs file holding one unsigned number.
func readSysUint(root sysroot.Root, name string) (uint64, bool) {
	b, err := root.ReadFile(name)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(string(bytes.TrimSpace(b)), 10, 64)
	return v, err == nil
}
