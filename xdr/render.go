package xdr

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// maxVAL bounds the VAL text. Stock gmond formats a value into a static
// char value[1024] (gmetric_value_to_str, gmond.c 3.7.2), so the text stops
// after 1023 bytes; apr_snprintf stops formatting at the first byte that
// does not fit, and so does AppendVAL. Padding is counted rather than built
// and APR caps its own digit strings, so no width or precision makes
// RenderVAL allocate or loop past this bound.
const maxVAL = 1023

// RenderVAL returns the XML VAL text a stock gmond prints for a value
// message, unescaped: a string value itself, a number formatted with the
// message's printf format the way APR's apr_snprintf formats it (see
// AppendVAL). The result never aliases v, whose strings DecodeInto reuses.
func RenderVAL(id MsgID, v *Value) string {
	var buf [64]byte
	return string(AppendVAL(buf[:0], id, v))
}

// AppendVAL appends the text RenderVAL returns to dst, at most 1023 bytes,
// without allocating when dst has room.
//
// Stock gmond 3.7.2 does not use the C library's printf here: it calls
// apr_snprintf(value, 1024, fmt, v) with the value message's format, and
// APR has its own formatter. AppendVAL reproduces that formatter (libapr1
// 1.7.2, as Debian 12's gmond links it) byte for byte, quirks included,
// because gmetad and every XML client see exactly what it prints:
//
//   - %f %e %E generate digits with APR's apr_cvt, which multiplies by ten
//     and rounds the one next digit half up, so exact ties round up (0.125
//     with %.2f is 0.13, -0.5 with %.0f is -1) and only about 17 digits
//     are right (0.3 with %.17f is 0.30000000000000000); at most 78 digits
//     are generated whatever the precision; %e of 0 is 0.000000e-01, and
//     values of 1e80 and more keep only their last 80 integer digits (%e
//     of 1e300 is 0.000000e+79).
//   - %g %G use apr_gcvt: no leading zero (.5), no exponent padding
//     (1.e-5, 1.e+6), style e only when the exponent exceeds the digits by
//     more than 4 (1234.5 with %.3g is 1230), # keeps a lone '.' (2.).
//   - under %f %e %E, inf and nan print as inf and nan, lower case and
//     without sign or + flag; %g of inf or nan prints 0.e+79 (-0.e+79 for
//     -inf); -0 prints as 0.
//   - flags: 0 pads inf, nan and the right side of a left-adjusted number
//     with zeros, and pads before 0x (%#08x of 1 is 000000x1); %5% pads
//     the %; the precision of an integer is capped at 511 digits and %.0d
//     of 0 prints 0; a * width or precision reads the value as an int.
//   - the length modifiers are h, l and q (l and q read 64 bits: the 32-bit
//     register gmond loaded, zero-extended, as its x86-64 code leaves it);
//     %#lx prints no 0x; ll hh L z j t F a ' and every other unknown
//     conversion print as "%" and the character, then the rest as text
//     (%hhu prints %hu, %Lf prints %Lf); "%p" followed by an unknown
//     character prints "bogus %p"; a format ending inside a conversion
//     ends there.
//
// testdata/render/printf.golden holds APR's output for about 9,000 cases
// (and glibc's, for comparison).
//
// Strings ignore fmt: stock gmond prints the string itself, cut at a NUL
// like any C string. Numbers are passed the way gmond passes them: ushort
// and short promoted to int, float to double. Formats on which APR has
// undefined behaviour fall back to the bare value (see fallback).
func AppendVAL(dst []byte, id MsgID, v *Value) []byte {
	b, _ := appendVAL(dst, id, v)
	return b
}

// appendVAL is AppendVAL; apr is false when it fell back.
func appendVAL(dst []byte, id MsgID, v *Value) (b []byte, apr bool) {
	w := valWriter{buf: dst, limit: len(dst) + maxVAL}
	if id == IDString {
		return w.str(cString(v.Str)).buf, true
	}
	if !id.IsValue() {
		return dst, true
	}
	a := aprArg{float: id == IDFloat || id == IDDouble, reg: intReg(id, v), f: floatArg(id, v)}
	if w, apr = w.aprFormat(cString(v.Fmt), &a); !apr {
		w = valWriter{buf: dst, limit: len(dst) + maxVAL}.fallback(id, v)
	}
	if i := bytes.IndexByte(w.buf[len(dst):], 0); i >= 0 {
		w.buf = w.buf[:len(dst)+i] // %c of 0 ends the C string
	}
	return w.buf, apr
}

// cString cuts s at its first NUL, where C stops reading it.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// intReg returns the 64-bit register (%rcx) in which gmond passes an
// integer value: it loads the field in its C type (unsigned short, short,
// int, unsigned int) promoted to a 32-bit int, which on x86-64 clears the
// upper half. A 32-bit conversion reads the lower half, l and q all of it.
func intReg(id MsgID, v *Value) uint64 {
	switch id {
	case IDUShort:
		return uint64(uint16(v.U))
	case IDShort:
		return uint64(uint32(int32(int16(v.I))))
	case IDInt:
		return uint64(uint32(v.I))
	}
	return uint64(v.U)
}

func floatArg(id MsgID, v *Value) float64 {
	if id == IDFloat {
		return float64(v.F32)
	}
	return v.F64
}

// fallback renders a value whose format stock gmond cannot render safely:
// APR's behaviour is undefined and the stock output crashes gmond or
// depends on memory it never wrote. These are
//
//   - %n, which writes through the value as a pointer, %s of a number and
//     %p followed by p I A m T t B F or S, which read it as a pointer;
//   - a conversion of the wrong kind: an integer conversion (d i u o x X c
//     or a * width or precision) of a float or double, which reads a
//     register gmond never loaded, a float conversion (f e E g G) of an
//     integer kind, which reads an unsaved vector register;
//   - a second conversion that reads an argument (gmond passes one);
//   - %g or %G with a precision above 79: apr_gcvt reads digits apr_ecvt
//     never wrote, then past its 80-byte digit buffer, and with some 500
//     digits overflows its 512-byte output buffer (stock gmond crashes on
//     %#.800g);
//   - %f of a value of about 1e79 or more, where apr_cvt fills its digit
//     buffer and conv_fp copies past its end;
//   - a precision that wraps negative as a C int for %f %e (or INT_MAX for
//     %e), an integer precision of SIZE_MAX, a %#x or %#X whose precision
//     of 511 or more leaves no room for 0x, and a * width of INT_MIN.
//
// The bare value (decimal for integers, glibc's %g for floats: six
// significant digits, inf, nan) is the one rendering that stays meaningful
// and numeric for gmetad.
func (w valWriter) fallback(id MsgID, v *Value) valWriter {
	var buf [32]byte
	var b []byte
	switch id {
	case IDFloat, IDDouble:
		x := floatArg(id, v)
		switch {
		case math.IsNaN(x):
			b = append(buf[:0], "nan"...)
		case math.IsInf(x, 0):
			b = append(buf[:0], "inf"...)
		default:
			b = strconv.AppendFloat(buf[:0], math.Abs(x), 'g', 6, 64)
		}
		if math.Signbit(x) {
			w = w.byte('-')
		}
	case IDShort, IDInt:
		b = strconv.AppendInt(buf[:0], int64(int32(intReg(id, v))), 10)
	default:
		b = strconv.AppendUint(buf[:0], intReg(id, v), 10)
	}
	return w.bytes(b)
}

// valWriter appends to buf but never past limit, the way apr_snprintf fills
// gmond's buffer; a negative limit records that a byte did not fit, where
// apr_snprintf stops formatting. Its methods take and return it by value:
// a store through a pointer would make the caller's buffer escape.
type valWriter struct {
	buf   []byte
	limit int
}

// over reports that a byte did not fit.
func (w valWriter) over() bool { return w.limit < 0 }

func (w valWriter) byte(c byte) valWriter {
	if len(w.buf) < w.limit {
		w.buf = append(w.buf, c)
	} else {
		w.limit = -1
	}
	return w
}

func (w valWriter) bytes(b []byte) valWriter {
	n := min(len(b), max(w.limit-len(w.buf), 0))
	w.buf = append(w.buf, b[:n]...)
	if n < len(b) {
		w.limit = -1
	}
	return w
}

func (w valWriter) str(s string) valWriter {
	n := min(len(s), max(w.limit-len(w.buf), 0))
	w.buf = append(w.buf, s[:n]...)
	if n < len(s) {
		w.limit = -1
	}
	return w
}

// pad writes n copies of c.
func (w valWriter) pad(c byte, n uint64) valWriter {
	room := uint64(max(w.limit-len(w.buf), 0))
	if n > room {
		n, w.limit = room, -1
	}
	for ; n > 0; n-- {
		w.buf = append(w.buf, c)
	}
	return w
}
