package rrdstore

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A seeded random differential run in the style of tools/rrd/difffuzz.py:
// random DS types, limits, heartbeats, CFs, xff, steps and row counts, and
// random time/value sequences with the text forms gmetad and people send.
//
//	go test -run TestDiffFuzz -rrd.difffuzz=2000 -rrd.seed=7 ./rrdstore
var (
	diffFuzzCases = flag.Int("rrd.difffuzz", 300, "number of random differential cases against rrdtool")
	diffFuzzSeed  = flag.Uint64("rrd.seed", 1, "seed of the random differential cases")
)

func TestDiffFuzz(t *testing.T) {
	p := startRRDPipe(t)
	rnd := rand.New(rand.NewPCG(*diffFuzzSeed, 0x5eed))
	dir := t.TempDir()
	var st diffStats
	fails := 0
	for n := 0; n < *diffFuzzCases && fails < 5; n++ {
		c := randomCase(rnd, n)
		cdir := filepath.Join(dir, fmt.Sprint(n))
		if err := os.Mkdir(cdir, 0o755); err != nil {
			t.Fatal(err)
		}
		if !runDiff(t, p, cdir, c, &st) {
			fails++
			continue
		}
		checkReaders(t, p, filepath.Join(cdir, "b.rrd"))
		os.RemoveAll(cdir)
	}
	t.Logf("random differential run (seed %d): %s, %d mismatches", *diffFuzzSeed, st, fails)
}

type fuzzDS struct {
	typ string
	hb  uint64
}

func randomCase(rnd *rand.Rand, n int) diffCase {
	step := pick(rnd, []uint64{1, 5, 10, 15, 60, 300})
	c := diffCase{name: fmt.Sprintf("random case %d", n), step: step,
		start: 1700000000 + rnd.Int64N(20001) - 10000}
	var dss []fuzzDS
	for i := range 1 + rnd.IntN(3) {
		d := fuzzDS{typ: pick(rnd, []string{"GAUGE", "GAUGE", "COUNTER", "DERIVE", "ABSOLUTE"}),
			hb: pick(rnd, []uint64{step, 2 * step, 8 * step, 20*step + 7})}
		lim := "U:U"
		if rnd.Float64() < 0.3 {
			lo, hi := pick(rnd, []string{"0", "-50", "10", "-1e3", "U"}), pick(rnd, []string{"500", "1e6", "100000", "2.5", "U"})
			if lo == "10" && hi == "2.5" {
				hi = "1e6"
			}
			lim = lo + ":" + hi
		}
		dss = append(dss, d)
		c.defs = append(c.defs, fmt.Sprintf("DS:d%d:%s:%d:%s", i, d.typ, d.hb, lim))
	}
	for range 1 + rnd.IntN(5) {
		c.defs = append(c.defs, fmt.Sprintf("RRA:%s:%s:%d:%d",
			pick(rnd, []string{"AVERAGE", "MIN", "MAX", "LAST"}), pick(rnd, []string{"0", "0.5", "0.99", "0.25"}),
			pick(rnd, []int{1, 1, 2, 3, 4, 7, 40}), pick(rnd, []int{1, 2, 5, 10, 37})))
	}
	hbMax := uint64(0)
	for _, d := range dss {
		hbMax = max(hbMax, d.hb)
	}
	t := float64(c.start)
	for range 5 + rnd.IntN(36) {
		var call []string
		for range 1 + rnd.IntN(4) {
			t = nextTime(rnd, t, step, hbMax)
			vals := make([]string, len(dss))
			for i, d := range dss {
				vals[i] = "U"
				if rnd.Float64() >= 0.12 {
					vals[i] = randomValue(rnd, d.typ)
				}
			}
			call = append(call, timeText(rnd, t)+":"+strings.Join(vals, ":"))
		}
		c.calls = append(c.calls, call)
	}
	return c
}

func pick[T any](rnd *rand.Rand, xs []T) T { return xs[rnd.IntN(len(xs))] }

// nextTime: mostly small steps, some whole steps, gaps past the
// heartbeat, sub-second times, and a few past or equal times (errors).
func nextTime(rnd *rand.Rand, t float64, step, hbMax uint64) float64 {
	s := int64(step)
	switch r := rnd.Float64(); {
	case r < 0.55:
		return t + float64(1+rnd.Int64N(2*s))
	case r < 0.75:
		return t + float64((1+rnd.Int64N(3))*s)
	case r < 0.85:
		return t + float64(int64(hbMax)+rnd.Int64N(60*s+1000-int64(hbMax)+1))
	case r < 0.92:
		return t + float64(1+rnd.Int64N(20)) + float64(rnd.IntN(1000000))/1e6
	case r < 0.96:
		return t - float64(rnd.Int64N(4))
	}
	return t + 1
}

// timeText writes t as gmetad would ("%d"), with fractions, and now and
// then in the other spellings librrd's reader takes.
func timeText(rnd *rand.Rand, t float64) string {
	s := fmt.Sprintf("%d", int64(t))
	if t != math.Trunc(t) {
		s = fmt.Sprintf("%.6f", t)
	}
	switch r := rnd.Float64(); {
	case r < 0.02:
		return "+" + s
	case r < 0.04:
		return " " + s
	case r < 0.05 && t == math.Trunc(t):
		return s + "0e-1"
	}
	return s
}

func randomValue(rnd *rand.Rand, typ string) string {
	r := rnd.Float64()
	switch typ {
	case "COUNTER":
		switch {
		case r < 0.1:
			return pick(rnd, []string{"0", "4294967290", "4294967295", "18446744073709551610", "18446744073709551615"})
		case r < 0.12:
			return pick(rnd, []string{"", "123456789012345678901234567890", "007", "1.5", "+3"})
		}
		return fmt.Sprint(rnd.Int64N(int64(math.Pow10(1 + rnd.IntN(12)))))
	case "DERIVE":
		if r < 0.03 {
			return pick(rnd, []string{"-", "", "-0", "--1", "1e3"})
		}
		return fmt.Sprint(rnd.Int64N(1_000_000+int64(math.Pow10(1+rnd.IntN(9)))) - 1_000_000)
	}
	return randomDecimal(rnd, r)
}

// randomDecimal: GAUGE and ABSOLUTE readings in many spellings.
func randomDecimal(rnd *rand.Rand, r float64) string {
	switch {
	case r < 0.05:
		return pick(rnd, []string{"nan", "NaN", "-nan", "inf", "-inf", "nanx", "Ux"})
	case r < 0.09:
		return pick(rnd, []string{"1.50", "4e0", " 7", "+3", "1e400", "-0", ".5", "5.", "1e", "1E-3", "0.30000000000000004"})
	case r < 0.10:
		return pick(rnd, []string{"abc", "1.5x", "+inf", "3 ", ""})
	case r < 0.20:
		return fmt.Sprint(rnd.IntN(101001) - 1000)
	case r < 0.35:
		return fmt.Sprintf("%.*f", 1+rnd.IntN(9), rnd.Float64()*(1e6+1e3)-1e3)
	case r < 0.45:
		return fmt.Sprintf("%de%d", 1+rnd.IntN(999), rnd.IntN(25)-12)
	case r < 0.50:
		var b strings.Builder
		b.WriteString("0.")
		for range 10 + rnd.IntN(11) {
			b.WriteByte(byte('0' + rnd.IntN(10)))
		}
		return b.String()
	}
	return fmt.Sprint(rnd.Float64()*1100 - 100) // Go's shortest form, like Python's repr
}
