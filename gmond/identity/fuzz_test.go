package identity

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseLparcfg: the parser never panics, returns values without
// surrounding blanks or newlines and a partition number that is -1 or
// positive, and writing the result back as lparcfg lines gives it again.
func FuzzParseLparcfg(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/proc/ppc64/lparcfg")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("partition_id=0\npartition_id=-3\nserial_number = a=b \r\n"))
	f.Add([]byte("system_type=x\x00\x00\npartition_name=\xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		id := parseLparcfg(data)
		if id.PartitionNumber == 0 || id.PartitionNumber < -1 {
			t.Fatalf("partition number %d", id.PartitionNumber)
		}
		for _, v := range []string{id.SystemType, id.SystemID, id.PartitionName} {
			if v != clean(v) || strings.Contains(v, "\n") {
				t.Fatalf("value %q not clean", v)
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "lparcfg 1.9\nserial_number=%s\nsystem_type=%s\npartition_name=%s\n",
			id.SystemID, id.SystemType, id.PartitionName)
		if id.PartitionNumber > 0 {
			fmt.Fprintf(&b, "partition_id=%d\n", id.PartitionNumber)
		}
		if again := parseLparcfg([]byte(b.String())); again != id {
			t.Fatalf("round trip: %+v -> %q -> %+v", id, b.String(), again)
		}
	})
}

// FuzzParseUnameL: the parser never panics; what it accepts has a number
// of -1 or more, a clean one-line name, no name for -1, and prints back
// as "<num> <name>" to the same result.
func FuzzParseUnameL(f *testing.F) {
	for _, s := range []string{"12 aixlpar01\n", "-1 NULL\n", "3 a b  c\n", "", "x 1", "7\n", "+5 x", "0x1f y"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		num, name, ok := parseUnameL(data)
		if !ok {
			if num != -1 || name != "" {
				t.Fatalf("rejected input gave %d, %q", num, name)
			}
			return
		}
		if num < -1 || (num == -1 && name != "") || name != clean(name) || strings.Contains(name, "\n") {
			t.Fatalf("accepted %q as %d, %q", data, num, name)
		}
		n2, name2, ok2 := parseUnameL([]byte(strconv.Itoa(num) + " " + name + "\n"))
		if !ok2 || n2 != num || name2 != name {
			t.Fatalf("round trip of %d, %q gave %d, %q, %v", num, name, n2, name2, ok2)
		}
	})
}
