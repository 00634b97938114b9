package identity

import (
	"os"
	"testing"
)

func TestParseLparcfg(t *testing.T) {
	read := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name string
		in   string
		want Identity
	}{
		{"shared fixture", read("testdata/linux-shared/proc/ppc64/lparcfg"),
			Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", PartitionName: "lnxlpar01", PartitionNumber: 12}},
		{"after LPM fixture", read("testdata/linux-after-lpm/proc/ppc64/lparcfg"),
			Identity{SystemType: "IBM,9105-42A", SystemID: "IBM,0278FEDCB", PartitionName: "lnxlpar01", PartitionNumber: 7}},
		{"empty", "", Identity{PartitionNumber: -1}},
		{"header only", "lparcfg 1.9\n", Identity{PartitionNumber: -1}},
		{"no trailing newline", "serial_number=IBM,0221ABCDE\nsystem_type=IBM,9009-42A",
			Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", PartitionNumber: -1}},
		{"CRLF and blanks", "serial_number = IBM,0221ABCDE \r\npartition_name= my lpar\r\n",
			Identity{SystemID: "IBM,0221ABCDE", PartitionName: "my lpar", PartitionNumber: -1}},
		{"partition_id 0 is the kernel's unknown", "partition_id=0\n", Identity{PartitionNumber: -1}},
		{"partition_id not a number", "partition_id=twelve\n", Identity{PartitionNumber: -1}},
		{"partition_id repeated, last wins", "partition_id=5\npartition_id=x\n", Identity{PartitionNumber: -1}},
		{"value may hold '='", "partition_name=a=b\n", Identity{PartitionName: "a=b", PartitionNumber: -1}},
		{"other keys ignored", "system_type_extra=X\nserial=Y\npurr=123\n", Identity{PartitionNumber: -1}},
		{"QEMU guest", "system_type=IBM pSeries (emulated by qemu)\npartition_id=0\n",
			Identity{SystemType: "IBM pSeries (emulated by qemu)", PartitionNumber: -1}},
	}
	for _, tc := range tests {
		if got := parseLparcfg([]byte(tc.in)); got != tc.want {
			t.Errorf("%s: parseLparcfg = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseDTString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IBM,9009-42A\x00", "IBM,9009-42A"},
		{"IBM,9009-42A", "IBM,9009-42A"}, // no terminator
		{"first\x00second\x00", "first"}, // string list
		{" padded \x00", "padded"},
		{"\x00", ""},
		{"", ""},
	}
	for _, tc := range tests {
		if got := parseDTString([]byte(tc.in)); got != tc.want {
			t.Errorf("parseDTString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseDTCell(t *testing.T) {
	tests := []struct {
		in   []byte
		want int
		ok   bool
	}{
		{[]byte{0, 0, 0, 12}, 12, true},
		{[]byte{0, 0, 1, 0}, 256, true},
		{[]byte{0, 0, 12}, 0, false},
		{[]byte{0, 0, 0, 0, 12}, 0, false},
		{nil, 0, false},
	}
	for _, tc := range tests {
		got, ok := parseDTCell(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseDTCell(% x) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseUnameL(t *testing.T) {
	tests := []struct {
		in   string
		num  int
		name string
		ok   bool
	}{
		{"12 aixlpar01\n", 12, "aixlpar01", true},
		{"12 aixlpar01", 12, "aixlpar01", true},
		{"3 name with blanks  \n", 3, "name with blanks", true},
		{"-1 NULL\n", -1, "", true}, // not partitioned
		{"-7 x\n", -1, "", true},
		{"12\n", 12, "", true},
		{"12 a\nextra line\n", 12, "a", true},
		{"", -1, "", false},
		{"aixlpar01 12\n", -1, "", false},
		{"99999999999999999999 x", -1, "", false},
	}
	for _, tc := range tests {
		num, name, ok := parseUnameL([]byte(tc.in))
		if num != tc.num || name != tc.name || ok != tc.ok {
			t.Errorf("parseUnameL(%q) = %d, %q, %v; want %d, %q, %v", tc.in, num, name, ok, tc.num, tc.name, tc.ok)
		}
	}
}

func TestParseLsattr(t *testing.T) {
	tests := []struct {
		name, in, id, model string
	}{
		{"normal", "systemid  IBM,0221ABCDE Hardware system identifier False\nmodelname IBM,9009-42A  Machine name               False\n",
			"IBM,0221ABCDE", "IBM,9009-42A"},
		{"normal, rows swapped", "modelname IBM,9009-42A Machine name False\nsystemid IBM,0221ABCDE Hardware system identifier False\n",
			"IBM,0221ABCDE", "IBM,9009-42A"},
		{"normal, model missing", "systemid IBM,0221ABCDE Hardware system identifier False\n", "IBM,0221ABCDE", ""},
		{"-F value", "IBM,0221ABCDE\nIBM,9009-42A\n", "IBM,0221ABCDE", "IBM,9009-42A"},
		{"-F value, empty systemid keeps its line", "\nIBM,9009-42A\n", "", "IBM,9009-42A"},
		{"-F value, one line", "IBM,0221ABCDE\n", "IBM,0221ABCDE", ""},
		{"empty", "", "", ""},
	}
	for _, tc := range tests {
		id, model := parseLsattr([]byte(tc.in))
		if id != tc.id || model != tc.model {
			t.Errorf("%s: parseLsattr = %q, %q; want %q, %q", tc.name, id, model, tc.id, tc.model)
		}
	}
}
