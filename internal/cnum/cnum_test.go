package cnum

import (
	"math"
	"testing"
)

func TestStrtod(t *testing.T) {
	for in, want := range map[string]float64{
		"1.03": 1.03, "-42": -42, "1.5e10": 1.5e10, " 2": 2, "\v\f\r2": 2, "12.5abc": 12.5, "3e": 3,
		"3e+": 3, "abc": 0, "": 0, ".5": 0.5, "5.": 5, "-.5x": -0.5, "1e999": math.Inf(1),
		"inf": math.Inf(1), "0x10": 16, "0x1p3": 8, "0X1.8": 1.5, "0xg": 0, "1_000": 1, "--1": 0,
		"+-1": 0, "infinity": math.Inf(1), "-Inf": math.Inf(-1), "+7": 7,
	} {
		if got := Strtod(in); got != want {
			t.Errorf("Strtod(%q) = %v, want %v", in, got, want)
		}
	}
	if !math.IsNaN(Strtod("nan")) || !math.IsNaN(Strtod("-NaN(123)")) {
		t.Errorf("Strtod(nan) is a number")
	}
}

func TestPrecision(t *testing.T) {
	// Observed in stock gmetad summaries (PROTOCOL.md 4.5).
	for in, want := range map[string]int{"0.42": 2, "24039476": 0, "1.5e10": 4, "88.5": 1, "1.": 0, "a.b.cd": 2} {
		if got := Precision(in); got != want {
			t.Errorf("Precision(%q) = %d, want %d", in, got, want)
		}
	}
}

func FuzzStrtod(f *testing.F) {
	for _, s := range []string{"1.5", "0x1p3", "inf", "-nan", "1e999", " 12abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = Strtod(s)
		if p := Precision(s); p < 0 || p > len(s) {
			t.Fatalf("Precision(%q) = %d", s, p)
		}
	})
}

// Cases the grid relied on when it had its own copy.
func TestStrtodGridCases(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"1.5", 1.5}, {"12abc", 12}, {"abc", 0}, {"", 0}, {" 7", 7}, {"-3e2x", -300}, {"1e", 1}, {"1_000", 1},
		{"0x1A", 26}, {"0x1p4", 16}, {"inf", math.Inf(1)}, {"-Infinity", math.Inf(-1)}, {".5", 0.5}, {"1e999", math.Inf(1)},
		{"+.", 0},
	} {
		if got := Strtod(tc.in); got != tc.want {
			t.Errorf("Strtod(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if !math.IsNaN(Strtod("-nan")) {
		t.Errorf("nan")
	}
}
