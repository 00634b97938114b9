package persist

import (
	"math"
	"strconv"
	"strings"
)

// dsType is the type of one data source of a file, as far as the text of
// an update reading depends on it.
type dsType uint8

const (
	dsGauge    dsType = iota // GAUGE, ABSOLUTE: any number librrd can read
	dsCounter                // COUNTER: digits only
	dsDerive                 // DERIVE: digits with an optional leading '-'
	dsVerbatim               // anything else (DCOUNTER, a type we do not know): text unchanged
)

// typeOf maps an rrdtool DS type name to the reading rules above.
func typeOf(name string) dsType {
	switch name {
	case "GAUGE", "ABSOLUTE":
		return dsGauge
	case "COUNTER":
		return dsCounter
	case "DERIVE":
		return dsDerive
	}
	return dsVerbatim
}

// typeOfSlope is the type gmetad gives the sum DS of a metric with this
// slope (PROTOCOL.md §4.6, rrdstore.GmetadSpec).
func typeOfSlope(slope string) dsType {
	switch slope {
	case "positive":
		return dsCounter
	case "derivative":
		return dsDerive
	}
	return dsGauge
}

// maxPlainDigits bounds the digits of a text passed on verbatim as a
// GAUGE reading, so that the decimal exponent librrd's rrd_strtod works
// out (digits after the point plus the written exponent) stays far inside
// the range it accepts ([-1021, 1024]).
const (
	maxPlainDigits   = 40
	maxPlainExponent = 300
)

// appendReading appends the update reading for a metric's VAL text to dst
// and reports whether there is one.
//
// Stock gmetad hands VAL to rrd_update verbatim, and librrd refuses what
// its readers do not take (PROTOCOL.md §7 Q16): COUNTER readings must be
// all digits, DERIVE readings digits with an optional '-', GAUGE readings
// a decimal number. A text librrd takes is passed on verbatim, so files
// come out byte for byte as stock's (librrd's strtod is not correctly
// rounded; reformatting would change the last bit). Any other text is
// read as a float and, as Q16 advises, written as the same value in a
// form librrd takes: COUNTER and DERIVE values rounded to the nearest
// integer ("1.5e10" → "15000000000", "42.7" → "43"), GAUGE values in
// shortest decimal form; NaN becomes "U" (unknown, what librrd makes of
// "nan" too). What stays refused, as by rrdtool: texts that are no number
// at all, values out of float range, and negative or infinite COUNTER
// readings; the caller counts those and writes nothing.
func appendReading[T string | []byte](dst []byte, val T, typ dsType) ([]byte, bool) {
	switch {
	case typ == dsVerbatim:
		return append(dst, val...), true
	case typ == dsCounter && plainInteger(val, false):
		return append(dst, val...), true
	case typ == dsDerive && plainInteger(val, true):
		return append(dst, val...), true
	case typ == dsGauge && plainDecimal(val):
		return append(dst, val...), true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(val)), 64)
	if err != nil { // syntax, or beyond float range (librrd refuses both)
		return dst, false
	}
	switch {
	case math.IsNaN(f):
		return append(dst, 'U'), true
	case typ == dsGauge && math.IsInf(f, 1):
		return append(dst, "inf"...), true
	case typ == dsGauge && math.IsInf(f, -1):
		return append(dst, "-inf"...), true
	case typ == dsGauge:
		return strconv.AppendFloat(dst, f, 'g', -1, 64), true
	case math.IsInf(f, 0), typ == dsCounter && f < 0:
		return dst, false
	}
	r := math.Round(f)
	if r == 0 {
		r = 0 // "-0" is not a COUNTER reading
	}
	return strconv.AppendFloat(dst, r, 'f', 0, 64), true
}

// plainInteger reports whether librrd's COUNTER (signed false) or DERIVE
// (signed true) check passes on s and leaves at least one digit.
func plainInteger[T string | []byte](s T, signed bool) bool {
	i := 0
	if signed && len(s) > 0 && s[0] == '-' {
		i++
	}
	if i == len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainDecimal reports whether s is [+-]digits[.digits][e[+-]digits] with
// at least one mantissa digit, few enough digits that librrd's
// rrd_strtod reads all of it (see maxPlainDigits), and no spaces.
func plainDecimal[T string | []byte](s T) bool {
	i, digits := 0, 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 || digits > maxPlainDigits {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != 'e' && s[i] != 'E' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	exp, expDigits := 0, 0
	for ; i < len(s) && isDigit(s[i]) && expDigits < 4; i++ {
		exp = exp*10 + int(s[i]-'0')
		expDigits++
	}
	return i == len(s) && expDigits > 0 && exp <= maxPlainExponent
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
