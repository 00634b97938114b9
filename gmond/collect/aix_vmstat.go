package collect

import (
	"errors"
	"strconv"
	"strings"
)

// aixVmstat is one report line of AIX vmstat (with or without an
// interval), with the "System configuration:" line above it.
type aixVmstat struct {
	lcpu    int     // logical CPUs (lcpu=), 0 when the line is missing
	run     float64 // r: runnable kernel threads
	user    float64 // us
	sys     float64 // sy of the cpu columns (the faults columns have an sy too)
	idle    float64 // id
	wait    float64 // wa
	hasLcpu bool
}

var (
	errVmstatHeader = errors.New("vmstat: no column header with r, us, sy, id, wa")
	errVmstatRow    = errors.New("vmstat: no report line under the header")
)

// parseAIXVmstat parses the output of `vmstat` or `vmstat 1 1`:
//
//	System configuration: lcpu=16 mem=16384MB ent=0.50
//
//	kthr    memory              page              faults              cpu
//	----- ----------- ------------------------ ------------ -----------------------
//	 r  b   avm   fre  re  pi  po  fr   sr  cy  in   sy  cs us sy id wa    pc    ec
//	 2  0 1623542 1859133   0   0   0   0    0   0  27 3456 812 12  4 83  1  0.09  18.4
//
// Columns are found by name: shared-processor LPARs add pc and ec, and
// -w widens the columns. The header names sy twice (system calls, then
// system time); the cpu one is the sy after us. Narrow output runs large
// avm and fre values together, so the cpu columns are counted from the
// right and r from the left. With several report lines the last one wins.
func parseAIXVmstat(b []byte) (aixVmstat, error) {
	var v aixVmstat
	var header []string
	var row []string
	for _, line := range aixLines(b) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case strings.HasPrefix(strings.TrimSpace(line), "System configuration:"):
			v.lcpu, v.hasLcpu = aixConfigInt(line, "lcpu")
		case header == nil && aixVmstatHeader(f) >= 0:
			header = f
		case header != nil && aixIsNum(f[0]):
			row = f
		}
	}
	if header == nil {
		return aixVmstat{}, errVmstatHeader
	}
	if row == nil {
		return aixVmstat{}, errVmstatRow
	}
	us := aixVmstatHeader(header)
	cols := []struct {
		idx int
		dst *float64
	}{{0, &v.run}, {us, &v.user}, {us + 1, &v.sys}, {us + 2, &v.idle}, {us + 3, &v.wait}}
	for _, c := range cols {
		s, ok := aixColumn(header, row, c.idx, us)
		if !ok {
			return aixVmstat{}, errVmstatRow
		}
		n, ok := aixNum(s)
		if !ok {
			return aixVmstat{}, errVmstatRow
		}
		*c.dst = n
	}
	return v, nil
}

// aixVmstatHeader returns the index of "us" when f is vmstat's column
// header: it starts with r and has us, sy, id, wa in a row.
func aixVmstatHeader(f []string) int {
	if len(f) < 5 || f[0] != "r" {
		return -1
	}
	for i := 1; i+3 < len(f); i++ {
		if f[i] == "us" && f[i+1] == "sy" && f[i+2] == "id" && f[i+3] == "wa" {
			return i
		}
	}
	return -1
}

// aixConfigInt returns the integer value of key=N in a "System
// configuration:" line, which vmstat, iostat and lparstat print alike.
func aixConfigInt(line, key string) (int, bool) {
	for _, kv := range strings.Fields(line) {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || k != key {
			continue
		}
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// aixNum parses a non-negative decimal number as AIX commands print them
// ("1859133", "0.09"). Unlike strconv.ParseFloat alone it refuses NaN,
// Inf, signs, exponents and hex, none of which a counter or percentage of
// these commands can be.
func aixNum(s string) (float64, bool) {
	if !aixIsNum(s) {
		return 0, false
	}
	n, err := strconv.ParseFloat(s, 64)
	return n, err == nil
}

// aixIsNum reports whether s is digits with at most one decimal point.
func aixIsNum(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// aixUint parses a decimal counter.
func aixUint(s string) (uint64, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// aixVmstatV is what the agent reads from `vmstat -v`, in 4 KB pages.
type aixVmstatV struct {
	memory, free, file float64
	hasFile            bool
}

var errVmstatV = errors.New("vmstat -v: no memory pages or free pages line")

// parseAIXVmstatV parses `vmstat -v`, one "<number> <label>" per line:
//
//	4194304 memory pages
//	1859133 free pages
//	 866871 file pages
//
// Every count of pages is in 4 KB units whatever page sizes are in use.
// Lines it does not know (their set grows with AIX levels: AME, AMS) are
// skipped; memory pages and free pages are required.
func parseAIXVmstatV(b []byte) (aixVmstatV, error) {
	var v aixVmstatV
	var hasMem, hasFree bool
	for _, line := range aixLines(b) {
		num, label, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		n, ok := aixNum(num)
		if !ok {
			continue
		}
		switch strings.Join(strings.Fields(label), " ") {
		case "memory pages":
			v.memory, hasMem = n, true
		case "free pages":
			v.free, hasFree = n, true
		case "file pages":
			v.file, v.hasFile = n, true
		}
	}
	if !hasMem || !hasFree {
		return aixVmstatV{}, errVmstatV
	}
	return v, nil
}
