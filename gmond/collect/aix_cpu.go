package collect

import (
	"errors"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixVmstatReuse is how old a `vmstat 1 1` report may be and still serve
// another collector: the cpu and process groups often fall due at the same
// tick, and one second of blocking is enough.
const aixVmstatReuse = 5 * time.Second

// aixVmstatSampler runs `vmstat 1 1` for the cpu and process collectors
// and shares the report between them. AIX has no cumulative CPU tick
// counters outside libperfstat (`vmstat -s` lists none), so the interval
// percentages come from vmstat itself, which blocks for its one-second
// interval: the cpu_* values describe that second, not the time since the
// previous collection as they do on Linux.
type aixVmstatSampler struct {
	root sysroot.Root
	last aixVmstat
	at   time.Time
	ok   bool
}

func (s *aixVmstatSampler) sample(log *onceLog, now time.Time) (aixVmstat, error) {
	if s.ok && !now.Before(s.at) && now.Sub(s.at) < aixVmstatReuse {
		return s.last, nil
	}
	b, err := aixRun(s.root, log, "vmstat", "1", "1")
	if err != nil {
		return aixVmstat{}, err
	}
	v, err := parseAIXVmstat(b)
	if err != nil {
		log.warn("aix:parse:vmstat", "cannot parse vmstat output", "err", err)
		return aixVmstat{}, err
	}
	log.clear("aix:parse:vmstat")
	s.last, s.at, s.ok = v, now, true
	return v, nil
}

// aixCPUCollector provides cpu_user, cpu_system, cpu_idle and cpu_wio from
// `vmstat 1 1`, and cpu_aidle from the since-boot report of a plain
// `vmstat`, which does not block.
type aixCPUCollector struct {
	root sysroot.Root
	log  *onceLog
	vm   *aixVmstatSampler
}

func (c *aixCPUCollector) Name() string { return "aix_cpu" }

func (c *aixCPUCollector) Defs() []metric.Def {
	return defsOf("cpu_user", "cpu_system", "cpu_idle", "cpu_aidle", "cpu_wio")
}

func (c *aixCPUCollector) Collect(now time.Time) ([]metric.Reading, error) {
	var out aixReadings
	v, errNow := c.vm.sample(c.log, now)
	if errNow == nil {
		out.num("cpu_user", v.user)
		out.num("cpu_system", v.sys)
		out.num("cpu_idle", v.idle)
		out.num("cpu_wio", v.wait)
	}
	b, errBoot := aixRun(c.root, c.log, "vmstat")
	if errBoot == nil {
		var boot aixVmstat
		if boot, errBoot = parseAIXVmstat(b); errBoot == nil {
			out.num("cpu_aidle", boot.idle)
		}
	}
	if errNow != nil && errBoot != nil {
		return nil, errNow
	}
	return out, nil
}

// aixLoadCollector provides the load averages from `uptime`.
type aixLoadCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *aixLoadCollector) Name() string { return "aix_load" }

func (c *aixLoadCollector) Defs() []metric.Def {
	return defsOf("load_one", "load_five", "load_fifteen")
}

func (c *aixLoadCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := aixRun(c.root, c.log, "uptime")
	if err != nil {
		return nil, err
	}
	la, err := parseAIXUptime(b)
	if err != nil {
		return nil, err
	}
	return []metric.Reading{
		aixReading("load_one", la[0]),
		aixReading("load_five", la[1]),
		aixReading("load_fifteen", la[2]),
	}, nil
}

var errUptime = errors.New("uptime: no load average")

// parseAIXUptime returns the three load averages of `uptime`:
//
//	10:15AM   up 12 days,   3:04,  2 users,  load average: 1.23, 1.10, 0.98
func parseAIXUptime(b []byte) ([3]float64, error) {
	var la [3]float64
	s := string(b)
	i := strings.Index(s, "load average")
	if i < 0 {
		return la, errUptime
	}
	_, rest, ok := strings.Cut(s[i:], ":")
	if !ok {
		return la, errUptime
	}
	f := strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
	if len(f) < 3 {
		return la, errUptime
	}
	for j := range la {
		n, ok := aixNum(f[j])
		if !ok {
			return la, errUptime
		}
		la[j] = n
	}
	return la, nil
}

// aixProcCollector provides proc_total, the processes `ps -A` lists
// (kernel processes included, as libmetrics' getprocs64 count has them),
// and proc_run, vmstat's r: the kernel threads on the run queues, which is
// what libmetrics counted on AIX by walking every thread.
type aixProcCollector struct {
	root sysroot.Root
	log  *onceLog
	vm   *aixVmstatSampler
}

func (c *aixProcCollector) Name() string { return "aix_proc" }

func (c *aixProcCollector) Defs() []metric.Def { return defsOf("proc_run", "proc_total") }

func (c *aixProcCollector) Collect(now time.Time) ([]metric.Reading, error) {
	var out aixReadings
	v, errRun := c.vm.sample(c.log, now)
	if errRun == nil {
		out.num("proc_run", v.run)
	}
	b, errTot := aixRun(c.root, c.log, "ps", "-A", "-o", "pid")
	if errTot == nil {
		if n := parseAIXPsCount(b); n > 0 {
			out.num("proc_total", float64(n))
		} else {
			errTot = errors.New("ps: no process listed")
		}
	}
	if errRun != nil && errTot != nil {
		return nil, errTot
	}
	return out, nil
}

// parseAIXPsCount counts the process lines of `ps -o pid`: every line that
// is a number, so the PID header (or its absence) does not matter.
func parseAIXPsCount(b []byte) int {
	n := 0
	for _, line := range aixLines(b) {
		if _, ok := aixUint(strings.TrimSpace(line)); ok {
			n++
		}
	}
	return n
}
