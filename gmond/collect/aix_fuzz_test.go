package collect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aixSeed adds every fixture file of testdata/aix/<dir> to the corpus.
func aixSeed(f *testing.F, dir string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "aix", dir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func aixWriteCommand(t testing.TB, dir, line string, b []byte) {
	t.Helper()
	d := filepath.Join(dir, ".commands")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d, line), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseAIXVmstat: any output gives a report of plausible numbers or
// an error, never a panic, NaN or negative value.
func FuzzParseAIXVmstat(f *testing.F) {
	aixSeed(f, "vmstat")
	aixSeed(f, "vmstat_v")
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := parseAIXVmstat(b); err == nil {
			for _, n := range []float64{v.run, v.user, v.sys, v.idle, v.wait} {
				if n != n || n < 0 {
					t.Fatalf("bad value in %+v", v)
				}
			}
			if v.hasLcpu != (v.lcpu > 0) {
				t.Fatalf("lcpu %d with hasLcpu %v", v.lcpu, v.hasLcpu)
			}
		}
		if v, err := parseAIXVmstatV(b); err == nil && (v.memory < 0 || v.free < 0 || v.file < 0) {
			t.Fatalf("negative page count in %+v", v)
		}
	})
}

// FuzzParseAIXNetstat: both netstat parsers take any input; names come
// back unique and without the down marker.
func FuzzParseAIXNetstat(f *testing.F) {
	aixSeed(f, "netstat_in")
	aixSeed(f, "netstat_v")
	f.Fuzz(func(t *testing.T, b []byte) {
		if ifs, err := parseAIXNetstatIn(b); err == nil {
			seen := make(map[string]bool)
			for _, i := range ifs {
				if i.name == "" || seen[i.name] || strings.HasSuffix(i.name, "*") {
					t.Fatalf("bad interface list %+v", ifs)
				}
				seen[i.name] = true
			}
		}
		seen := make(map[string]bool)
		for _, a := range parseAIXNetstatV(b) {
			if a.name == "" || seen[a.name] {
				t.Fatalf("bad adapter %+v", a)
			}
			seen[a.name] = true
		}
	})
}

// FuzzParseAIXDf: file systems come back with a device and counts that
// are numbers.
func FuzzParseAIXDf(f *testing.F) {
	aixSeed(f, "df")
	f.Fuzz(func(t *testing.T, b []byte) {
		fss, err := parseAIXDf(b)
		if err != nil {
			return
		}
		for _, fs := range fss {
			if fs.device == "" || fs.totalKB != fs.totalKB || fs.availKB != fs.availKB || fs.totalKB < 0 || fs.availKB < 0 {
				t.Fatalf("bad file system %+v", fs)
			}
		}
	})
}
