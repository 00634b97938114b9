package collect

import (
	"bytes"
	"errors"
	"strconv"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// loadCollector reads /proc/loadavg: "0.56 0.23 0.17 2/114 12345".
type loadCollector struct{ root sysroot.Root }

func (c *loadCollector) Name() string { return "loadavg" }

func (c *loadCollector) Defs() []metric.Def {
	return defsOf("load_one", "load_five", "load_fifteen", "proc_run", "proc_total")
}

func (c *loadCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile("/proc/loadavg")
	if err != nil {
		return nil, err
	}
	la, err := parseLoadavg(b)
	if err != nil {
		return nil, err
	}
	return []metric.Reading{
		{Name: "load_one", Value: metric.Num(la.one)},
		{Name: "load_five", Value: metric.Num(la.five)},
		{Name: "load_fifteen", Value: metric.Num(la.fifteen)},
		{Name: "proc_run", Value: metric.Num(float64(la.running))},
		{Name: "proc_total", Value: metric.Num(float64(la.total))},
	}, nil
}

type loadavg struct {
	one, five, fifteen float64
	running, total     uint64
}

var errLoadavg = errors.New("/proc/loadavg: malformed")

// parseLoadavg parses /proc/loadavg. proc_run leaves out the reading
// process itself, which the kernel always counts as runnable: libmetrics
// subtracts one for gmond, and so do we (never below zero).
func parseLoadavg(b []byte) (loadavg, error) {
	f := bytes.Fields(b)
	if len(f) < 4 {
		return loadavg{}, errLoadavg
	}
	var la loadavg
	var err error
	for i, dst := range []*float64{&la.one, &la.five, &la.fifteen} {
		if *dst, err = strconv.ParseFloat(string(f[i]), 64); err != nil {
			return loadavg{}, errLoadavg
		}
	}
	run, tot, ok := bytes.Cut(f[3], []byte{'/'})
	if !ok {
		return loadavg{}, errLoadavg
	}
	if la.running, err = strconv.ParseUint(string(run), 10, 64); err != nil {
		return loadavg{}, errLoadavg
	}
	if la.total, err = strconv.ParseUint(string(tot), 10, 64); err != nil {
		return loadavg{}, errLoadavg
	}
	if la.running > 0 {
		la.running--
	}
	return la, nil
}
