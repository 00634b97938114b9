package xmlout

import (
	"math"
	"strconv"
)

// maxPrecision bounds the decimals printed for a Float sum. Stock gmetad
// takes the precision from the VAL text unchecked and sprintf's into a
// 256-byte buffer, so absurd precisions overflow there; we clamp instead.
const maxPrecision = 64

// FormatSum returns SUM as stock gmetad prints it in METRICS and writes it
// to cluster-summary RRDs (PROTOCOL.md §4.5): "%.f" for Int and UInt,
// "%.*f" with the entry's sticky Precision for Float.
func FormatSum(m SummaryMetric) string {
	var b [32]byte
	return string(AppendSum(b[:0], &m))
}

// AppendSum appends FormatSum(*m) to dst without allocating (for short
// sums).
func AppendSum(dst []byte, m *SummaryMetric) []byte {
	prec := 0
	if m.Kind != Int && m.Kind != UInt {
		prec = m.Precision
		if prec < 0 {
			prec = 6 // C printf treats a negative "*" precision as absent
		} else if prec > maxPrecision {
			prec = maxPrecision
		}
	}
	return appendCFixed(dst, m.Sum, prec)
}

// FormatRootSum returns a root (grid) summary SUM as stock gmetad writes it
// to rrds/__SummaryInfo__/: always "%.5f", whatever the metric's type.
func FormatRootSum(sum float64) string {
	var b [32]byte
	return string(AppendRootSum(b[:0], sum))
}

// AppendRootSum appends FormatRootSum(sum) to dst.
func AppendRootSum(dst []byte, sum float64) []byte {
	return appendCFixed(dst, sum, 5)
}

// appendCFixed is C's "%.*f": correctly rounded fixed point (Go and glibc
// both round the exact binary value half to even), with C's spelling of
// the non-finite values.
func appendCFixed(dst []byte, f float64, prec int) []byte {
	switch {
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	return strconv.AppendFloat(dst, f, 'f', prec, 64)
}
