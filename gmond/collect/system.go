package collect

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Interface flags of /sys/class/net/<if>/flags (linux/if.h).
const (
	iffUp       = 0x1
	iffLoopback = 0x8
)

// systemCollector provides boottime, sys_clock, machine_type, os_name,
// os_release and mtu.
type systemCollector struct {
	root sysroot.Root
	log  *onceLog
	arch string // runtime.GOARCH, used when the kernel does not say
}

func (c *systemCollector) Name() string { return "system" }

func (c *systemCollector) Defs() []metric.Def {
	return defsOf("boottime", "machine_type", "os_name", "os_release", "sys_clock", "mtu")
}

func (c *systemCollector) Collect(now time.Time) ([]metric.Reading, error) {
	var out []metric.Reading
	num := func(name string, v float64) { out = append(out, metric.Reading{Name: name, Value: metric.Num(v)}) }
	str := func(name, v string) { out = append(out, metric.Reading{Name: name, Value: metric.Str(v)}) }

	if b, err := c.root.ReadFile("/proc/stat"); err == nil {
		if ps, err := parseProcStat(b); err == nil && ps.hasBtime {
			num("boottime", float64(ps.btime))
		}
	}
	str("machine_type", c.machineType())
	str("os_name", "Linux")
	if b, err := c.root.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		str("os_release", strings.TrimSpace(string(b)))
	} else {
		c.log.warn("osrelease", "os_release unknown", "err", err)
	}
	num("sys_clock", float64(now.Unix()))
	if mtu, ok := c.minMTU(); ok {
		num("mtu", float64(mtu))
	}
	return out, nil
}

// machineType returns what libmetrics compiles in for the architecture:
// "x86_64", "x86", "powerpc" for every POWER flavour, and so on. The
// kernel's own name comes from /proc/sys/kernel/arch when the kernel has it
// (so a fixture tree of a POWER machine says "powerpc" on any build host),
// else from the architecture this binary was built for.
func (c *systemCollector) machineType() string {
	if b, err := c.root.ReadFile("/proc/sys/kernel/arch"); err == nil {
		if a := strings.TrimSpace(string(b)); a != "" {
			return stockArch(a)
		}
	}
	return stockArch(goarchToUname(c.arch))
}

// stockArch maps a uname machine name to libmetrics' machine_type string.
// Architectures libmetrics does not know keep their uname name.
func stockArch(uname string) string {
	switch {
	case uname == "x86_64":
		return "x86_64"
	case len(uname) == 4 && uname[0] == 'i' && strings.HasSuffix(uname, "86"):
		return "x86"
	case strings.HasPrefix(uname, "ppc"), strings.HasPrefix(uname, "powerpc"):
		return "powerpc"
	case uname == "aarch64", uname == "arm64":
		return "aarch64"
	case strings.HasPrefix(uname, "arm"):
		return "arm"
	case strings.HasPrefix(uname, "s390"):
		return "s390"
	case strings.HasPrefix(uname, "mips"):
		return "mips"
	case strings.HasPrefix(uname, "sparc"):
		return "sparc"
	}
	return uname
}

func goarchToUname(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "386":
		return "i686"
	case "":
		return goarchToUname(runtime.GOARCH)
	}
	return goarch
}

// minMTU returns the smallest MTU of the interfaces that are up, loopback
// excepted, as libmetrics' get_min_mtu() reports it.
func (c *systemCollector) minMTU() (uint64, bool) {
	ents, err := c.root.ReadDir("/sys/class/net")
	if err != nil {
		c.log.warn("mtu", "mtu unknown: cannot list network interfaces", "err", err)
		return 0, false
	}
	var best uint64
	found := false
	for _, e := range ents {
		dir := "/sys/class/net/" + e.Name()
		fb, err := c.root.ReadFile(dir + "/flags")
		if err != nil {
			continue
		}
		flags, err := strconv.ParseUint(strings.TrimPrefix(string(bytes.TrimSpace(fb)), "0x"), 16, 64)
		if err != nil || flags&iffUp == 0 || flags&iffLoopback != 0 {
			continue
		}
		mtu, ok := readSysUint(c.root, dir+"/mtu")
		if !ok {
			continue
		}
		if !found || mtu < best {
			best, found = mtu, true
		}
	}
	return best, found
}
