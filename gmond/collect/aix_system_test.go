package collect

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

func TestParseAIXUptime(t *testing.T) {
	tests := []struct {
		in   string
		want [3]float64
		ok   bool
	}{
		{"  10:15AM   up 12 days,   3:04,  2 users,  load average: 1.23, 1.10, 0.98\n", [3]float64{1.23, 1.10, 0.98}, true},
		{"  09:02PM   up 7 mins,  1 user,  load average: 0.00, 0.00, 0.00\n", [3]float64{}, true},
		{"  11:59AM   up 401 days,  22:10,  14 users,  load average: 31.07, 28.44, 25.90\n", [3]float64{31.07, 28.44, 25.90}, true},
		{"  10:15AM   up 12 days,   3:04,  2 users\n", [3]float64{}, false},
		{"load average: 1.2, x, 3\n", [3]float64{1.2}, false},
		{"load average: 1.2, 2.2\n", [3]float64{}, false},
	}
	for _, tt := range tests {
		got, err := parseAIXUptime([]byte(tt.in))
		if (err == nil) != tt.ok || tt.ok && got != tt.want {
			t.Errorf("parseAIXUptime(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseAIXPsCount(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"     PID\n       0\n       1\n  131076\n", 3},
		{"0\n1\n", 2}, // no header (pid=)
		{"     PID\n", 0},
		{"     PID\n  12 34\n  -1\n\n", 0},
	}
	for _, tt := range tests {
		if got := parseAIXPsCount([]byte(tt.in)); got != tt.want {
			t.Errorf("parseAIXPsCount(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
	if got := parseAIXPsCount(aixFixture(t, "lpar72", "t0", ".commands", "ps -A -o pid")); got != 87 {
		t.Errorf("lpar72: %d processes, want 87", got)
	}
}

func TestParseAIXEtime(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"    ELAPSED\n12-03:04:05\n", 12*86400 + 3*3600 + 4*60 + 5, true},
		{"    ELAPSED\n   03:04:05\n", 3*3600 + 4*60 + 5, true},
		{"    ELAPSED\n      04:05\n", 4*60 + 5, true},
		{"ELAPSED\n400-00:00:00\n", 400 * 86400, true},
		{"    ELAPSED\n", 0, false},
		{"    ELAPSED\n 4:61\n", 0, false},
		{"    ELAPSED\n05\n", 0, false},
		{"    ELAPSED\n1:2:3:4\n", 0, false},
		{"    ELAPSED\nx-01:02\n", 0, false},
		{"    ELAPSED\n-1-01:02\n", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseAIXEtime([]byte(tt.in))
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("parseAIXEtime(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseAIXUname(t *testing.T) {
	tests := []struct {
		in, name, rel string
		ok            bool
	}{
		{"AIX aixlpar01 2 7 00F8A1B24C00\n", "AIX", "7.2", true},
		{"AIX vios1 3 7 00C5D2E14C00\n", "AIX", "7.3", true},
		{"AIX aixlpar01 2\n", "", "", false},
		{"Linux host 6.1.0 #1 SMP x86_64\n", "", "", false},
	}
	for _, tt := range tests {
		name, rel, ok := parseAIXUname([]byte(tt.in))
		if name != tt.name || rel != tt.rel || ok != tt.ok {
			t.Errorf("parseAIXUname(%q) = %q, %q, %v", tt.in, name, rel, ok)
		}
	}
}

// TestAIXCPUSpeedFallback: without proc0 (removed by DLPAR) the speed
// comes from the first processor lsdev lists.
func TestAIXCPUSpeedFallback(t *testing.T) {
	out := map[string]string{
		"lsdev -Cc processor -S Available -F name": "proc8\nproc16\n",
		"lsattr -El proc8 -a frequency":            "frequency 4000000000 Processor Speed False\n",
	}
	root := sysroot.Root{Dir: "/x", Run: func(_ context.Context, name string, args ...string) ([]byte, error) {
		if s, ok := out[strings.Join(append([]string{name}, args...), " ")]; ok {
			return []byte(s), nil
		}
		return nil, errors.New("not found")
	}}
	c := &aixSystemCollector{root: root, log: newOnceLog(nil)}
	if mhz, ok := c.cpuSpeed(); !ok || mhz != 4000 {
		t.Errorf("cpuSpeed = %d, %v; want 4000", mhz, ok)
	}
	delete(out, "lsattr -El proc8 -a frequency")
	if mhz, ok := c.cpuSpeed(); ok {
		t.Errorf("cpuSpeed = %d without any frequency", mhz)
	}
}

func TestParseAIXLsps(t *testing.T) {
	tests := []struct {
		in       string
		kb, used float64
		ok       bool
	}{
		{"Total Paging Space   Percent Used\n      4096MB               3%\n", 4194304, 3, true},
		{"Total Paging Space   Percent Used\n        32GB              51%\n", 32 * 1024 * 1024, 51, true},
		{"Total Paging Space   Percent Used\n      512KB               0%\n", 512, 0, true},
		{"Total Paging Space   Percent Used\n      4096MB             101%\n", 0, 0, false},
		{"Total Paging Space   Percent Used\n      4096XB               3%\n", 0, 0, false},
		{"Total Paging Space   Percent Used\n", 0, 0, false},
	}
	for _, tt := range tests {
		kb, used, err := parseAIXLsps([]byte(tt.in))
		if (err == nil) != tt.ok || kb != tt.kb || used != tt.used {
			t.Errorf("parseAIXLsps(%q) = %v, %v, %v", tt.in, kb, used, err)
		}
	}
}

func TestParseAIXIpcsShm(t *testing.T) {
	head := "IPC status from /dev/mem as of Mon Jan 15 10:15:00 UTC 2024\nT        ID     KEY        MODE       OWNER    GROUP     SEGSZ\nShared Memory:\n"
	tests := []struct {
		name, in string
		kb       float64
		ok       bool
	}{
		{"lpar72", string(aixFixture(t, "lpar72", "t0", ".commands", "ipcs -mb")), 295940, true},
		{"no segment", head, 0, true},
		{"one", head + "m   1048576 0x0100c05e --rw-------     root   system     2048\n", 2, true},
		{"bad size", head + "m   1048576 0x0100c05e --rw-------     root   system     big\n", 0, false},
		{"no header", "m 1 0x1 --rw------- root system 2048\n", 0, false},
		{"no SEGSZ", "T        ID     KEY        MODE       OWNER    GROUP\nm 1 0x1 --rw------- root system\n", 0, false},
	}
	for _, tt := range tests {
		kb, err := parseAIXIpcsShm([]byte(tt.in))
		if (err == nil) != tt.ok || kb != tt.kb {
			t.Errorf("%s: parseAIXIpcsShm = %v, %v; want %v, ok=%v", tt.name, kb, err, tt.kb, tt.ok)
		}
	}
}

// TestAIXVmstatSampler: a report serves collectors of the same tick only.
func TestAIXVmstatSampler(t *testing.T) {
	tree := newAIXTree("testdata/aix/lpar72/t0")
	s := &aixVmstatSampler{root: tree.root()}
	log := newOnceLog(nil)
	t0 := time.Date(2024, 1, 15, 10, 15, 0, 0, time.UTC)
	for _, at := range []time.Time{t0, t0.Add(time.Second), t0.Add(aixVmstatReuse), t0.Add(aixVmstatReuse - time.Second), t0} {
		if _, err := s.sample(log, at); err != nil {
			t.Fatal(err)
		}
	}
	// t0 runs, +1s reuses, +5s runs, +4s (before the last run) and t0 run.
	if n := tree.calls["vmstat 1 1"]; n != 4 {
		t.Errorf("vmstat 1 1 ran %d times, want 4", n)
	}
}
