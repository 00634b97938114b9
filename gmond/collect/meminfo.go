package collect

import (
	"bytes"
	"strconv"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// memCollector reads /proc/meminfo. Every value is in KiB as the kernel
// prints it ("MemTotal:  24684084 kB"), which is what gmond sends as "KB".
type memCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *memCollector) Name() string { return "meminfo" }

func (c *memCollector) Defs() []metric.Def {
	return defsOf("mem_total", "swap_total", "mem_free", "mem_shared", "mem_buffers",
		"mem_cached", "swap_free", "mem_sreclaimable")
}

// memFields maps each metric to the /proc/meminfo keys it is read from, the
// first present one winning. libmetrics reads mem_shared from "MemShared",
// which Linux 2.5.52 removed, so stock gmond sends 0 on every kernel since;
// we fall back to "Shmem" (tmpfs and SysV shared memory), the value the
// name promises.
var memFields = []struct {
	metric string
	keys   []string
}{
	{"mem_total", []string{"MemTotal"}},
	{"swap_total", []string{"SwapTotal"}},
	{"mem_free", []string{"MemFree"}},
	{"mem_shared", []string{"MemShared", "Shmem"}},
	{"mem_buffers", []string{"Buffers"}},
	{"mem_cached", []string{"Cached"}},
	{"swap_free", []string{"SwapFree"}},
	{"mem_sreclaimable", []string{"SReclaimable"}},
}

func (c *memCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile("/proc/meminfo")
	if err != nil {
		return nil, err
	}
	mi := parseMeminfo(b)
	out := make([]metric.Reading, 0, len(memFields))
	for _, f := range memFields {
		v, ok := firstOf(mi, f.keys)
		if !ok {
			c.log.warn(f.metric, "/proc/meminfo lacks the field", "metric", f.metric, "field", f.keys[0])
			continue
		}
		out = append(out, metric.Reading{Name: f.metric, Value: metric.Num(v)})
	}
	return out, nil
}

func firstOf(mi map[string]float64, keys []string) (float64, bool) {
	for _, k := range keys {
		if v, ok := mi[k]; ok {
			return v, true
		}
	}
	return 0, false
}

// parseMeminfo parses /proc/meminfo into key → value (the number before
// the unit). Lines it cannot read are skipped: the kernel adds fields over
// time and the agent needs only a few.
func parseMeminfo(b []byte) map[string]float64 {
	out := make(map[string]float64, 64)
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 {
			continue
		}
		v, err := strconv.ParseUint(string(f[0]), 10, 64)
		if err != nil {
			continue
		}
		out[string(bytes.TrimSpace(key))] = float64(v)
	}
	return out
}
