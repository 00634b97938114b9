package collect

import (
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// cpuCollector turns the jiffy counters of /proc/stat into the cpu_*
// percentages. Like libmetrics, the previous reading starts at zero, so the
// first Collect reports the averages since boot; later ones report the
// share of each state in the jiffies elapsed since the previous Collect.
// cpu_aidle is always idle/total since boot.
type cpuCollector struct {
	root sysroot.Root
	prev cpuTimes
	last []metric.Reading // the last interval's percentages
}

func newCPU(root sysroot.Root) *cpuCollector { return &cpuCollector{root: root} }

func (c *cpuCollector) Name() string { return "cpu" }

func (c *cpuCollector) Defs() []metric.Def {
	return defsOf("cpu_user", "cpu_system", "cpu_idle", "cpu_nice", "cpu_aidle",
		"cpu_wio", "cpu_steal", "cpu_intr", "cpu_sintr")
}

func (c *cpuCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile("/proc/stat")
	if err != nil {
		return nil, err
	}
	ps, err := parseProcStat(b)
	if err != nil {
		return nil, err
	}
	out := cpuPercent(c.prev, ps.cpu)
	switch {
	case out != nil:
		c.prev, c.last = ps.cpu, out
	case ps.cpu == c.prev:
		// Not one jiffy since the previous reading (two groups asking
		// within a tick): repeat the last interval, as libmetrics does,
		// and let the interval grow.
		out = slices.Clone(c.last)
	default:
		// A counter went backwards: no interval this time; the next one
		// starts here.
		c.prev, c.last = ps.cpu, nil
	}
	if tot := ps.cpu.total(); tot > 0 {
		out = append(out, metric.Reading{Name: "cpu_aidle",
			Value: metric.Num(jiffyPct(ps.cpu.v[stIdle], tot))})
	}
	return out, nil
}

// counterAdvanced reports whether every state counter is >= its previous
// value and the total moved.
func counterAdvanced(prev, cur cpuTimes) bool {
	for i := 0; i < cur.n; i++ {
		if cur.v[i] < prev.v[i] {
			return false
		}
	}
	return cur.total() > prev.total()
}

// cpuPercent returns the interval percentages between two readings, or
// nothing when the interval is empty or a counter went backwards. As in
// libmetrics, cpu_system includes the irq and softirq time that cpu_intr
// and cpu_sintr also report on their own, and each value is clamped to
// 0..100.
func cpuPercent(prev, cur cpuTimes) []metric.Reading {
	if !counterAdvanced(prev, cur) {
		return nil
	}
	dt := cur.total() - prev.total()
	d := func(i int) uint64 { return cur.v[i] - prev.v[i] }
	r := func(name string, delta uint64) metric.Reading {
		return metric.Reading{Name: name, Value: metric.Num(jiffyPct(delta, dt))}
	}
	out := []metric.Reading{r("cpu_user", d(stUser))}
	sys := d(stSystem)
	if cur.n > stIowait {
		sys += d(stIRQ) + d(stSoftIRQ)
	}
	out = append(out, r("cpu_system", sys), r("cpu_idle", d(stIdle)), r("cpu_nice", d(stNice)))
	if cur.n > stIowait { // Linux 2.6: iowait, irq, softirq
		out = append(out, r("cpu_wio", d(stIowait)))
	}
	if cur.n > stSteal {
		out = append(out, r("cpu_steal", d(stSteal)))
	}
	if cur.n > stIowait {
		out = append(out, r("cpu_intr", d(stIRQ)), r("cpu_sintr", d(stSoftIRQ)))
	}
	return out
}

func jiffyPct(part, whole uint64) float64 {
	if whole == 0 {
		return 0
	}
	p := float64(part) / float64(whole) * 100
	switch {
	case p > 100:
		return 100
	case p < 0:
		return 0
	}
	return p
}
