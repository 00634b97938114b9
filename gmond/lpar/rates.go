package lpar

import (
	"bytes"
	"strconv"
	"strings"
	"time"
)

// maxCores bounds a believable core count. Perzl's module zeroes results of
// 256 cores or more (a counter reset or a pool-authority switch makes such
// values); here they are left out instead, so no zero that looks real goes
// out.
const maxCores = 256

// counters is the part of one lparcfg read that rates are computed from.
type counters struct {
	at         time.Time
	serial     string // serial_number: a change means the LPAR moved (LPM)
	systemType string // system_type
	purr       uint64 // sum of PURR over online CPUs, timebase ticks
	tbr        uint64 // timebase register at the time of the read
	poolIdle   uint64 // pool_idle_time, timebase ticks summed over the pool
	hasPurr    bool
	hasTbr     bool
	hasPool    bool // pool_idle_time present and pool authority on
}

func countersOf(c lparcfg, at time.Time) counters {
	k := counters{at: at}
	k.serial, _ = c.str("serial_number")
	k.systemType, _ = c.str("system_type")
	k.purr, k.hasPurr = c.uint("purr")
	// A purr line that reads 0 comes from a CPU or hypervisor without the
	// register (QEMU TCG guests): no PURR, not an idle partition.
	k.hasPurr = k.hasPurr && k.purr > 0
	k.tbr, k.hasTbr = c.uint("tbr")
	if c.poolAuthority() {
		k.poolIdle, k.hasPool = c.uint("pool_idle_time")
	}
	return k
}

// sameFrame reports whether two reads come from the same managed system.
func sameFrame(a, b counters) bool {
	return a.serial == b.serial && a.systemType == b.systemType
}

// tickRate returns Δn per timebase tick between two reads: Δn / Δtbr when
// both reads carry tbr (newer kernels), else Δn / timebase / Δwall with
// Δwall from the times the reads were made. A counter that went backwards,
// a zero interval or an unbelievable result reports false.
func tickRate(prevN, curN uint64, prev, cur counters, timebase float64) (float64, bool) {
	if curN < prevN {
		return 0, false
	}
	var ticks float64
	switch {
	case prev.hasTbr && cur.hasTbr:
		if cur.tbr <= prev.tbr {
			return 0, false
		}
		ticks = float64(cur.tbr - prev.tbr)
	case timebase > 0:
		wall := cur.at.Sub(prev.at).Seconds()
		if wall <= 0 {
			return 0, false
		}
		ticks = timebase * wall
	default:
		return 0, false
	}
	r := float64(curN-prevN) / ticks
	if r >= maxCores {
		return 0, false
	}
	return r, true
}

// physc returns the physical cores consumed between two reads
// (powerpc-utils lparstat and Perzl: Δpurr / Δtbr).
func physc(prev, cur counters, timebase float64) (float64, bool) {
	if !prev.hasPurr || !cur.hasPurr {
		return 0, false
	}
	return tickRate(prev.purr, cur.purr, prev, cur, timebase)
}

// poolIdle returns the idle cores of the shared pool between two reads
// (lparstat's "app": Δpool_idle_time / Δtbr). Both reads need pool
// authority: a read without it shows 0, and a delta across a switch would
// count the pool's whole idle history.
func poolIdle(prev, cur counters, timebase float64) (float64, bool) {
	if !prev.hasPool || !cur.hasPool {
		return 0, false
	}
	return tickRate(prev.poolIdle, cur.poolIdle, prev, cur, timebase)
}

// entc returns physc as a percentage of the entitlement in cores.
func entc(physc, entitled float64) (float64, bool) {
	if entitled <= 0 {
		return 0, false
	}
	return 100 * physc / entitled, true
}

// cpuTimes is the aggregate "cpu" line of /proc/stat, in jiffies.
type cpuTimes struct {
	idle, total uint64
}

// parseProcStatCPU reads the aggregate "cpu" line of /proc/stat. idle is
// the idle column alone, as Ganglia's cpu_idle: iowait counts as used, the
// way Perzl's dedicated fallback uses it.
func parseProcStatCPU(b []byte) (cpuTimes, bool) {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := strings.Fields(string(line))
	if len(f) < 5 || f[0] != "cpu" {
		return cpuTimes{}, false
	}
	var t cpuTimes
	// user nice system idle iowait irq softirq steal; guest time is
	// already inside user and nice.
	for i, s := range f[1:min(len(f), 9)] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		if i == 3 {
			t.idle = n
		}
		t.total += n
	}
	return t, true
}

// busyFraction returns the share of CPU time that was not idle between two
// /proc/stat reads.
func busyFraction(prev, cur cpuTimes) (float64, bool) {
	if cur.total <= prev.total || cur.idle < prev.idle {
		return 0, false
	}
	dt, di := cur.total-prev.total, cur.idle-prev.idle
	if di > dt {
		return 0, false
	}
	return 1 - float64(di)/float64(dt), true
}

// purrUsable reports whether the PURR sum means anything on this model:
// PPC970 blades (JS20/JS21) print a purr line without having the register,
// which Perzl's module detects by these model prefixes.
func purrUsable(systemType string) bool {
	for _, p := range []string{"IBM,8842-21X", "IBM,8842-41X", "IBM,8844-31", "IBM,8844-41", "IBM,8844-51"} {
		if strings.HasPrefix(systemType, p) {
			return false
		}
	}
	return true
}
