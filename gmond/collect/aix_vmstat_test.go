package collect

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func aixFixture(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata", "aix"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseAIXVmstat(t *testing.T) {
	tests := []struct {
		file string
		want aixVmstat
		err  error
	}{
		// Shared LPAR: pc and ec follow wa.
		{file: "shared.txt", want: aixVmstat{lcpu: 16, hasLcpu: true, run: 2, user: 12, sys: 4, idle: 83, wait: 1}},
		// Dedicated LPAR: the line ends at wa.
		{file: "dedicated.txt", want: aixVmstat{lcpu: 32, hasLcpu: true, run: 5, user: 41, sys: 9, idle: 48, wait: 2}},
		// vmstat -w: wider columns, same names.
		{file: "wide.txt", want: aixVmstat{lcpu: 16, hasLcpu: true, run: 2, user: 12, sys: 4, idle: 83, wait: 1}},
		// avm and fre run together: one field fewer than the header.
		{file: "merged.txt", want: aixVmstat{lcpu: 64, hasLcpu: true, run: 11, user: 55, sys: 12, idle: 30, wait: 3}},
		// Several reports: the last counts.
		{file: "two_reports.txt", want: aixVmstat{lcpu: 8, hasLcpu: true, run: 4, user: 61, sys: 8, idle: 30, wait: 1}},
		{file: "no_config.txt", want: aixVmstat{run: 0, user: 0, sys: 1, idle: 99, wait: 0}},
		{file: "no_row.txt", err: errVmstatRow},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseAIXVmstat(aixFixture(t, "vmstat", tt.file))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseAIXVmstatMalformed(t *testing.T) {
	tests := []struct {
		name, in string
		err      error
	}{
		{"empty", "", errVmstatHeader},
		{"linux vmstat", "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n" +
			" r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n" +
			" 1  0      0 812344  10240 401232    0    0     1     2   30   40  1  1 98  0  0\n", nil},
		{"short row", " r  b  avm fre us sy id wa\n 1\n", errVmstatRow},
		{"not a number", " r  b us sy id wa\n 1 0 x 1 2 3\n", errVmstatRow},
		{"NaN", " r  b us sy id wa\n 1 0 NaN 1 2 3\n", errVmstatRow},
		{"negative", " r  b us sy id wa\n 1 0 1 -1 2 3\n", errVmstatRow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseAIXVmstat([]byte(tt.in))
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
}

func TestParseAIXVmstatV(t *testing.T) {
	tests := []struct {
		file string
		want aixVmstatV
		err  error
	}{
		{file: "aix72.txt", want: aixVmstatV{memory: 4194304, free: 1859133, file: 866871, hasFile: true}},
		// AME and AMS add lines; they are skipped.
		{file: "aix73_ame.txt", want: aixVmstatV{memory: 8388608, free: 612330, file: 4190112, hasFile: true}},
		{file: "no_file_pages.txt", want: aixVmstatV{memory: 1048576, free: 402112}},
		{file: "no_free_pages.txt", err: errVmstatV},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseAIXVmstatV(aixFixture(t, "vmstat_v", tt.file))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAIXNum(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true}, {"1859133", 1859133, true}, {"0.09", 0.09, true}, {"18.", 18, true},
		{"", 0, false}, {".", 0, false}, {"1.2.3", 0, false}, {"-1", 0, false}, {"+1", 0, false},
		{"1e3", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"0x10", 0, false}, {"3%", 0, false},
	}
	for _, tt := range tests {
		got, ok := aixNum(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("aixNum(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAIXColumn(t *testing.T) {
	header := []string{"Name", "Mtu", "Network", "Address", "Ipkts", "Ierrs", "Opkts"}
	tests := []struct {
		row  []string
		idx  int
		want string
		ok   bool
	}{
		{[]string{"en0", "1500", "link#2", "fa.1", "10", "0", "20"}, 4, "10", true},
		// Address empty: counters from the right, names from the left.
		{[]string{"lo0", "16896", "link#1", "10", "0", "20"}, 4, "10", true},
		{[]string{"lo0", "16896", "link#1", "10", "0", "20"}, 6, "20", true},
		{[]string{"lo0", "16896", "link#1", "10", "0", "20"}, 1, "16896", true},
		{[]string{"lo0"}, 1, "", false},
		{[]string{"lo0"}, 4, "", false},
		{[]string{"lo0", "1"}, -1, "", false},
	}
	for _, tt := range tests {
		got, ok := aixColumn(header, tt.row, tt.idx, 3)
		if got != tt.want || ok != tt.ok {
			t.Errorf("aixColumn(%v, %d) = %q, %v; want %q, %v", tt.row, tt.idx, got, ok, tt.want, tt.ok)
		}
	}
}
