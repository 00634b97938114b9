package rrdstore

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"testing"
)

func TestReadDouble(t *testing.T) {
	tests := []struct {
		in   string
		bits uint64 // when ok
		ok   bool
	}{
		{"1.5", math.Float64bits(1.5), true},
		{"4e0", math.Float64bits(4), true},
		{" 7", math.Float64bits(7), true},
		{"+3", math.Float64bits(3), true},
		{"-0", math.Float64bits(math.Copysign(0, -1)), true},
		{".5", math.Float64bits(0.5), true},
		{"5.", math.Float64bits(5), true},
		{"1e", math.Float64bits(1), true},
		{"1E+", math.Float64bits(1), true},
		{"1e400", math.Float64bits(math.Inf(1)), true},
		{"1e-400", 0, true},
		{"1e1024", math.Float64bits(math.Inf(1)), true},
		{"0e1024", 1, true}, // 0 × 10^1024 = 0 × Inf: NaN (bits are the CPU's)
		{"nan", 0x7FF8000000000000, true},
		{"NaNx", 0x7FF8000000000000, true},
		{"-nan", unknownBits, true},
		{"inf", math.Float64bits(math.Inf(1)), true},
		{"-Infinity", math.Float64bits(math.Inf(-1)), true},
		{"+inf", 0, false},
		{" nan", 0, false},
		{"1e1025", 0, false},
		{"1e-1022", 0, false},
		{"3 ", 0, false},
		{"0x10", 0, false},
		{"", 0, false},
		{".", 0, false},
		{"-", 0, false},
		{"U", 0, false},
	}
	for _, tt := range tests {
		v, err := readDouble(tt.in, "ctx")
		if (err == nil) != tt.ok {
			t.Errorf("readDouble(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrBadValue) {
			t.Errorf("readDouble(%q) error %v is not ErrBadValue", tt.in, err)
		}
		if tt.bits == 1 && !math.IsNaN(v) {
			t.Errorf("readDouble(%q) = %v, want NaN", tt.in, v)
		}
		if tt.ok && tt.bits != 1 && math.Float64bits(v) != tt.bits {
			t.Errorf("readDouble(%q) = %#x, want %#x", tt.in, math.Float64bits(v), tt.bits)
		}
	}
}

// TestReadDoubleNotStrconv shows why librrd's reader is needed: on these
// strings it differs from a correctly rounded parse (and rrdtool agrees
// with it, see the differential tests).
func TestReadDoubleNotStrconv(t *testing.T) {
	differ := 0
	for _, s := range []string{"5.123456789012345678", "0.1234567890123456789", "1.7976931348623157e308",
		"0.30000000000000004", "123456789012345678901234567890", "9.87654321e-5", "0.1e-5", "1e23"} {
		v, _ := readDouble(s, "")
		w, _ := strconv.ParseFloat(s, 64)
		if v != w {
			differ++
		}
	}
	if differ == 0 {
		t.Error("the naive reader agrees with strconv on every sample; expected librrd's rounding")
	}
}

func TestReadDoubleMessages(t *testing.T) {
	_, err := readDouble("1.5x", "Function update_pdp_prep, case DST_GAUGE")
	want := "Function update_pdp_prep, case DST_GAUGE - Converted '1.5x' to 1.500000, but cannot convert 'x'"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	_, err = readDouble("abc", "ctx")
	if err == nil || err.Error() != "ctx - Cannot convert 'abc' to float" {
		t.Errorf("got %v", err)
	}
}

// refNumRE tokenises a number the way RRD-FORMAT §2.3 describes it.
var refNumRE = regexp.MustCompile(`^[ \t\n\v\f\r]*([+-]?)([0-9]*)(?:\.([0-9]*))?`)
var refExpRE = regexp.MustCompile(`^[eE]([+-]?)([0-9]*)`)

// refOp is one IEEE-754 double operation, done exactly in big.Float and
// rounded once to float64 (which handles subnormals and overflow).
func refOp(a, b float64, op byte) float64 {
	if math.IsInf(a, 0) || math.IsInf(b, 0) || math.IsNaN(a) || math.IsNaN(b) || (op == '/' && b == 0) {
		switch op { // specials: IEEE rules, nothing to round
		case '*':
			return a * b
		case '/':
			return a / b
		}
		return a + b
	}
	x, y := new(big.Float).SetPrec(512).SetFloat64(a), new(big.Float).SetPrec(512).SetFloat64(b)
	z := new(big.Float).SetPrec(512)
	switch op {
	case '*':
		z.Mul(x, y)
	case '/':
		z.Quo(x, y)
	default:
		z.Add(x, y)
	}
	f, _ := z.Float64()
	return f
}

// refReadDouble is an independent model of librrd's reader for the fuzzer.
func refReadDouble(s string) (float64, bool) {
	m := refNumRE.FindStringSubmatchIndex(s)
	sign, ip, fp := s[m[2]:m[3]], s[m[4]:m[5]], ""
	if m[6] >= 0 {
		fp = s[m[6]:m[7]]
	}
	rest := s[m[1]:]
	if len(ip)+len(fp) == 0 {
		return refSpecial(s)
	}
	acc := 0.0
	for _, c := range ip + fp {
		acc = refOp(refOp(acc, 10, '*'), float64(c-'0'), '+')
	}
	if sign == "-" {
		acc = -acc
	}
	exp := -int32(len(fp))
	if e := refExpRE.FindStringSubmatch(rest); e != nil {
		var n int32
		for _, c := range e[2] {
			n = n*10 + int32(c-'0') // C int arithmetic
		}
		if e[1] == "-" {
			n = -n
		}
		exp += n
		rest = rest[len(e[0]):]
	}
	if exp < -1021 || exp > 1024 {
		return refSpecial(s)
	}
	p10, k := 10.0, exp
	if k < 0 {
		k = -k
	}
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			if exp < 0 {
				acc = refOp(acc, p10, '/')
			} else {
				acc = refOp(acc, p10, '*')
			}
		}
		p10 = refOp(p10, p10, '*')
	}
	return acc, rest == ""
}

func refSpecial(s string) (float64, bool) {
	lower := []byte(s[:min(len(s), 4)])
	for i, c := range lower {
		if 'A' <= c && c <= 'Z' {
			lower[i] = c + 32
		}
	}
	l := string(lower)
	switch {
	case len(l) >= 4 && l[:4] == "-nan":
		return math.Float64frombits(unknownBits), true
	case len(l) >= 3 && l[:3] == "nan":
		return math.Float64frombits(0x7FF8000000000000), true
	case len(l) >= 3 && l[:3] == "inf":
		return math.Inf(1), true
	case len(l) >= 4 && l[:4] == "-inf":
		return math.Inf(-1), true
	}
	return 0, false
}

func FuzzNaiveFloat(f *testing.F) {
	for _, s := range []string{"1.5", "1.50", "4e0", " 7", "+3", "1e400", "-1e-400", "nan", "-nan", "inf",
		"-inf", "1.5x", "5.123456789012345678", "0.1234567890123456789", "1e-1021", "1e1024", "0e1024",
		"123456789012345678901234567890", ".5", "5.", "1e", "1e+", "1e99999999999", "\v-3.25E-2", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := readDouble(s, "x")
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return // the reference is for ASCII; not panicking is all we ask here
			}
		}
		w, ok := refReadDouble(s)
		if (err == nil) != ok {
			t.Fatalf("readDouble(%q) error %v, reference ok=%v", s, err, ok)
		}
		if ok && math.Float64bits(v) != math.Float64bits(w) {
			t.Fatalf("readDouble(%q) = %v (%#x), reference %v (%#x)", s, v, math.Float64bits(v), w, math.Float64bits(w))
		}
	})
}

func TestCdiff(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"5", "3", 2},
		{"3", "5", -2},
		{"-3", "-5", 2}, // both negative: sign flipped back
		{"-5", "-5", math.Copysign(0, -1)},
		{"5", "-3", math.NaN()},
		{"", "3", math.NaN()},
		{"5", "U", math.NaN()},
		{"12abc", "x2y", 10},
		{"100", "1.5", 99}, // only the first run of digits counts
		{"123456789012345678901234567890", "0", naive("123456789012345678901234567890")}, // rounded per digit
		{"1234567890123456789012345678901", "0", math.NaN()},
		{"18446744073709551615", "18446744073709551610", 5},
		{"9007199254740993", "0", 9007199254740992},
	}
	for _, tt := range tests {
		got := cdiff(tt.a, []byte(tt.b))
		if math.IsNaN(tt.want) {
			if math.Float64bits(got) != unknownBits {
				t.Errorf("cdiff(%q, %q) = %v, want unknown", tt.a, tt.b, got)
			}
			continue
		}
		if math.Float64bits(got) != math.Float64bits(tt.want) {
			t.Errorf("cdiff(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func naive(s string) float64 {
	v, _ := strtod(s)
	return v
}

// TestCdiffExact: below 2^53 the difference is exact.
func TestCdiffExact(t *testing.T) {
	for _, p := range [][2]int64{{0, 0}, {1, 2}, {99999, 100000}, {1 << 52, 3}, {4294967290, 5}, {7, 7}} {
		for _, q := range [][2]int64{p, {p[1], p[0]}} {
			got := cdiff(strconv.FormatInt(q[0], 10), []byte(strconv.FormatInt(q[1], 10)))
			if want := float64(q[0] - q[1]); got != want {
				t.Errorf("cdiff(%d, %d) = %v, want %v", q[0], q[1], got, want)
			}
		}
	}
}
