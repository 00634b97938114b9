package xmlout

import (
	"math"
	"strings"
	"testing"
)

func TestFormatSum(t *testing.T) {
	cases := []struct {
		m    SummaryMetric
		want string
	}{
		{SummaryMetric{Kind: UInt, Sum: 2}, "2"},                                    // cpu_num, capture 02
		{SummaryMetric{Kind: UInt, Sum: 12e9}, "12000000000"},                       // no 32-bit wrap
		{SummaryMetric{Kind: Int, Sum: -42}, "-42"},                                 // golden_int8
		{SummaryMetric{Kind: Int, Sum: 2.5, Precision: 3}, "2"},                     // %.f ignores precision, rounds half to even
		{SummaryMetric{Kind: Int, Sum: 3.5}, "4"},                                   //
		{SummaryMetric{Kind: Float, Sum: 22.25, Precision: 1}, "22.2"},              // golden_spoofed_temp, sticky precision
		{SummaryMetric{Kind: Float, Sum: 2.5, Precision: 5}, "2.50000"},             // golden_float, first VAL 3.14159
		{SummaryMetric{Kind: Float, Sum: 0.25, Precision: 2}, "0.25"},               // load_one
		{SummaryMetric{Kind: Float, Sum: 1.5e10, Precision: 4}, "15000000000.0000"}, // VAL "1.5e10" (PROTOCOL.md §4.5)
		{SummaryMetric{Kind: Float, Sum: 24039476}, "24039476"},                     // mem_total "%.0f"
		{SummaryMetric{Kind: Float, Sum: 0.1, Precision: -1}, "0.100000"},           // C: negative precision = default 6
		{SummaryMetric{Kind: Float, Sum: 1, Precision: 1000}, "1." + strings.Repeat("0", maxPrecision)},
		{SummaryMetric{Kind: Float, Sum: math.NaN(), Precision: 2}, "nan"},
		{SummaryMetric{Kind: Float, Sum: math.Inf(1)}, "inf"},
		{SummaryMetric{Kind: UInt, Sum: math.Inf(-1)}, "-inf"},
	}
	for _, c := range cases {
		if got := FormatSum(c.m); got != c.want {
			t.Errorf("FormatSum(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
}

func TestFormatRootSum(t *testing.T) {
	for sum, want := range map[float64]string{0.25: "0.25000", 2: "2.00000", 1.5e10: "15000000000.00000", -0.000004: "-0.00000"} {
		if got := FormatRootSum(sum); got != want {
			t.Errorf("FormatRootSum(%v) = %q, want %q", sum, got, want)
		}
	}
}

func TestFormatSumAllocs(t *testing.T) {
	m := SummaryMetric{Kind: Float, Sum: 123456.789, Precision: 3}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf = AppendSum(buf[:0], &m) }); n != 0 {
		t.Errorf("AppendSum allocates %.0f times", n)
	}
}
