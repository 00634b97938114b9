package poller

import (
	"math"
	"strconv"
	"strings"
)

// metricClass is gmetad's type class (gmetad/type_list: in_type_list).
type metricClass uint8

const (
	classUnknown metricClass = iota
	classNumeric             // INT, UINT, FLOAT: stored in RRDs and summed
	classTimestamp
	classString
)

// typeClass looks TYPE up the way gmetad's gperf table does: exact,
// case-sensitive names. It also returns the interned name so a report does
// not keep one copy of "float" per metric.
func typeClass(t string) (string, metricClass) {
	switch t {
	case "int8":
		return "int8", classNumeric
	case "uint8":
		return "uint8", classNumeric
	case "int16":
		return "int16", classNumeric
	case "uint16":
		return "uint16", classNumeric
	case "int32":
		return "int32", classNumeric
	case "uint32":
		return "uint32", classNumeric
	case "float":
		return "float", classNumeric
	case "double":
		return "double", classNumeric
	case "timestamp":
		return "timestamp", classTimestamp
	case "string":
		return "string", classString
	}
	return t, classUnknown
}

// intern returns a shared copy of the common SLOPE and SOURCE values.
func intern(s string) string {
	switch s {
	case "both":
		return "both"
	case "zero":
		return "zero"
	case "positive":
		return "positive"
	case "negative":
		return "negative"
	case "unspecified":
		return "unspecified"
	case "derivative":
		return "derivative"
	case "gmond":
		return "gmond"
	case "":
		return ""
	}
	return s
}

// atoi reads an integer the way C's atoi/strtoul do for gmetad: leading
// blanks and sign, then digits up to the first other byte; no digits is 0.
// It saturates instead of overflowing. A '-' is kept (strtoul would wrap
// it), so GMOND_STARTED="-1065984480" stays as gmond printed it.
func atoi(s string) int64 {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var n int64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := int64(s[i] - '0')
		if n > (math.MaxInt64-d)/10 {
			n = math.MaxInt64
			break
		}
		n = n*10 + d
	}
	if neg {
		return -n
	}
	return n
}

// atou32 is atoi clamped to uint32, for counts (HOSTS UP/DOWN, NUM).
func atou32(s string) uint32 {
	n := atoi(s)
	if n < 0 {
		return 0
	}
	if n > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(n)
}

// strtod reads a number the way C's strtod does for gmetad: the longest
// numeric prefix counts ("12abc" is 12), nothing numeric is 0, overflow
// gives ±Inf; "inf", "nan" and hexadecimal ("0x1A") are read too.
func strtod(s string) float64 {
	s = strings.TrimLeft(s, " \t\n")
	body := strings.TrimLeft(s, "+-")
	if len(s)-len(body) > 1 {
		return 0
	}
	var num string
	switch {
	case len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') && isHex(body[2]):
		num = s[:len(s)-len(body)+hexPrefix(body)]
		if !strings.ContainsAny(num, "pP") {
			num += "p0" // ParseFloat wants the binary exponent C makes optional
		}
	case hasPrefixFold(body, "inf") || hasPrefixFold(body, "nan"):
		num = s[:len(s)-len(body)+3]
	default:
		num = s[:numericPrefix(s)]
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil && !isRange(err) {
		return 0
	}
	return v
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// hexPrefix is the length of "0x" hexdigits[.hexdigits][p[+-]digits] at
// the start of s.
func hexPrefix(s string) int {
	i := 2
	for i < len(s) && isHex(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'p' || s[i] == 'P') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if k := j; k < len(s) && s[k] >= '0' && s[k] <= '9' {
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			i = k
		}
	}
	return i
}

// numericPrefix is the length of the decimal number at the start of s:
// [+-]digits[.digits][(e|E)[+-]digits].
func numericPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			i = j
		}
	}
	return i
}

// precision is gmetad's "precision" of a value: the number of characters
// after its last '.' (strrchr), so "0.42" is 2 and "1.5e10" is 4.
func precision(v string) int {
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		return len(v) - i - 1
	}
	return 0
}

// oldVersion is gmetad's strncmp(VERSION, "2.5", 3) < 0.
func oldVersion(v string) bool {
	if len(v) > 3 {
		v = v[:3]
	}
	return v < "2.5"
}
