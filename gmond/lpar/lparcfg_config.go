package lpar

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// configReadings turns the configuration part of an lparcfg read into
// readings; logical is the number of online logical CPUs (SMT threads), 0
// when unknown. Pool figures are left out when the partition is dedicated
// or has no pool authority, where lparcfg prints nothing or zeros.
func configReadings(cfg lparcfg, logical int) []metric.Reading {
	out := make([]metric.Reading, 0, 16)
	addUint := func(name, key string) {
		if n, ok := cfg.uint(key); ok {
			out = append(out, reading(name, float64(n)))
		}
	}
	out = append(out,
		text(mCapped, flag(cfg, "capped")),
		text(mSPLPAR, flag(cfg, "shared_processor_mode")),
		text(mLPAR, yesNo(isLPAR(cfg))))
	if ent, ok := cfg.uint("partition_entitled_capacity"); ok {
		out = append(out, reading(mEntitled, float64(ent)/100))
	}
	addUint(mInLPAR, "partition_active_processors")
	addUint(mInMachine, "system_potential_processors")
	addUint(mLPARNum, "partition_id")
	if name, ok := cfg.str("partition_name"); ok && name != "" {
		out = append(out, text(mLPARName, name))
	}
	if vps, ok := cfg.uint("partition_active_processors"); ok && vps > 0 && logical > 0 {
		out = append(out, text(mSMT, smtString(logical, int(vps))))
	}
	if !cfg.shared() {
		return out
	}
	addUint(mWeight, "capacity_weight")
	addUint(mPoolID, "pool")
	if cfg.poolAuthority() {
		// The module has no way to see the global pool apart from the
		// LPAR's own; cpu_in_syspool repeats pool_num_procs, as it does.
		addUint(mInPool, "pool_num_procs")
		addUint(mInSysPool, "pool_num_procs")
	}
	return out
}

// flag renders a 0/1 lparcfg value as Perzl's module does.
func flag(cfg lparcfg, key string) string {
	n, ok := cfg.uint(key)
	if !ok {
		return notSPLPAR
	}
	return yesNo(n == 1)
}

// isLPAR is the module's heuristic: any sign of a PowerVM partition.
func isLPAR(cfg lparcfg) bool {
	if n, ok := cfg.uint("shared_processor_mode"); ok && n > 0 {
		return true
	}
	if _, ok := cfg.uint("capped"); ok {
		return true
	}
	for _, k := range []string{"partition_id", "DisWheRotPer", "purr"} {
		if n, ok := cfg.uint(k); ok && n > 0 {
			return true
		}
	}
	return false
}

// smtString renders the threads per virtual processor the way the module
// does: "yes (SMT=8)" or "no (SMT=1)".
func smtString(logical, vps int) string {
	if logical > vps {
		return fmt.Sprintf("yes (SMT=%d)", logical/vps)
	}
	return "no (SMT=1)"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// countCPUList counts the CPUs of a kernel cpu list such as "0-15,32-47"
// (/sys/devices/system/cpu/online).
func countCPUList(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	n := 0
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return 0, false
		}
		b := a
		if isRange {
			// A kernel cpu list never spans more than NR_CPUS (≤ 8192).
			if b, err = strconv.Atoi(hi); err != nil || b < a || b-a >= 1<<16 {
				return 0, false
			}
		}
		n += b - a + 1
	}
	return n, true
}
