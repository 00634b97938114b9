package xdr

import "math"

// This file follows apr_vformatter (strings/apr_snprintf.c, APR 1.7.2) step
// by step; render_aprfloat.go has its floating-point conversions. Each
// function names the APR code it stands for. Where APR's behaviour is
// undefined the functions return ok == false and AppendVAL falls back.

// numBufSize is APR's NUM_BUF_SIZE, the buffer that one converted number
// (with its prefix) must fit in.
const numBufSize = 512

// aprArg is the one argument gmond passes after the format, as va_arg sees
// it: an integer kind in a general register, a float kind in a vector
// register. Only the first read of the matching class is defined; the
// read counters tell.
type aprArg struct {
	float  bool
	reg    uint64
	f      float64
	gp, fp int
}

// int is va_arg of an integer or pointer type.
func (a *aprArg) int() (uint64, bool) {
	a.gp++
	return a.reg, !a.float && a.gp == 1
}

// double is va_arg(ap, double).
func (a *aprArg) double() (float64, bool) {
	a.fp++
	return a.f, a.float && a.fp == 1
}

// aprSpec is the state apr_vformatter keeps for one conversion.
type aprSpec struct {
	left, plus, blank, alt bool
	pad                    byte // ' ', or '0' from the 0 flag
	hasWidth, hasPrec      bool
	width, prec            uint64 // apr_size_t, wrapping like C
	quad, short            bool   // l or q, h
}

func byteAt(f string, i int) byte {
	if i < len(f) {
		return f[i]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// aprFormat writes what apr_vformatter writes for f and a, stopping like
// apr_snprintf at the first byte past the limit. It reports false when APR
// would hit undefined behaviour first.
func (w valWriter) aprFormat(f string, a *aprArg) (valWriter, bool) {
	var nb [numBufSize]byte
	for i := 0; i < len(f) && !w.over(); i++ {
		if f[i] != '%' {
			w = w.byte(f[i])
			continue
		}
		sp := aprSpec{pad: ' '}
		i++
		if c := byteAt(f, i); c < 'a' || c > 'z' { // APR skips this for a lower-case letter
			var ok bool
			if i, ok = sp.parse(f, i, a); !ok {
				return w, false
			}
		}
		switch byteAt(f, i) {
		case 'q', 'l': // APR_INT64_T_FMT is "ld" on amd64
			sp.quad = true
			i++
		case 'h':
			sp.short = true
			i++
		}
		verb := byteAt(f, i)
		var s []byte
		var prefix byte
		switch verb {
		case 0: // the format ends inside a conversion: APR ignores it
			return w, true
		case 'd', 'i', 'u', 'o', 'x', 'X':
			x, ok := a.int()
			if !ok {
				return w, false
			}
			if s, prefix, ok = aprInt(&nb, verb, &sp, x); !ok {
				return w, false
			}
		case 'f', 'e', 'E', 'g', 'G':
			x, ok := a.double()
			if !ok {
				return w, false
			}
			if s, prefix, ok = aprFloat(&nb, verb, &sp, x); !ok {
				return w, false
			}
		case 'c':
			x, ok := a.int()
			if !ok {
				return w, false
			}
			nb[0], s, sp.pad = byte(x), nb[:1], ' '
		case 'p':
			i++
			switch byteAt(f, i) {
			case 0: // "%p" ends the format: APR ignores it
				return w, true
			case 'p', 'I', 'A', 'm', 'T', 't', 'B', 'F', 'S':
				return w, false // the value read as a pointer
			}
			a.int() // skipped, unused
			s = append(nb[:0], "bogus %p"...)
		case 'n', 's':
			return w, false
		case '%':
			s, sp.pad = append(nb[:0], '%'), ' '
		default: // unknown: "%" and the character
			s, sp.pad = append(nb[:0], '%', verb), ' '
		}
		w = w.aprEmit(&sp, prefix, s)
	}
	return w, true
}

// parse reads the flags, width and precision at f[i:] and returns the index
// after them. A * reads the argument as an int.
func (sp *aprSpec) parse(f string, i int, a *aprArg) (int, bool) {
	for sp.flag(byteAt(f, i)) {
		i++
	}
	switch c := byteAt(f, i); {
	case isDigit(c):
		sp.hasWidth = true
		sp.width, i = aprDec(f, i)
	case c == '*':
		x, ok := a.int()
		n := int32(x)
		if !ok || n == math.MinInt32 { // -INT_MIN overflows
			return i, false
		}
		i++
		sp.hasWidth, sp.width = true, uint64(n)
		if n < 0 {
			sp.left, sp.width = true, uint64(-n)
		}
	}
	if byteAt(f, i) != '.' {
		return i, true
	}
	i++
	sp.hasPrec = true
	switch c := byteAt(f, i); {
	case isDigit(c):
		sp.prec, i = aprDec(f, i)
	case c == '*':
		x, ok := a.int()
		if !ok {
			return i, false
		}
		i++
		sp.prec = uint64(max(int32(x), 0))
	}
	return i, true
}

// flag records one of APR's flags: - + # space 0.
func (sp *aprSpec) flag(c byte) bool {
	switch c {
	case '-':
		sp.left = true
	case '+':
		sp.plus = true
	case '#':
		sp.alt = true
	case ' ':
		sp.blank = true
	case '0':
		sp.pad = '0'
	default:
		return false
	}
	return true
}

// aprDec is STR_TO_DEC: decimal digits into an apr_size_t, wrapping.
func aprDec(f string, i int) (uint64, int) {
	var n uint64
	for ; i < len(f) && isDigit(f[i]); i++ {
		n = n*10 + uint64(f[i]-'0')
	}
	return n, i
}

// aprEmit writes the converted s with its prefix (sign or blank) padded to
// the width, as the tail of apr_vformatter's loop does; note that a 0 flag
// pads on the right of a left-adjusted number too.
func (w valWriter) aprEmit(sp *aprSpec, prefix byte, s []byte) valWriter {
	n := uint64(len(s))
	if prefix != 0 {
		n++
	}
	if sp.hasWidth && !sp.left && sp.width > n {
		if sp.pad == '0' && prefix != 0 {
			w = w.byte(prefix)
			prefix = 0
		}
		w = w.pad(sp.pad, sp.width-n)
	}
	if prefix != 0 {
		w = w.byte(prefix)
	}
	w = w.bytes(s)
	if sp.hasWidth && sp.left && sp.width > n {
		w = w.pad(sp.pad, sp.width-n)
	}
	return w
}

// aprInt converts x (the argument register) for d i u o x X as APR does:
// conv_10, conv_10_quad, conv_p2 or conv_p2_quad into the end of nb, then
// FIX_PRECISION and the alternate-form prefix.
func aprInt(nb *[numBufSize]byte, verb byte, sp *aprSpec, x uint64) (s []byte, prefix byte, ok bool) {
	signed := verb == 'd' || verb == 'i'
	switch {
	case sp.quad:
	case sp.short && signed:
		x = uint64(int64(int16(x)))
	case sp.short:
		x = uint64(uint16(x))
	case signed:
		x = uint64(int64(int32(x)))
	default:
		x = uint64(uint32(x))
	}
	neg := signed && int64(x) < 0
	if neg {
		x = -x
	}
	i := len(nb)
	switch verb {
	case 'o':
		i = appendBase(nb, x, 3, "01234567")
	case 'x':
		i = appendBase(nb, x, 4, "0123456789abcdef")
	case 'X':
		i = appendBase(nb, x, 4, "0123456789ABCDEF")
	default:
		for v := x; ; {
			i--
			nb[i] = byte('0' + v%10)
			if v /= 10; v == 0 {
				break
			}
		}
	}
	if sp.hasPrec {
		if sp.prec == math.MaxUint64 { // precision+1 wraps: APR pads without bound
			return nil, 0, false
		}
		p := min(sp.prec, numBufSize-1)
		for uint64(len(nb)-i) < p {
			i--
			nb[i] = '0'
		}
	}
	switch {
	case signed && neg:
		prefix = '-'
	case signed && sp.plus:
		prefix = '+'
	case signed && sp.blank:
		prefix = ' '
	case verb == 'o' && sp.alt && nb[i] != '0':
		i--
		nb[i] = '0'
	case (verb == 'x' || verb == 'X') && sp.alt && !sp.quad && x != 0:
		// APR tests ui_num, which a quad conversion leaves at 0.
		if i < 2 {
			return nil, 0, false // would write before num_buf
		}
		i -= 2
		nb[i], nb[i+1] = '0', verb
	}
	return nb[i:], prefix, true
}

// appendBase writes x in base 1<<bits at the end of nb (at least one digit,
// like conv_p2) and returns where it starts.
func appendBase(nb *[numBufSize]byte, x uint64, bits uint, digits string) int {
	i := len(nb)
	for {
		i--
		nb[i] = digits[x&(1<<bits-1)]
		if x >>= bits; x == 0 {
			return i
		}
	}
}
