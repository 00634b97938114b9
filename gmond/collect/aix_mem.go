package collect

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixPageKB is the unit of every page count `vmstat -v` prints.
const aixPageKB = 4

// aixMemCollector provides the memory and swap metrics: mem_total,
// mem_free and mem_cached from `vmstat -v` (libmetrics used perfstat's
// real_total, real_free and numperm, the same counters), mem_shared from
// the System V shared memory segments `ipcs -mb` lists, and swap_total
// and swap_free from `lsps -s`. mem_buffers is absent: AIX keeps file data
// only in the file cache that mem_cached already counts. ganglia-web's
// memory report needs mem_shared (it draws nothing without it) and does
// without mem_buffers.
type aixMemCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *aixMemCollector) Name() string { return "aix_memory" }

func (c *aixMemCollector) Defs() []metric.Def {
	return defsOf("mem_total", "swap_total", "mem_free", "mem_shared", "mem_cached", "swap_free")
}

func (c *aixMemCollector) Collect(time.Time) ([]metric.Reading, error) {
	var out aixReadings
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	if b, err := aixRun(c.root, c.log, "vmstat", "-v"); err != nil {
		keep(err)
	} else if v, err := parseAIXVmstatV(b); err != nil {
		keep(err)
	} else {
		out.num("mem_total", v.memory*aixPageKB)
		out.num("mem_free", v.free*aixPageKB)
		if v.hasFile {
			out.num("mem_cached", v.file*aixPageKB)
		}
	}
	if b, err := aixRun(c.root, c.log, "ipcs", "-mb"); err != nil {
		keep(err)
	} else if kb, err := parseAIXIpcsShm(b); err != nil {
		keep(err)
	} else {
		out.num("mem_shared", kb)
	}
	if b, err := aixRun(c.root, c.log, "lsps", "-s"); err != nil {
		keep(err)
	} else if total, used, err := parseAIXLsps(b); err != nil {
		keep(err)
	} else {
		out.num("swap_total", total)
		out.num("swap_free", total*(100-used)/100)
	}
	if len(out) == 0 {
		return nil, firstErr
	}
	return out, nil
}

var errLsps = errors.New("lsps -s: no size and percentage line")

// parseAIXLsps returns the paging space size in KB and the percentage
// used from `lsps -s`:
//
//	Total Paging Space   Percent Used
//	      4096MB               3%
//
// AIX prints whole percents, so swap_free moves in steps of 1% of the
// paging space; the exact page counts need libperfstat or root (svmon).
func parseAIXLsps(b []byte) (float64, float64, error) {
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		if len(f) != 2 || !strings.HasSuffix(f[1], "%") {
			continue
		}
		kb, ok := aixSizeKB(f[0])
		pct, pok := aixNum(strings.TrimSuffix(f[1], "%"))
		if !ok || !pok || pct > 100 {
			return 0, 0, errLsps
		}
		return kb, pct, nil
	}
	return 0, 0, errLsps
}

// aixSizeKB parses a size such as "4096MB", "2GB" or "512KB" into KB.
func aixSizeKB(s string) (float64, bool) {
	units := []struct {
		suffix string
		kb     float64
	}{{"KB", 1}, {"MB", 1024}, {"GB", 1024 * 1024}, {"TB", 1024 * 1024 * 1024}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, ok := aixNum(num)
			return n * u.kb, ok
		}
	}
	return 0, false
}

var errIpcs = errors.New("ipcs -mb: no SEGSZ column")

// parseAIXIpcsShm returns the total size in KB of the shared memory
// segments of `ipcs -mb`:
//
//	IPC status from /dev/mem as of Mon Jan 15 10:15:32 CST 2024
//	T        ID     KEY        MODE       OWNER    GROUP     SEGSZ
//	Shared Memory:
//	m   1048576 0x0100c05e --rw-------     root   system       1440
//
// SEGSZ is the last column of this listing, so it is taken from the right
// of each "m" line. No segment at all is a real 0.
func parseAIXIpcsShm(b []byte) (float64, error) {
	var header []string
	idx := -1
	var total float64
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case header == nil && f[0] == "T":
			header, idx = f, slices.Index(f, "SEGSZ")
		case header != nil && f[0] == "m":
			s, ok := aixColumn(header, f, idx, 1)
			if !ok {
				return 0, errIpcs
			}
			n, ok := aixNum(s)
			if !ok {
				return 0, errIpcs
			}
			total += n
		}
	}
	if idx < 0 {
		return 0, errIpcs
	}
	return total / 1024, nil
}
