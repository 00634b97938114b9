package lpar

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"
)

// lparstatInfo is the output of AIX `lparstat -i`: "Name : value" lines.
type lparstatInfo map[string]string

var errNoLparstatInfo = errors.New("lparstat -i: no \"name : value\" lines")

// parseLparstatInfo parses `lparstat -i`. Names are kept as printed
// ("Entitled Capacity"); some have no blank before the colon.
func parseLparstatInfo(b []byte) (lparstatInfo, error) {
	m := lparstatInfo{}
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		key := strings.TrimSpace(string(k))
		if key == "" {
			continue
		}
		m[key] = strings.TrimSpace(string(v))
	}
	if len(m) == 0 {
		return nil, errNoLparstatInfo
	}
	return m, nil
}

// num returns the number in name's value, without a trailing unit ("MB",
// "%"). lparstat prints "-" for what does not apply (pool figures of a
// dedicated partition), which reports false.
func (m lparstatInfo) num(name string) (float64, bool) {
	v, ok := m[name]
	if !ok {
		return 0, false
	}
	v = strings.TrimSuffix(v, "%")
	if i := strings.IndexByte(v, ' '); i >= 0 {
		v = v[:i]
	}
	return finite(v)
}

// lparstatSample is one interval of AIX `lparstat <interval> 1`: the
// "System configuration:" line and the columns of the data row by header
// name. The column set depends on AIX level, partition type and pool
// authority, so nothing is read by position.
type lparstatSample struct {
	config map[string]string  // type, mode, smt, lcpu, mem, psize, ent
	cols   map[string]float64 // %user, %sys, %wait, %idle, physc, %entc, app, ...
}

var errNoLparstatRow = errors.New("lparstat: no header and data row")

// parseLparstatSample parses `lparstat 1 1`. The header is the line above
// the row of dashes, the data row the first non-blank line below it, and
// both must have the same number of fields.
func parseLparstatSample(b []byte) (lparstatSample, error) {
	s := lparstatSample{config: map[string]string{}, cols: map[string]float64{}}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "System configuration:"); ok {
			for _, kv := range strings.Fields(rest) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					s.config[k] = v
				}
			}
			continue
		}
		if i == 0 || !isDashes(line) {
			continue
		}
		header := strings.Fields(lines[i-1])
		for _, next := range lines[i+1:] {
			data := strings.Fields(next)
			if len(data) == 0 {
				continue
			}
			if len(data) != len(header) {
				return s, errors.New("lparstat: data row and header differ in length")
			}
			for j, name := range header {
				if f, ok := finite(data[j]); ok {
					s.cols[name] = f
				}
			}
			return s, nil
		}
	}
	return s, errNoLparstatRow
}

// isDashes reports whether line is lparstat's underline row ("----- -----").
func isDashes(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && strings.Trim(t, "- \t") == "" && strings.Contains(t, "--")
}

// smtThreads reads lparstat's smt= value: a thread count, or On/Off on
// POWER5-era levels that knew only SMT2.
func smtThreads(v string) (int, bool) {
	switch strings.ToLower(v) {
	case "off":
		return 1, true
	case "on":
		return 2, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n > 0
}

// finite parses a decimal number; NaN and infinities, which ParseFloat
// accepts by name, are no lparstat value.
func finite(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
