package lpar

import (
	"bytes"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

const (
	diskstatsPath = "/proc/diskstats"
	sysBlock      = "/sys/block"
	sectorBytes   = 512 // /proc/diskstats counts 512-byte sectors whatever the device's block size
)

// diskTotals is the sum over whole disks of one /proc/diskstats read.
type diskTotals struct {
	ios, readSectors, writeSectors uint64
}

// parseDiskstats sums reads+writes and sectors over the devices for which
// whole(name) is true. Lines too short to carry the write counters (the
// 2.4-era partition format) are skipped.
func parseDiskstats(b []byte, whole func(string) bool) (diskTotals, error) {
	var t diskTotals
	seen := false
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		f := strings.Fields(string(line))
		if len(f) < 10 {
			continue
		}
		var n [7]uint64 // reads, merged, sectors, ms, writes, merged, sectors
		ok := true
		for i := range n {
			v, err := strconv.ParseUint(f[3+i], 10, 64)
			if err != nil {
				ok = false
				break
			}
			n[i] = v
		}
		if !ok {
			continue
		}
		seen = true
		if !whole(f[2]) {
			continue
		}
		t.ios += n[0] + n[4]
		t.readSectors += n[2]
		t.writeSectors += n[6]
	}
	if !seen {
		return t, errors.New("diskstats: no device lines")
	}
	return t, nil
}

// countedDisk reports whether a device's I/O counts toward the totals: a
// whole disk (listed in /sys/block) that is not a stacked or memory device,
// whose I/O already shows on the disks below it (dm-, md) or is no disk I/O
// at all (loop, ram, zram). Perzl's module skips dm- and md the same way.
func countedDisk(blocks map[string]bool) func(string) bool {
	return func(name string) bool {
		for _, p := range []string{"dm-", "md", "loop", "ram", "zram"} {
			if strings.HasPrefix(name, p) {
				return false
			}
		}
		// /sys/block spells the "/" of names such as cciss/c0d0 as "!".
		return blocks[strings.ReplaceAll(name, "/", "!")]
	}
}

// diskCollector computes the module's whole-system disk rates from
// /proc/diskstats deltas.
type diskCollector struct {
	root sysroot.Root
	prev *diskTotals
	at   time.Time
}

func newDiskCollector(root sysroot.Root, _ *slog.Logger) *diskCollector {
	return &diskCollector{root: root}
}

// Name implements metric.Collector.
func (c *diskCollector) Name() string { return "lpar-disk" }

// Defs implements metric.Collector.
func (c *diskCollector) Defs() []metric.Def {
	return pick("linux", mDiskIOPS, mDiskRead, mDiskWrite)
}

// ResetBaselines implements metric.Resetter.
func (c *diskCollector) ResetBaselines() { c.prev = nil }

// Collect implements metric.Collector.
func (c *diskCollector) Collect(now time.Time) ([]metric.Reading, error) {
	ents, err := c.root.ReadDir(sysBlock)
	if err != nil {
		return nil, err
	}
	blocks := make(map[string]bool, len(ents))
	for _, e := range ents {
		blocks[e.Name()] = true
	}
	b, err := c.root.ReadFile(diskstatsPath)
	if err != nil {
		return nil, err
	}
	cur, err := parseDiskstats(b, countedDisk(blocks))
	if err != nil {
		return nil, err
	}
	prev, at := c.prev, c.at
	c.prev, c.at = &cur, now
	if prev == nil {
		return nil, nil
	}
	wall := now.Sub(at).Seconds()
	if wall <= 0 {
		return nil, nil
	}
	var out []metric.Reading
	add := func(name string, p, q uint64, scale float64) {
		if q >= p { // a counter that went backwards (device removed) gives nothing this time
			out = append(out, reading(name, float64(q-p)*scale/wall))
		}
	}
	add(mDiskIOPS, prev.ios, cur.ios, 1)
	add(mDiskRead, prev.readSectors, cur.readSectors, sectorBytes)
	add(mDiskWrite, prev.writeSectors, cur.writeSectors, sectorBytes)
	return out, nil
}
