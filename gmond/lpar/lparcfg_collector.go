package lpar

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

const (
	lparcfgPath  = "/proc/ppc64/lparcfg"
	cpuinfoPath  = "/proc/cpuinfo"
	procStatPath = "/proc/stat"
	cpuOnline    = "/sys/devices/system/cpu/online"
)

// lparcfgMetrics are the metrics the Linux lparcfg collector provides.
var lparcfgMetrics = []string{
	mCPUUsed, mCPUEC, mPoolIdle, mEntitled, mInLPAR, mInMachine, mInPool, mInSysPool,
	mPoolID, mCapped, mSPLPAR, mLPAR, mSMT, mWeight, mLPARName, mLPARNum,
}

// lparcfgCollector reads /proc/ppc64/lparcfg once per call: the partition's
// configuration, and physc, %entc and pool idle from the PURR, timebase
// and pool_idle_time counters of this read and the previous one.
type lparcfgCollector struct {
	root  sysroot.Root
	notes *notes

	timebase float64   // Hz, from /proc/cpuinfo; needed only without tbr
	prev     *counters // baseline of the rates; nil after a reset
	prevStat *cpuTimes // baseline of the /proc/stat fallback
}

func newLparcfgCollector(root sysroot.Root, log *slog.Logger) *lparcfgCollector {
	return &lparcfgCollector{root: root, notes: newNotes(log, "lparcfg")}
}

// Name implements metric.Collector.
func (c *lparcfgCollector) Name() string { return "lparcfg" }

// Defs implements metric.Collector.
func (c *lparcfgCollector) Defs() []metric.Def { return pick("linux", lparcfgMetrics...) }

// ResetBaselines implements metric.Resetter: the next call computes no rate.
func (c *lparcfgCollector) ResetBaselines() {
	c.prev, c.prevStat = nil, nil
}

// Collect implements metric.Collector.
func (c *lparcfgCollector) Collect(now time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile(lparcfgPath)
	if err != nil {
		return nil, err
	}
	cfg, err := parseLparcfg(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lparcfgPath, err)
	}
	out := configReadings(cfg, c.logicalCPUs())
	if _, ok := cfg.str("partition_name"); !ok {
		// Older kernels print no partition_name; the device tree has it.
		if name, ok := c.deviceTreeString("/proc/device-tree/ibm,partition-name"); ok {
			out = append(out, text(mLPARName, name))
		}
	}
	c.notePool(cfg)
	return append(out, c.rates(cfg, now)...), nil
}

// rates computes cpu_used, cpu_ec and cpu_pool_idle against the baseline
// and makes this read the new baseline.
func (c *lparcfgCollector) rates(cfg lparcfg, now time.Time) []metric.Reading {
	cur := countersOf(cfg, now)
	prev := c.prev
	c.prev = &cur
	if prev != nil && !sameFrame(*prev, cur) {
		// LPM: the pool counters now belong to another frame's pool, and
		// whether PURR carries over is not known. Start again.
		c.notes.log.Info("partition moved to another frame; rate baselines reset",
			"from_serial", prev.serial, "from_type", prev.systemType,
			"to_serial", cur.serial, "to_type", cur.systemType)
		prev, c.prevStat = nil, nil
	}
	if !cur.hasTbr && c.timebase == 0 {
		c.timebase = c.readTimebase()
	}
	var out []metric.Reading
	used, ok := c.used(cfg, prev, cur)
	if ok {
		out = append(out, reading(mCPUUsed, used))
		if ent, have := cfg.uint("partition_entitled_capacity"); have {
			if pct, ok := entc(used, float64(ent)/100); ok {
				out = append(out, reading(mCPUEC, pct))
			}
		}
	}
	if prev != nil && cfg.shared() {
		if idle, ok := poolIdle(*prev, cur, c.timebase); ok {
			out = append(out, reading(mPoolIdle, idle))
		}
	}
	return out
}

// used returns the physical cores consumed: from PURR when the machine has
// a usable one, else (Perzl's fallback for PURR-less and old dedicated
// systems) virtual processors × the busy share of /proc/stat.
func (c *lparcfgCollector) used(cfg lparcfg, prev *counters, cur counters) (float64, bool) {
	if cur.hasPurr && purrUsable(cur.systemType) {
		c.prevStat = nil
		if prev == nil {
			return 0, false
		}
		return physc(*prev, cur, c.timebase)
	}
	c.notes.once("no-purr", "no usable PURR counter; cpu_used comes from /proc/stat idle time",
		"system_type", cur.systemType)
	b, err := c.root.ReadFile(procStatPath)
	if err != nil {
		return 0, false
	}
	t, ok := parseProcStatCPU(b)
	if !ok {
		return 0, false
	}
	prevStat := c.prevStat
	c.prevStat = &t
	vps, have := cfg.uint("partition_active_processors")
	if prevStat == nil || !have {
		return 0, false
	}
	busy, ok := busyFraction(*prevStat, t)
	return float64(vps) * busy, ok
}

// notePool logs once why the pool metrics are absent.
func (c *lparcfgCollector) notePool(cfg lparcfg) {
	switch {
	case !cfg.shared():
		c.notes.once("dedicated", "dedicated partition: shared pool metrics are not collected")
	case !cfg.poolAuthority():
		c.notes.once("no-pool-authority", "shared pool metrics unavailable: pool_idle_time and pool_num_procs read 0 "+
			"(enable \"Allow performance information collection\" for this partition on the HMC)")
	}
}

func (c *lparcfgCollector) readTimebase() float64 {
	b, err := c.root.ReadFile(cpuinfoPath)
	if err != nil {
		return 0
	}
	v, ok := cpuinfoValue(b, "timebase")
	if !ok {
		return 0
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		return 0
	}
	return f
}

func (c *lparcfgCollector) logicalCPUs() int {
	b, err := c.root.ReadFile(cpuOnline)
	if err != nil {
		return 0
	}
	n, _ := countCPUList(string(b))
	return n
}

func (c *lparcfgCollector) deviceTreeString(name string) (string, bool) {
	b, err := c.root.ReadFile(name)
	if err != nil {
		return "", false
	}
	s := dtString(b)
	return s, s != ""
}

func reading(name string, v float64) metric.Reading {
	return metric.Reading{Name: name, Value: metric.Num(v)}
}

func text(name, v string) metric.Reading {
	return metric.Reading{Name: name, Value: metric.Str(v)}
}
