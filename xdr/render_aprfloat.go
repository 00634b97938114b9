package xdr

import (
	"bytes"
	"math"
)

// APR's floating-point conversions (strings/apr_snprintf.c, APR 1.7.2):
// apr_cvt generates decimal digits with plain double arithmetic (modf,
// division and multiplication by ten), conv_fp lays them out for %f and %e,
// apr_gcvt for %g. The arithmetic is IEEE double on amd64 and in Go alike,
// so doing the same operations in the same order gives the same digits; no
// expression here has a multiply feeding an add that Go could fuse.

// ndig is APR's NDIG, the size of apr_cvt's digit buffer.
const ndig = 80

// aprFloat converts x for f e E g G as apr_vformatter does, into nb[1:].
func aprFloat(nb *[numBufSize]byte, verb byte, sp *aprSpec, x float64) (s []byte, prefix byte, ok bool) {
	neg := false
	switch {
	case verb == 'g' || verb == 'G':
		prec := uint64(6)
		if sp.hasPrec {
			prec = max(sp.prec, 1)
		}
		nd := int(int32(prec)) // (int) precision
		if nd < 1 || nd > ndig-1 {
			return nil, 0, false
		}
		if s, ok = aprGcvt(nb[1:1], x, nd, sp.alt); !ok {
			return nil, 0, false
		}
		if len(s) > 0 && s[0] == '-' {
			neg, s = true, s[1:]
		}
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i] // strlen
		}
		if sp.alt && bytes.IndexByte(s, '.') < 0 {
			s = append(s, '.')
		}
		if i := bytes.IndexByte(s, 'e'); verb == 'G' && i >= 0 {
			s[i] = 'E'
		}
	case math.IsNaN(x):
		return append(nb[:0], "nan"...), 0, true
	case math.IsInf(x, 0):
		return append(nb[:0], "inf"...), 0, true
	default:
		prec := 6
		if sp.hasPrec {
			prec = int(int32(sp.prec)) // (int) precision
		}
		if prec < 0 || (verb != 'f' && prec == math.MaxInt32) {
			return nil, 0, false
		}
		if s, neg, ok = aprConvFP(nb[1:1], verb, x, sp.alt, prec); !ok {
			return nil, 0, false
		}
	}
	switch {
	case neg:
		prefix = '-'
	case sp.plus:
		prefix = '+'
	case sp.blank:
		prefix = ' '
	}
	return s, prefix, true
}

// cModf is C's modf: integer and fractional part. It differs from
// math.Modf only for infinities, whose fractional part C makes 0.
func cModf(x float64) (ipart, frac float64) {
	if math.IsInf(x, 0) {
		return x, 0
	}
	return math.Modf(x)
}

// cvtDigit is `(int) v + '0'` stored in a char: the conversion of NaN or of
// a value out of int range gives INT_MIN on x86-64, whose low byte is 0.
func cvtDigit(v float64) byte {
	if !(v > -1<<31-1 && v < 1<<31) {
		return '0'
	}
	return byte(int32(v)) + '0'
}

// aprCvt is apr_cvt: ndigits digits of arg (eflag, apr_ecvt) or ndigits
// after the point (apr_fcvt) in buf[:n], where C puts its NUL at buf[n];
// decpt is the position of the point, neg the sign (arg < 0, so not -0 and
// not NaN). At most 78 digits are asked for; with the point beyond the
// buffer (apr_fcvt of 1e79 and more) 79 digits come back unrounded. ok is
// false when C would store its NUL past the buffer.
func aprCvt(arg float64, ndigits int, eflag bool, buf *[ndig]byte) (n, decpt int, neg, ok bool) {
	if ndigits >= ndig-1 {
		ndigits = ndig - 2
	}
	r2 := 0
	if arg < 0 {
		neg, arg = true, -arg
	}
	fi, arg := cModf(arg)
	p := 0
	if fi != 0 {
		// The integer part, from its last digit, into the end of buf.
		p1 := ndig
		for p1 > 0 && fi != 0 {
			var fj float64
			fi, fj = cModf(fi / 10)
			p1--
			buf[p1] = cvtDigit(float64(fj+.03) * 10)
			r2++
		}
		p = copy(buf[:], buf[p1:])
	} else if arg > 0 {
		for fj := arg * 10; fj < 1; fj = arg * 10 {
			arg = fj
			r2--
		}
	}
	p1 := ndigits
	if !eflag {
		p1 += r2
	}
	if p1 < 0 { // nothing to show at this precision
		return 0, -ndigits, neg, true
	}
	decpt = r2
	for p <= p1 && p < ndig {
		var fj float64
		fj, arg = cModf(arg * 10)
		buf[p] = cvtDigit(fj)
		p++
	}
	if p1 >= ndig {
		return ndig - 1, decpt, neg, true
	}
	// Round half up on the one digit after the last, carrying.
	p = p1
	buf[p1] += 5
	for buf[p1] > '9' {
		buf[p1] = '0'
		if p1 > 0 {
			p1--
			buf[p1]++
			continue
		}
		buf[p1] = '1'
		decpt++
		if !eflag {
			if p > 0 {
				buf[p] = '0'
			}
			p++
		}
	}
	return p, decpt, neg, p < ndig
}

// aprConvFP is conv_fp: x (finite) with format 'f', 'e' or 'E' and prec
// digits after the point, appended to dst without the sign. ok is false
// when conv_fp would copy past the digits (%f of about 1e79 and more).
func aprConvFP(dst []byte, format byte, x float64, addDP bool, prec int) (s []byte, neg, ok bool) {
	var buf [ndig]byte
	var n, decpt int
	if format == 'f' {
		n, decpt, neg, ok = aprCvt(x, prec, false, &buf)
	} else {
		n, decpt, neg, ok = aprCvt(x, prec+1, true, &buf)
	}
	if !ok {
		return nil, false, false
	}
	d := buf[:n]
	switch {
	case format != 'f':
		dst = append(dst, d[0])
		d = d[1:]
		if prec > 0 || addDP {
			dst = append(dst, '.')
		}
	case decpt <= 0:
		dst = append(dst, '0')
		if prec > 0 {
			dst = append(dst, '.')
			for ; decpt < 0; decpt++ {
				dst = append(dst, '0')
			}
		} else if addDP {
			dst = append(dst, '.')
		}
	case decpt > n:
		return nil, false, false
	default:
		dst = append(dst, d[:decpt]...)
		d = d[decpt:]
		if prec > 0 || addDP {
			dst = append(dst, '.')
		}
	}
	dst = append(dst, d...)
	if format == 'f' {
		return dst, neg, true
	}
	// The exponent: at least two digits, and "+00" (never "-00") for 0.
	dst = append(dst, format)
	e := decpt - 1
	switch {
	case e == 0:
		return append(dst, "+00"...), neg, true
	case e < 0:
		dst, e = append(dst, '-'), -e
	default:
		dst = append(dst, '+')
	}
	if e < 10 {
		dst = append(dst, '0')
	}
	if e >= 100 {
		dst = append(dst, byte('0'+e/100))
	}
	if e >= 10 {
		dst = append(dst, byte('0'+e/10%10))
	}
	return append(dst, byte('0'+e%10)), neg, true
}

// aprGcvt is apr_gcvt: x with nd (1 to 79) significant digits, trailing
// zeros dropped, in style e only when the exponent is below -4 or exceeds
// the digits kept by more than 4, with '-' but no '+'. With nd = 79 the
// text holds the NUL of apr_ecvt's 78 digits, where the caller cuts it.
func aprGcvt(dst []byte, x float64, nd int, alt bool) ([]byte, bool) {
	var b [ndig]byte
	n, decpt, neg, ok := aprCvt(x, nd, true, &b)
	if !ok {
		return nil, false
	}
	b[n] = 0
	if neg {
		dst = append(dst, '-')
	}
	for i := nd - 1; i > 0 && b[i] == '0'; i-- {
		nd--
	}
	if (decpt >= 0 && decpt-nd > 4) || decpt < -3 {
		decpt--
		dst = append(dst, b[0], '.')
		dst = append(dst, b[1:nd]...)
		dst = append(dst, 'e')
		if decpt < 0 {
			dst, decpt = append(dst, '-'), -decpt
		} else {
			dst = append(dst, '+')
		}
		if decpt/100 > 0 {
			dst = append(dst, byte('0'+decpt/100))
		}
		if decpt/10 > 0 {
			dst = append(dst, byte('0'+decpt%100/10))
		}
		dst = append(dst, byte('0'+decpt%10))
	} else {
		if decpt <= 0 {
			if b[0] != '0' {
				dst = append(dst, '.')
			}
			for ; decpt < 0; decpt++ {
				dst = append(dst, '0')
			}
		}
		for i := 1; i <= nd; i++ {
			dst = append(dst, b[i-1])
			if i == decpt {
				dst = append(dst, '.')
			}
		}
		if nd < decpt {
			for ; nd < decpt; nd++ {
				dst = append(dst, '0')
			}
			dst = append(dst, '.')
		}
	}
	if dst[len(dst)-1] == '.' && !alt {
		dst = dst[:len(dst)-1]
	}
	return dst, true
}
