// Package cnum reads numbers from Ganglia XML text the way gmetad's C code
// does: strtod's longest-prefix rule and the "precision" of a VAL that
// gmetad's summaries print with. Both the poller (polled XML) and the grid
// (our own summaries) need exactly the same reading.
package cnum

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Strtod reads a VAL the way gmetad does before summing it (C's strtod):
// the longest numeric prefix counts ("12abc" is 12), text without one is
// 0, overflow gives ±Inf; "inf", "nan" and hexadecimal are read too. The
// VALs a gmond renders are plain numbers and take the fast path.
func Strtod(s string) float64 {
	if v, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if strings.IndexByte(s, '_') < 0 { // Go digit separators: strtod stops there
			return v
		}
	}
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	sign := 0
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign = 1
	}
	body := s[sign:]
	var n int
	switch {
	case len(body) > 2 && body[0] == '0' && (body[1]|0x20) == 'x' && isHex(body[2]):
		n = hexPrefix(body)
		v, err := strconv.ParseFloat(s[:sign+n]+hexExp(body[:n]), 64)
		return okFloat(v, err)
	case hasPrefixFold(body, "nan"):
		return math.NaN()
	case hasPrefixFold(body, "inf"):
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	default:
		n = decimalPrefix(body)
	}
	if n == 0 {
		return 0
	}
	return okFloat(strconv.ParseFloat(s[:sign+n], 64))
}

func okFloat(v float64, err error) float64 {
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0
	}
	return v
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// decimalPrefix is the length of digits[.digits][(e|E)[+-]digits] at the
// start of s, 0 when there is no digit.
func decimalPrefix(s string) int {
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i]|0x20) == 'e' {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

// hexPrefix is the length of 0x hexdigits[.hexdigits][p[+-]digits] at
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
	if i < len(s) && (s[i]|0x20) == 'p' {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

// hexExp is the binary exponent ParseFloat needs and C makes optional.
func hexExp(num string) string {
	if strings.ContainsAny(num, "pP") {
		return ""
	}
	return "p0"
}

// Precision is gmetad's "precision" of a value text: the number of
// characters after its last '.' (strrchr), so "0.42" is 2 and "1.5e10" is 4.
func Precision(v string) int {
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		return len(v) - i - 1
	}
	return 0
}
