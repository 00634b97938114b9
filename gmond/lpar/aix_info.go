package lpar

import (
	"log/slog"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

var aixInfoMetrics = []string{mSerialNum, mModelName, mFWVersion, mOSLevel, mCPUType, mKernel64, mKVMGuest}

// aixInfo reports the frame (re-read every call: LPM changes it), the
// firmware, the AIX or VIOS level and the processor type from commands.
type aixInfo struct {
	root    sysroot.Root
	notes   *notes
	oslevel string // read once, as the module does
}

func newAIXInfo(root sysroot.Root, log *slog.Logger) *aixInfo {
	return &aixInfo{root: root, notes: newNotes(log, "aix-lpar-info")}
}

// Name implements metric.Collector.
func (c *aixInfo) Name() string { return "aix-lpar-info" }

// Defs implements metric.Collector.
func (c *aixInfo) Defs() []metric.Def { return pick("aix", aixInfoMetrics...) }

// Collect implements metric.Collector. A command that fails leaves its
// metric out and is logged once.
func (c *aixInfo) Collect(time.Time) ([]metric.Reading, error) {
	var out []metric.Reading
	add := func(name, v string) {
		if v != "" {
			out = append(out, text(name, v))
		}
	}
	add(mSerialNum, c.firstLine(cmdUname, "-u")) // system id, "IBM,0221ABCDE"
	add(mModelName, c.firstLine(cmdUname, "-M")) // "IBM,9009-42A"
	// The whole value: it holds a blank, "IBM,FW950.30 (VL950_092)".
	add(mFWVersion, c.firstLine(cmdLsattr, "-El", "sys0", "-a", "fwversion", "-F", "value"))
	if c.oslevel == "" {
		c.oslevel = c.readOSLevel()
	}
	add(mOSLevel, c.oslevel)
	add(mCPUType, c.firstLine(cmdLsattr, "-El", "proc0", "-a", "type", "-F", "value")) // "PowerPC_POWER9"
	// Go runs on AIX 7.2 and later, whose kernel is 64-bit only, and AIX
	// never runs as a KVM guest (the module answers "no" unconditionally).
	add(mKernel64, "yes")
	add(mKVMGuest, "no")
	return out, nil
}

// readOSLevel returns `ioscli ioslevel` on a VIO server, else `oslevel -s`
// (technology level and service pack), falling back to `oslevel -r` on
// levels too old to know -s.
func (c *aixInfo) readOSLevel() string {
	if _, err := c.root.Stat(cmdIOSCLI); err == nil {
		return c.firstLine(cmdIOSCLI, "ioslevel")
	}
	v := c.firstLine(cmdOslevel, "-s")
	if strings.HasPrefix(v, "Usage") {
		v = c.firstLine(cmdOslevel, "-r")
	}
	return v
}

// firstLine runs a command and returns its first non-blank line, trimmed.
func (c *aixInfo) firstLine(name string, args ...string) string {
	b, err := c.root.Command(name, args...)
	if err != nil {
		c.notes.once(name+strings.Join(args, " "), "command failed; its metric is left out",
			"cmd", name+" "+strings.Join(args, " "), "err", err)
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if t := strings.TrimSpace(line); t != "" {
			return t
		}
	}
	return ""
}
