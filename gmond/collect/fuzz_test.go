package collect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addFixtures seeds a fuzz target with every fixture file called name.
func addFixtures(f *testing.F, name string) {
	f.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", "linux", "*", name))
	later, _ := filepath.Glob(filepath.Join("testdata", "linux", "*", "later", name))
	for _, p := range append(paths, later...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzParseProcStat(f *testing.F) {
	addFixtures(f, "proc/stat")
	f.Add([]byte("cpu 1 2 3\n"))
	f.Add([]byte("cpu  18446744073709551615 18446744073709551615 1 1 1 1 1 1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := parseProcStat(b)
		if err != nil {
			return
		}
		if ps.cpu.n < 4 || ps.cpu.n > numStates {
			t.Fatalf("n = %d", ps.cpu.n)
		}
		// Whatever the counters, the percentages stay in 0..100.
		for _, r := range cpuPercent(cpuTimes{n: ps.cpu.n}, ps.cpu) {
			if v := r.Value.Num; !(v >= 0 && v <= 100) {
				t.Fatalf("%s = %v", r.Name, v)
			}
		}
	})
}

func FuzzParseMeminfo(f *testing.F) {
	addFixtures(f, "proc/meminfo")
	f.Add([]byte("MemTotal: 1 kB\n:::\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k, v := range parseMeminfo(b) {
			if strings.ContainsAny(k, "\n") || v < 0 {
				t.Fatalf("%q = %v", k, v)
			}
		}
	})
}

func FuzzParseNetDev(f *testing.F) {
	addFixtures(f, "proc/net/dev")
	f.Add([]byte("eth0:1 2 3 4 5 6 7 8 9 10\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ifs, err := parseNetDev(b)
		if err != nil {
			return
		}
		for _, ic := range ifs {
			if ic.name == "" || strings.ContainsAny(ic.name, ":\n") {
				t.Fatalf("interface name %q", ic.name)
			}
			for _, d := range PerInterfaceDefs(ic.name) {
				if strings.Trim(d.Name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != "" {
					t.Fatalf("unsafe metric name %q", d.Name)
				}
			}
		}
	})
}
