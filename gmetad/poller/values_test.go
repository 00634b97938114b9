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

func TestOldVersion(t *testing.T) {
	for in, want := range map[string]bool{"3.7.2": false, "2.5.0": false, "2.5": false, "2.4.1": true, "2": true, "": true, "10.0": true} {
		if got := oldVersion(in); got != want {
			t.Errorf("oldVersion(%q) = %v, want %v", in, got, want)
		}
	}
}
