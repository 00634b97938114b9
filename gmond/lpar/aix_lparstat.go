package lpar

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// AIX commands, by absolute path so a minimal PATH under SRC or init does
// not hide them.
const (
	cmdLparstat = "/usr/bin/lparstat"
	cmdUname    = "/usr/bin/uname"
	cmdLsattr   = "/usr/sbin/lsattr"
	cmdOslevel  = "/usr/bin/oslevel"
	cmdIOSCLI   = "/usr/ios/cli/ioscli" // present only on a VIO server
)

var aixConfigMetrics = []string{
	mCapped, mSPLPAR, mLPAR, mEntitled, mInLPAR, mInMachine, mInPool, mInSysPool,
	mPoolID, mWeight, mLPARName, mLPARNum,
}

// aixConfig reports the partition configuration from `lparstat -i`.
type aixConfig struct{ root sysroot.Root }

func newAIXConfig(root sysroot.Root, _ *slog.Logger) *aixConfig { return &aixConfig{root: root} }

// Name implements metric.Collector.
func (c *aixConfig) Name() string { return "lparstat-i" }

// Defs implements metric.Collector.
func (c *aixConfig) Defs() []metric.Def { return pick("aix", aixConfigMetrics...) }

// Collect implements metric.Collector.
func (c *aixConfig) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.Command(cmdLparstat, "-i")
	if err != nil {
		return nil, fmt.Errorf("lparstat -i: %w", err)
	}
	info, err := parseLparstatInfo(b)
	if err != nil {
		return nil, err
	}
	return aixConfigReadings(info), nil
}

// aixConfigReadings maps `lparstat -i` to the module's metrics. As on
// Linux, pool figures and the weight are reported for shared partitions
// only, and a "-" (not applicable) leaves the metric out.
func aixConfigReadings(info lparstatInfo) []metric.Reading {
	var out []metric.Reading
	addNum := func(name, key string) {
		if f, ok := info.num(key); ok && f >= 0 {
			out = append(out, reading(name, f))
		}
	}
	typ, haveType := info["Type"]
	shared := strings.HasPrefix(typ, "Shared")
	if haveType {
		out = append(out, text(mSPLPAR, yesNo(shared)))
	} else {
		out = append(out, text(mSPLPAR, notSPLPAR))
	}
	switch mode := info["Mode"]; mode {
	case "Capped", "Donating": // a donating dedicated partition is capped too
		out = append(out, text(mCapped, "yes"))
	case "Uncapped":
		out = append(out, text(mCapped, "no"))
	default:
		out = append(out, text(mCapped, notSPLPAR))
	}
	num, haveNum := info.num("Partition Number")
	out = append(out, text(mLPAR, yesNo(haveNum && num > 0)))
	if haveNum && num > 0 {
		out = append(out, reading(mLPARNum, num))
	}
	if name := info["Partition Name"]; name != "" && name != "-" {
		out = append(out, text(mLPARName, name))
	}
	addNum(mEntitled, "Entitled Capacity")
	// perfstat's online_cpus, which the module reports, counts virtual
	// processors, as lparcfg's partition_active_processors does on Linux.
	addNum(mInLPAR, "Online Virtual CPUs")
	addNum(mInMachine, "Active Physical CPUs in system")
	if !shared {
		return out
	}
	addNum(mPoolID, "Shared Pool ID")
	addNum(mWeight, "Variable Capacity Weight")
	if n, ok := info.num("Active CPUs in Pool"); ok && n > 0 {
		out = append(out, reading(mInPool, n))
	}
	// shcpus_in_sys, the cores of all shared pools (POWER6 multiple pools);
	// the module falls back to the LPAR's pool when it reads 0.
	if n, ok := info.num("Shared Physical CPUs in system"); ok && n > 0 {
		out = append(out, reading(mInSysPool, n))
	} else if n, ok := info.num("Active CPUs in Pool"); ok && n > 0 {
		out = append(out, reading(mInSysPool, n))
	}
	return out
}

// aixSample reports physc, %entc, pool idle and SMT from one `lparstat 1
// 1`. lparstat measures its own one-second interval, so there is no
// baseline to keep or to reset after LPM.
type aixSample struct {
	root  sysroot.Root
	notes *notes
}

func newAIXSample(root sysroot.Root, log *slog.Logger) *aixSample {
	return &aixSample{root: root, notes: newNotes(log, "lparstat")}
}

// Name implements metric.Collector.
func (c *aixSample) Name() string { return "lparstat" }

// Defs implements metric.Collector.
func (c *aixSample) Defs() []metric.Def { return pick("aix", mCPUUsed, mCPUEC, mPoolIdle, mSMT) }

// Collect implements metric.Collector. It runs `lparstat 1 1`, which
// takes one second.
func (c *aixSample) Collect(time.Time) ([]metric.Reading, error) {
	b, err := c.root.Command(cmdLparstat, "1", "1")
	if err != nil {
		return nil, fmt.Errorf("lparstat 1 1: %w", err)
	}
	s, err := parseLparstatSample(b)
	if err != nil {
		return nil, err
	}
	out, note := aixSampleReadings(s)
	switch note {
	case noteDedicated:
		c.notes.once("dedicated", "dedicated partition: cpu_used is cores × (100 - %idle), no shared pool metrics")
	case noteNoPoolAuthority:
		c.notes.once("no-pool-authority", "shared pool metrics unavailable: lparstat prints no app column "+
			"(enable \"Allow performance information collection\" for this partition on the HMC)")
	}
	return out, nil
}

// Why some metric is absent, for a one-time log line.
const (
	noteNone = iota
	noteDedicated
	noteNoPoolAuthority
)

// aixSampleReadings maps one lparstat interval to the module's metrics. A
// shared partition prints physc and %entc; a dedicated one does not, and
// gets Perzl's fallback: cores × (100 − %idle) / 100 with cores = lcpu/smt
// and %entc against those cores. app (pool idle cores) is printed only
// with pool authority.
func aixSampleReadings(s lparstatSample) ([]metric.Reading, int) {
	var out []metric.Reading
	threads, haveSMT := smtThreads(s.config["smt"])
	if haveSMT {
		out = append(out, text(mSMT, smtString(threads, 1)))
	}
	note := noteNone
	if physc, ok := s.cols["physc"]; ok {
		out = append(out, reading(mCPUUsed, physc))
		if pct, ok := s.cols["%entc"]; ok {
			out = append(out, reading(mCPUEC, pct))
		}
		if app, ok := s.cols["app"]; ok {
			out = append(out, reading(mPoolIdle, app))
		} else {
			note = noteNoPoolAuthority
		}
		return out, note
	}
	note = noteDedicated
	lcpu, err := strconv.ParseUint(s.config["lcpu"], 10, 64)
	idle, haveIdle := s.cols["%idle"]
	if err != nil || !haveSMT || !haveIdle || idle < 0 || idle > 100 || lcpu < uint64(threads) {
		return out, note
	}
	cores := float64(lcpu / uint64(threads))
	used := cores * (100 - idle) / 100
	out = append(out, reading(mCPUUsed, used))
	if pct, ok := entc(used, cores); ok {
		out = append(out, reading(mCPUEC, pct))
	}
	return out, note
}
