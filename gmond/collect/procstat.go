package collect

import (
	"bytes"
	"errors"
	"strconv"
)

// The CPU states of the aggregate "cpu" line of /proc/stat, in file order.
// guest and guest_nice follow steal but are already counted in user and
// nice, so libmetrics leaves them out of the total and so do we.
const (
	stUser = iota
	stNice
	stSystem
	stIdle
	stIowait
	stIRQ
	stSoftIRQ
	stSteal
	numStates
)

// cpuTimes holds the jiffy counters of the aggregate cpu line. n is how
// many of them the kernel printed: 4 on Linux 2.4, 7 before 2.6.11 (no
// steal), 8 or more since.
type cpuTimes struct {
	v [numStates]uint64
	n int
}

// total is the sum libmetrics divides by: every printed state up to steal.
func (c cpuTimes) total() uint64 {
	var t uint64
	for i := 0; i < c.n; i++ {
		t += c.v[i]
	}
	return t
}

// procStat is what the agent needs from /proc/stat.
type procStat struct {
	cpu      cpuTimes
	cpuLines int    // per-CPU "cpuN" lines: the online processors
	btime    uint64 // boot time, Unix seconds
	hasBtime bool
}

var errNoCPULine = errors.New("/proc/stat has no aggregate cpu line")

// parseProcStat parses /proc/stat. Only the aggregate cpu line is
// required; a missing btime leaves hasBtime false.
func parseProcStat(b []byte) (procStat, error) {
	var ps procStat
	seenCPU := false
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		key, rest, _ := bytes.Cut(line, []byte{' '})
		switch {
		case string(key) == "cpu":
			t, ok := parseCPULine(rest)
			if !ok {
				return procStat{}, errors.New("/proc/stat: malformed cpu line")
			}
			ps.cpu, seenCPU = t, true
		case len(key) > 3 && string(key[:3]) == "cpu" && allDigits(key[3:]):
			ps.cpuLines++
		case string(key) == "btime":
			v, err := strconv.ParseUint(string(bytes.TrimSpace(rest)), 10, 64)
			if err == nil {
				ps.btime, ps.hasBtime = v, true
			}
		}
	}
	if !seenCPU {
		return procStat{}, errNoCPULine
	}
	return ps, nil
}

func parseCPULine(rest []byte) (cpuTimes, bool) {
	var t cpuTimes
	for _, f := range bytes.Fields(rest) {
		if t.n == numStates {
			break
		}
		v, err := strconv.ParseUint(string(f), 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		t.v[t.n] = v
		t.n++
	}
	return t, t.n >= 4
}

func allDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
