package collect

import (
	"bytes"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// fsStat is the part of statfs(2) libmetrics uses.
type fsStat struct {
	Blocks uint64 // f_blocks
	Bavail uint64 // f_bavail: free to unprivileged users
	Bsize  uint64 // f_bsize
}

// statfsFunc reads the file system statistics of a host path. Tests
// replace it; the default, sysStatfs, is statfs(2) where the platform has it.
type statfsFunc func(path string) (fsStat, error)

// diskCollector sums the local file systems of /proc/mounts the way
// libmetrics does: disk_total and disk_free in GB (1e9 bytes, free meaning
// available to users), part_max_used the fullest one's used share.
type diskCollector struct {
	root   sysroot.Root
	log    *onceLog
	statfs statfsFunc
}

func (c *diskCollector) Name() string { return "disk" }

func (c *diskCollector) Defs() []metric.Def {
	return defsOf("disk_total", "disk_free", "part_max_used")
}

func (c *diskCollector) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile("/proc/mounts")
	if err != nil {
		return nil, err
	}
	var total, free float64
	var maxUsed float64
	counted := 0
	seen := make(map[string]bool)
	for _, m := range parseMounts(b) {
		if !localDisk(m) || seen[m.device] {
			continue
		}
		// Bind mounts and btrfs subvolumes show one device several times;
		// libmetrics counts it once, as the first mount lists it.
		seen[m.device] = true
		st, err := c.statfs(c.root.Path(m.dir))
		if err != nil {
			c.log.warn("statfs:"+m.dir, "statfs failed; file system left out of disk metrics", "mount", m.dir, "err", err)
			continue
		}
		c.log.clear("statfs:" + m.dir)
		total += float64(st.Blocks) * float64(st.Bsize)
		free += float64(st.Bavail) * float64(st.Bsize)
		counted++
		if st.Blocks > 0 && st.Bavail <= st.Blocks {
			if u := float64(st.Blocks-st.Bavail) / float64(st.Blocks) * 100; u > maxUsed {
				maxUsed = u
			}
		}
	}
	if counted == 0 {
		c.log.warn("nodisk", "no local file system in /proc/mounts; disk metrics left out")
		return nil, nil
	}
	c.log.clear("nodisk")
	return []metric.Reading{
		{Name: "disk_total", Value: metric.Num(total / 1e9)},
		{Name: "disk_free", Value: metric.Num(free / 1e9)},
		{Name: "part_max_used", Value: metric.Num(maxUsed)},
	}, nil
}

// mount is one line of /proc/mounts.
type procMount struct {
	device, dir, fstype, opts string
}

// parseMounts parses /proc/mounts. Lines with fewer than four fields are
// skipped; octal escapes ("\040" for a space) in device and directory are
// decoded.
func parseMounts(b []byte) []procMount {
	var out []procMount
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		f := bytes.Fields(line)
		if len(f) < 4 {
			continue
		}
		out = append(out, procMount{
			device: unescapeMount(string(f[0])), dir: unescapeMount(string(f[1])),
			fstype: string(f[2]), opts: string(f[3]),
		})
	}
	return out
}

// unescapeMount decodes the kernel's \ooo escapes of space, tab, newline
// and backslash.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			sb.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// localDisk applies libmetrics' filter: read-write, not remote, and backed
// by a /dev/ (or /dev2/) device, which leaves out proc, sysfs, tmpfs,
// cgroup, overlay and the like, whose "device" is a word.
func localDisk(m procMount) bool {
	if strings.HasPrefix(m.opts, "ro") && (len(m.opts) == 2 || m.opts[2] == ',') {
		return false
	}
	if remoteMount(m.device, m.fstype) {
		return false
	}
	return strings.HasPrefix(m.device, "/dev/") || strings.HasPrefix(m.device, "/dev2/")
}

// remoteMount is coreutils' ME_REMOTE rule as libmetrics has it: a device
// with a colon (host:/path), an smbfs share (//host/share), or a network or
// automounter type.
func remoteMount(device, fstype string) bool {
	return strings.Contains(device, ":") ||
		(fstype == "smbfs" && strings.HasPrefix(device, "//")) ||
		strings.HasPrefix(fstype, "nfs") || fstype == "autofs" ||
		fstype == "gfs" || fstype == "none"
}
