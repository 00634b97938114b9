package poller

import (
	"math"
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

// oldVersion is gmetad's strncmp(VERSION, "2.5", 3) < 0.
func oldVersion(v string) bool {
	if len(v) > 3 {
		v = v[:3]
	}
	return v < "2.5"
}
