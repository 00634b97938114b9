package mapping

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestChassisKey(t *testing.T) {
	tests := []struct{ typ, id, want string }{
		{"IBM,9117-MMB", "IBM,020000002", "9117-MMB_0000002"}, // DESIGN.md / seed setup
		{"IBM,8204-E8A", "IBM,020000001", "8204-E8A_0000001"},
		{"IBM,9009-42A", "IBM,0221ABCDE", "9009-42A_21ABCDE"},         // POWER.md: HMC 9009-42A*21ABCDE
		{"IBM,9009-42A\x00", "IBM,0221ABCDE\x00", "9009-42A_21ABCDE"}, // device-tree NUL
		{"IBM,9009-42A  \n", " IBM,0221ABCDE\n", "9009-42A_21ABCDE"},  // command output
		{"ibm,9009-42a", "ibm,0221abcde", "9009-42A_21ABCDE"},
		{"9009-42A", "21ABCDE", "9009-42A_21ABCDE"}, // no IBM, prefix: exactly 7
	}
	for _, tc := range tests {
		got, err := ChassisKey(tc.typ, tc.id)
		if err != nil || got != tc.want {
			t.Errorf("ChassisKey(%q, %q) = %q, %v; want %q", tc.typ, tc.id, got, err, tc.want)
		}
		if !ValidModelSerial(got) {
			t.Errorf("ChassisKey result %q fails ValidModelSerial", got)
		}
	}
	bad := []struct{ typ, id string }{
		{"IBM pSeries (emulated by qemu)", "IBM,0221ABCDE"}, // KVM guest lparcfg
		{"", ""},
		{"IBM,9009-42A", "IBM,21ABCD"},    // 6 chars
		{"IBM,9009-42A", "IBM,02-1ABCDE"}, // not alphanumeric
		{"IBM,9009-42", "IBM,0221ABCDE"},
		{"IBM,9009_42A", "IBM,0221ABCDE"},
		{"IBM,9009-42A", ""},
	}
	for _, tc := range bad {
		if got, err := ChassisKey(tc.typ, tc.id); !errors.Is(err, ErrChassis) {
			t.Errorf("ChassisKey(%q, %q) = %q, %v; want ErrChassis", tc.typ, tc.id, got, err)
		}
	}
}

// TestChassisKeyFixtures reads the identity the way each OS source
// presents it (copies of the shared POWER fixtures in testdata/chassis).
func TestChassisKeyFixtures(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile("testdata/chassis/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	lparcfg := func(name string) [2]string {
		kv := map[string]string{}
		for _, line := range strings.Split(read(name), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				kv[k] = v
			}
		}
		return [2]string{kv["system_type"], kv["serial_number"]}
	}
	uname := commandOutput(read("uname_variants.txt"))
	lsattr := commandOutput(read("lsattr_sys0_systemid_modelname.txt"))
	attrs := map[string]string{} // lsattr -El: attribute value description settable
	for _, line := range strings.Split(lsattr["lsattr -El sys0 -a systemid -a modelname"], "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			attrs[f[0]] = f[1]
		}
	}
	values := strings.Split(lsattr["lsattr -El sys0 -a systemid -a modelname -F value"], "\n") // in -a order
	tests := []struct {
		name      string
		typeAndID [2]string
		want      string
	}{
		{"linux /proc/device-tree", [2]string{read("device-tree_model.bin"), read("device-tree_system-id.bin")}, "9009-42A_21ABCDE"},
		{"linux lparcfg", lparcfg("lparcfg_dedicated.txt"), "9009-42A_21ABCDE"},
		{"linux lparcfg after LPM", lparcfg("lparcfg_after_lpm.txt"), "9105-42A_78FEDCB"},
		{"aix uname -M / -u", [2]string{uname["uname -M"], uname["uname -u"]}, "9009-42A_21ABCDE"},
		{"aix lsattr -El", [2]string{attrs["modelname"], attrs["systemid"]}, "9009-42A_21ABCDE"},
		{"aix lsattr -F value", [2]string{values[len(values)-1], values[0]}, "9009-42A_21ABCDE"},
	}
	for _, tc := range tests {
		got, err := ChassisKey(tc.typeAndID[0], tc.typeAndID[1])
		if err != nil || got != tc.want {
			t.Errorf("%s: ChassisKey(%q, %q) = %q, %v; want %q", tc.name, tc.typeAndID[0], tc.typeAndID[1], got, err, tc.want)
		}
	}
}

// commandOutput splits a "$ cmd" transcript into each command's output,
// stopping at the first "#" comment line.
func commandOutput(transcript string) map[string]string {
	out := map[string]string{}
	var cmd string
	sc := bufio.NewScanner(bytes.NewReader([]byte(transcript)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "$ "):
			cmd = strings.TrimPrefix(line, "$ ")
		case strings.HasPrefix(line, "#"):
			cmd = ""
		case cmd != "":
			if out[cmd] != "" {
				out[cmd] += "\n"
			}
			out[cmd] += line
		}
	}
	return out
}
