package rrdstore

import (
	"math"
	"strconv"
)

// librrd 1.7 reads numbers with its own simple strtod (rrd_strtod), which
// is not correctly rounded: every digit costs two roundings and the
// exponent is applied by repeated squaring. strconv.ParseFloat differs in
// the last bit for about a fifth of all decimal strings, so every number
// librrd reads this way (GAUGE/ABSOLUTE values, timestamps, DS min/max,
// xff, the COUNTER/DERIVE difference) goes through strtod below.
// RRD-FORMAT §2.3.

// Exponent limits of rrd_strtod: DBL_MIN_EXP and DBL_MAX_EXP.
const (
	minDecExp = -1021
	maxDecExp = 1024
)

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isCSpace is isspace() in the C locale.
func isCSpace(c byte) bool { return c == ' ' || ('\t' <= c && c <= '\r') }

// accumulate is rrd_strtod's digit step, number = number*10 + digit. The
// product is rounded on its own (no fused multiply-add, which Go would
// otherwise use on arm64, ppc64x, s390x and GOAMD64=v3).
func accumulate(acc float64, c byte) float64 {
	return float64(acc*10) + float64(c-'0')
}

// strtod is rrd_strtod: it returns the value and how many bytes of s it
// used; 0 means "no conversion" (no digits, or an exponent outside
// [-1021, 1024]), after which librrd tries the special words.
func strtod(s string) (float64, int) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	acc, digits := 0.0, 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		acc = accumulate(acc, s[i])
		digits++
	}
	exp := int32(0)
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && isDigit(s[i]); i++ {
			acc = accumulate(acc, s[i])
			digits++
			exp--
		}
	}
	if digits == 0 {
		return 0, 0
	}
	if neg {
		acc = -acc
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		var n int32
		n, i = readExponent(s, i+1)
		exp += n
	}
	if exp < minDecExp || exp > maxDecExp {
		return math.Inf(1), 0
	}
	return scale10(acc, exp), i
}

// readExponent reads the exponent after 'e': an optional sign and any
// number of digits (even none), in C int arithmetic, which wraps like
// librrd's on absurd exponents.
func readExponent(s string, i int) (int32, int) {
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	n := int32(0)
	for ; i < len(s) && isDigit(s[i]); i++ {
		n = n*10 + int32(s[i]-'0')
	}
	if neg {
		return -n, i
	}
	return n, i
}

// scale10 applies 10^exp by binary powers, one rounding per step.
func scale10(acc float64, exp int32) float64 {
	p10, m := 10.0, exp
	if m < 0 {
		m = -m
	}
	for m != 0 {
		if m&1 != 0 {
			if exp < 0 {
				acc /= p10
			} else {
				acc *= p10
			}
		}
		m >>= 1
		p10 *= p10
	}
	return acc
}

// special is librrd's parse_special: a case-insensitive prefix test, in
// this order, so "nanx" is NaN and "+inf" is not a number. "nan" gives the
// positive quiet NaN (librrd's -DNAN), "-nan" the unknown pattern.
func special(s string) (float64, bool) {
	switch {
	case hasPrefixFold(s, "-nan"):
		return dnan, true
	case hasPrefixFold(s, "nan"):
		return -dnan, true
	case hasPrefixFold(s, "inf"):
		return math.Inf(1), true
	case hasPrefixFold(s, "-inf"):
		return math.Inf(-1), true
	}
	return 0, false
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// readDouble is rrd_strtodbl with an error context ("Function
// update_pdp_prep, case DST_GAUGE", ...): the whole string must be a
// number or start with a special word. The message is librrd's.
func readDouble(s, context string) (float64, error) {
	v, n := strtod(s)
	if n == 0 {
		if v, ok := special(s); ok {
			return v, nil
		}
		return 0, &Error{Kind: ErrBadValue, Msg: context + " - Cannot convert '" + s + "' to float"}
	}
	if n < len(s) {
		return v, &Error{Kind: ErrBadValue, Msg: context + " - Converted '" + s + "' to " +
			formatCF(v) + ", but cannot convert '" + s[n:] + "'"}
	}
	return v, nil
}

// parseNumber is readDouble as a plain predicate, for definitions.
func parseNumber(s string) (float64, bool) {
	v, err := readDouble(s, "")
	return v, err == nil
}

// cdiff is librrd's rrd_diff(new, old) for COUNTER and DERIVE: each side
// is the first run of digits after skipping anything else (a '-' among
// the skipped bytes makes it negative). The exact decimal difference is
// read with strtod's digit step. Unknown if a side has no digits, the
// signs differ, or a side has more than 30 digits.
func cdiff(a string, b []byte) float64 {
	aNeg, ad := digitRun(a)
	bNeg, bd := digitRun(string(b[:cstrLen(b)]))
	if len(ad) == 0 || len(bd) == 0 || aNeg != bNeg {
		return dnan
	}
	m := max(len(ad), len(bd))
	if m > lastDSLen {
		return dnan
	}
	var x, y [lastDSLen]byte
	padDigits(x[:m], ad)
	padDigits(y[:m], bd)
	neg := string(x[:m]) < string(y[:m])
	if neg {
		x, y = y, x
	}
	var diff [lastDSLen]byte
	borrow := 0
	for k := m - 1; k >= 0; k-- {
		d := int(x[k]) - int(y[k]) - borrow
		borrow = 0
		if d < 0 {
			d += 10
			borrow = 1
		}
		diff[k] = byte(d)
	}
	acc := 0.0
	for k := 0; k < m; k++ {
		acc = float64(acc*10) + float64(diff[k])
	}
	if neg {
		acc = -acc
	}
	if aNeg && bNeg {
		acc = -acc
	}
	return acc
}

// digitRun skips to the first digit, noting any '-' on the way, and
// returns the run of digits that starts there.
func digitRun(s string) (neg bool, digits string) {
	i := 0
	for i < len(s) && !isDigit(s[i]) {
		if s[i] == '-' {
			neg = true
		}
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return neg, s[i:j]
}

// padDigits right-aligns the digit values of s in dst, zeros in front.
func padDigits(dst []byte, s string) {
	lead := len(dst) - len(s)
	for k := range dst {
		dst[k] = 0
		if k >= lead {
			dst[k] = s[k-lead] - '0'
		}
	}
}

func cstrLen(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

// formatCF is C's printf("%f"), used in librrd's "Converted ... to %lf".
func formatCF(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return cNaN(v)
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// appendE10 is C's printf("%0.10e") as rrdtool info, dump and fetch use
// it, with glibc's spelling of the specials (inf, -inf, nan, -nan).
func appendE10(dst []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(v):
		return append(dst, cNaN(v)...)
	}
	return strconv.AppendFloat(dst, v, 'e', 10, 64)
}

func cNaN(v float64) string {
	if math.Signbit(v) {
		return "-nan"
	}
	return "nan"
}
