package collect

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixSystemCollector provides the metrics that hardly change: cpu_num,
// cpu_speed, boottime, machine_type, os_name, os_release and sys_clock.
// Each comes from its own command; one that fails leaves out only its
// metrics.
type aixSystemCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *aixSystemCollector) Name() string { return "aix_system" }

func (c *aixSystemCollector) Defs() []metric.Def {
	return defsOf("cpu_num", "cpu_speed", "boottime", "machine_type", "os_name", "os_release", "sys_clock")
}

func (c *aixSystemCollector) Collect(now time.Time) ([]metric.Reading, error) {
	var out aixReadings
	// The since-boot report of vmstat does not block and its configuration
	// line counts the logical CPUs (SMT threads), which is what libmetrics
	// reported from perfstat_cpu_total's ncpus.
	if b, err := aixRun(c.root, c.log, "vmstat"); err == nil {
		if v, err := parseAIXVmstat(b); err == nil && v.hasLcpu {
			out.num("cpu_num", float64(v.lcpu))
		}
	}
	if mhz, ok := c.cpuSpeed(); ok {
		out.num("cpu_speed", float64(mhz))
	}
	if b, err := aixRun(c.root, c.log, "ps", "-p", "1", "-o", "etime"); err == nil {
		if up, ok := parseAIXEtime(b); ok && up <= now.Unix() {
			out.num("boottime", float64(now.Unix()-up))
		}
	}
	// uname -p says "powerpc", the machine_type Linux on the same POWER
	// hardware reports, so one fleet shows one architecture.
	if b, err := aixRun(c.root, c.log, "uname", "-p"); err == nil {
		if p := strings.TrimSpace(string(b)); p != "" && !strings.ContainsAny(p, " \n") {
			out.str("machine_type", p)
		}
	}
	if b, err := aixRun(c.root, c.log, "uname", "-a"); err == nil {
		if name, rel, ok := parseAIXUname(b); ok {
			out.str("os_name", name)
			out.str("os_release", rel)
		}
	}
	out.num("sys_clock", float64(now.Unix()))
	return out, nil
}

// cpuSpeed reads the processor frequency from the ODM. proc0 exists on
// nearly every LPAR; when DLPAR has removed it, lsdev names the first
// processor that is there.
func (c *aixSystemCollector) cpuSpeed() (uint64, bool) {
	b, err := c.root.Command("lsattr", "-El", "proc0", "-a", "frequency")
	if err != nil {
		lb, lerr := aixRun(c.root, c.log, "lsdev", "-Cc", "processor", "-S", "Available", "-F", "name")
		if lerr != nil {
			return 0, false
		}
		proc := ""
		if f := strings.Fields(string(lb)); len(f) > 0 {
			proc = f[0]
		}
		if proc == "" || strings.ContainsAny(proc, "/") {
			return 0, false
		}
		if b, err = aixRun(c.root, c.log, "lsattr", "-El", proc, "-a", "frequency"); err != nil {
			return 0, false
		}
	}
	hz, ok := aixAttr(b, "frequency")
	if !ok {
		return 0, false
	}
	n, ok := aixUint(hz)
	if !ok || n < 1e6 {
		return 0, false
	}
	// libmetrics divides perfstat's processorHZ the same way: truncating.
	return n / 1e6, true
}

// aixAttr returns the value of attribute attr in `lsattr -El dev -a attr`
// output: "frequency 3800000000 Processor Speed False".
func aixAttr(b []byte, attr string) (string, bool) {
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == attr {
			return f[1], true
		}
	}
	return "", false
}

// parseAIXUname returns os_name and os_release from `uname -a`, which on
// AIX prints "sysname nodename release version machineid":
//
//	AIX aixlpar01 2 7 00F8A1B24C00
//
// os_release is "version.release", e.g. "7.2", the level the base system
// names itself by (`oslevel -s` is a slow ODM query; the ibmpower oslevel
// metric carries it).
func parseAIXUname(b []byte) (string, string, bool) {
	f := strings.Fields(string(b))
	if len(f) < 4 {
		return "", "", false
	}
	if _, ok := aixUint(f[2]); !ok {
		return "", "", false
	}
	if _, ok := aixUint(f[3]); !ok {
		return "", "", false
	}
	return f[0], f[3] + "." + f[2], true
}

var errEtime = errors.New("ps: malformed elapsed time")

// parseAIXEtime returns the seconds in the ELAPSED column of
// `ps -p 1 -o etime`, "[[dd-]hh:]mm:ss": init's age, which is the time
// since boot to within the seconds init takes to start.
func parseAIXEtime(b []byte) (int64, bool) {
	for _, line := range aixLines(b) {
		s := strings.TrimSpace(line)
		if s == "" || s == "ELAPSED" {
			continue
		}
		n, err := aixElapsed(s)
		return n, err == nil
	}
	return 0, false
}

func aixElapsed(s string) (int64, error) {
	var days int64
	if d, rest, ok := strings.Cut(s, "-"); ok {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil || n < 0 || n > 1e6 {
			return 0, errEtime
		}
		days, s = n, rest
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, errEtime
	}
	var secs int64
	for i, p := range parts {
		n, ok := aixUint(p)
		if !ok || len(p) > 2 || i > 0 && n > 59 {
			return 0, errEtime
		}
		secs = secs*60 + int64(n)
	}
	return days*86400 + secs, nil
}
