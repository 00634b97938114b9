package lpar

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func addSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s", pattern)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseLparcfg: the parser never panics, and what it returns renders
// back into a file that parses to the same values.
func FuzzParseLparcfg(f *testing.F) {
	addSeeds(f, "testdata/linux/*/proc/ppc64/lparcfg")
	f.Add([]byte("lparcfg 1.9\n=\nx=\n a = b \npurr=12 ticks\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := parseLparcfg(b)
		if err != nil {
			return
		}
		keys := make([]string, 0, len(c.kv))
		for k, v := range c.kv {
			if k == "" || strings.ContainsAny(k, "=\n") || strings.Contains(v, "\n") {
				t.Fatalf("bad pair %q=%q", k, v)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var sb strings.Builder
		for _, k := range keys {
			sb.WriteString(k + "=" + c.kv[k] + "\n")
		}
		again, err := parseLparcfg([]byte(sb.String()))
		if err != nil {
			t.Fatalf("re-parse: %v", err)
		}
		for k, v := range c.kv {
			if strings.TrimSpace(k) == k && again.kv[k] != v {
				t.Fatalf("%q: %q then %q", k, v, again.kv[k])
			}
		}
		// The readings built from any parse are well-formed.
		for _, r := range configReadings(c, 16) {
			if math.IsNaN(r.Value.Num) || math.IsInf(r.Value.Num, 0) || r.Value.Num < 0 {
				t.Fatalf("%s = %v", r.Name, r.Value.Num)
			}
		}
	})
}

// FuzzParseLparstatInfo: never panics; numbers are finite.
func FuzzParseLparstatInfo(f *testing.F) {
	addSeeds(f, "testdata/aix/*/.commands/lparstat -i")
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := parseLparstatInfo(b)
		if err != nil {
			return
		}
		for k := range info {
			if v, ok := info.num(k); ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
				t.Fatalf("%s: %v from %q", k, v, info[k])
			}
		}
		for _, r := range aixConfigReadings(info) {
			if math.IsNaN(r.Value.Num) || r.Value.Num < 0 {
				t.Fatalf("%s = %v", r.Name, r.Value.Num)
			}
		}
	})
}

// FuzzParseLparstatSample: never panics; a parsed row yields readings
// without NaN, and a dedicated fallback never reports negative cores.
func FuzzParseLparstatSample(f *testing.F) {
	addSeeds(f, "testdata/aix/*/.commands/lparstat 1 1")
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseLparstatSample(b)
		if err != nil {
			return
		}
		for k, v := range s.cols {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s = %v", k, v)
			}
		}
		out, _ := aixSampleReadings(s)
		for _, r := range out {
			if math.IsNaN(r.Value.Num) {
				t.Fatalf("%s is NaN", r.Name)
			}
			if _, fromCol := s.cols["physc"]; !fromCol && r.Name == mCPUUsed && r.Value.Num < 0 {
				t.Fatalf("dedicated fallback gave %v cores", r.Value.Num)
			}
		}
	})
}

// FuzzParseDiskstats: never panics, and counts nothing it was told to skip.
func FuzzParseDiskstats(f *testing.F) {
	addSeeds(f, "testdata/linux/*/proc/diskstats")
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := parseDiskstats(b, func(string) bool { return true }); err != nil {
			return
		}
		none, _ := parseDiskstats(b, func(string) bool { return false })
		if none != (diskTotals{}) {
			t.Fatalf("totals %+v with no disk counted", none)
		}
	})
}
