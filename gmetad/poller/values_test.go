package poller

import (
	"math"
	"testing"
)

func TestAtoi(t *testing.T) {
	for in, want := range map[string]int64{
		"42": 42, " 7": 7, "-1065984480": -1065984480, "+3": 3, "12abc": 12, "": 0, "x": 0,
		"99999999999999999999": math.MaxInt64, "-": 0, "1.9": 1,
	} {
		if got := atoi(in); got != want {
			t.Errorf("atoi(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]uint32{"5": 5, "-5": 0, "99999999999": math.MaxUint32} {
		if got := atou32(in); got != want {
			t.Errorf("atou32(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestStrtod(t *testing.T) {
	for in, want := range map[string]float64{
		"1.03": 1.03, "-42": -42, "1.5e10": 1.5e10, " 2": 2, "12.5abc": 12.5, "3e": 3, "3e+": 3,
		"abc": 0, "": 0, ".5": 0.5, "5.": 5, "-.5x": -0.5, "1e999": math.Inf(1), "inf": math.Inf(1),
		"0x10": 16, "0x1p3": 8, "0X1.8": 1.5, "0xg": 0, "1_000": 1, "--1": 0, "infinity": math.Inf(1), "-Inf": math.Inf(-1),
	} {
		if got := strtod(in); got != want {
			t.Errorf("strtod(%q) = %v, want %v", in, got, want)
		}
	}
	if !math.IsNaN(strtod("nan")) {
		t.Errorf("strtod(nan) is a number")
	}
}

func TestPrecision(t *testing.T) {
	// Observed in stock gmetad summaries (§4.5).
	for in, want := range map[string]int{"0.42": 2, "24039476": 0, "1.5e10": 4, "88.5": 1, "1.": 0, "a.b.cd": 2} {
		if got := precision(in); got != want {
			t.Errorf("precision(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestOldVersion(t *testing.T) {
	for in, want := range map[string]bool{"3.7.2": false, "2.5.0": false, "2.5": false, "2.4.1": true, "2": true, "": true, "10.0": true} {
		if got := oldVersion(in); got != want {
			t.Errorf("oldVersion(%q) = %v, want %v", in, got, want)
		}
	}
}
