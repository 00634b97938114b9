package collect

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixDiskCollector sums the local file systems of `df -Pk` the way
// libmetrics sums those of /proc/mounts on Linux: disk_total and disk_free
// in GB (1e9 bytes; free meaning available), part_max_used the fullest
// one's used share. A hung NFS mount makes df hang; the command timeout of
// the sysroot then ends it and the disk metrics are absent for that round.
type aixDiskCollector struct {
	root sysroot.Root
	log  *onceLog
}

func (c *aixDiskCollector) Name() string { return "aix_disk" }

func (c *aixDiskCollector) Defs() []metric.Def {
	return defsOf("disk_total", "disk_free", "part_max_used")
}

func (c *aixDiskCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := aixRun(c.root, c.log, "df", "-Pk")
	if err != nil {
		return nil, err
	}
	fss, err := parseAIXDf(b)
	if err != nil {
		return nil, err
	}
	var total, free, maxUsed float64
	counted := 0
	seen := make(map[string]bool)
	for _, fs := range fss {
		// Local file systems live on logical volumes (/dev/hd4, /dev/fslv00);
		// NFS shows host:path, and /proc, /aha and namefs mounts show no
		// /dev device. A device mounted twice counts once.
		if !strings.HasPrefix(fs.device, "/dev/") || seen[fs.device] {
			continue
		}
		seen[fs.device] = true
		total += fs.totalKB * 1024
		free += fs.availKB * 1024
		counted++
		if fs.totalKB > 0 && fs.availKB <= fs.totalKB {
			if u := (fs.totalKB - fs.availKB) / fs.totalKB * 100; u > maxUsed {
				maxUsed = u
			}
		}
	}
	if counted == 0 {
		c.log.warn("aix:nodisk", "df lists no local file system; disk metrics left out")
		return nil, nil
	}
	c.log.clear("aix:nodisk")
	return []metric.Reading{
		aixReading("disk_total", total/1e9),
		aixReading("disk_free", free/1e9),
		aixReading("part_max_used", maxUsed),
	}, nil
}

// aixFS is one file system line of df.
type aixFS struct {
	device, mount    string
	totalKB, availKB float64
}

var errDfHeader = errors.New("df: no header with Filesystem, 1024-blocks and Available or Free")

// parseAIXDf parses `df -Pk` (or `df -k`, whose free column is Free):
//
//	Filesystem    1024-blocks      Used Available Capacity Mounted on
//	/dev/hd4          2097152    623480   1473672      30% /
//	/proc                   -         -         -       -  /proc
//
// Columns are found by name; the mount point is the rest of the line, so
// it may hold blanks. A line of "-" (file systems without block counts)
// is skipped, and a device name too long for its column, which df prints
// alone on its line, is joined with the next line.
func parseAIXDf(b []byte) ([]aixFS, error) {
	var header []string
	var blocks, avail, mount int
	var out []aixFS
	pending := ""
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if header == nil {
			if f[0] == "Filesystem" {
				header = aixDfHeader(f)
				blocks = slices.Index(header, "1024-blocks")
				avail = slices.Index(header, "Available")
				if avail < 0 {
					avail = slices.Index(header, "Free")
				}
				mount = slices.Index(header, "Mounted on")
				if blocks < 0 || avail < 0 || mount != len(header)-1 {
					return nil, errDfHeader
				}
			}
			continue
		}
		if len(f) == 1 && pending == "" {
			pending = f[0]
			continue
		}
		if pending != "" {
			f = append([]string{pending}, f...)
			pending = ""
		}
		if len(f) < len(header) {
			continue
		}
		tot, ok1 := aixNum(f[blocks])
		av, ok2 := aixNum(f[avail])
		if !ok1 || !ok2 {
			continue
		}
		out = append(out, aixFS{device: f[0], mount: strings.Join(f[mount:], " "), totalKB: tot, availKB: av})
	}
	if header == nil {
		return nil, errDfHeader
	}
	return out, nil
}

// aixDfHeader joins the two words of "Mounted on" into one column name.
func aixDfHeader(f []string) []string {
	h := make([]string, 0, len(f))
	for i := 0; i < len(f); i++ {
		if f[i] == "Mounted" && i+1 < len(f) && f[i+1] == "on" {
			h = append(h, "Mounted on")
			i++
			continue
		}
		h = append(h, f[i])
	}
	return h
}
