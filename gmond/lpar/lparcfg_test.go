package lpar

import (
	"errors"
	"os"
	"testing"
)

func TestParseLparcfg(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		version string
		str     map[string]string
		uint    map[string]uint64
		missing []string
		err     error
	}{
		{
			name:    "header, trailing unit, blanks",
			in:      "lparcfg 1.9\nserial_number=IBM,0221ABCDE\n backing_memory = 17179869184 bytes\npower_mode_data=0000000000000003\n",
			version: "1.9",
			str:     map[string]string{"serial_number": "IBM,0221ABCDE", "backing_memory": "17179869184 bytes"},
			uint:    map[string]uint64{"backing_memory": 17179869184, "power_mode_data": 3},
		},
		{
			name:    "value with = and a later duplicate",
			in:      "system_type=IBM pSeries (emulated by qemu)\nx=a=b\npurr=1\npurr=2",
			str:     map[string]string{"system_type": "IBM pSeries (emulated by qemu)", "x": "a=b"},
			uint:    map[string]uint64{"purr": 2},
			missing: []string{"tbr"},
		},
		{
			name:    "non-numbers are not numbers",
			in:      "a=\nb=-1\nc=18446744073709551616\nd=x1",
			missing: []string{"a", "b", "c", "d"},
		},
		{name: "header only", in: "lparcfg 1.9\n", version: "1.9", err: errNoLparcfg},
		{name: "empty", in: "", err: errNoLparcfg},
		{name: "no keys", in: "=1\n=\n", err: errNoLparcfg},
	}
	for _, tt := range tests {
		c, err := parseLparcfg([]byte(tt.in))
		if !errors.Is(err, tt.err) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.err)
			continue
		}
		if c.version != tt.version {
			t.Errorf("%s: version %q, want %q", tt.name, c.version, tt.version)
		}
		for k, want := range tt.str {
			if got, ok := c.str(k); !ok || got != want {
				t.Errorf("%s: str(%s) = %q %v, want %q", tt.name, k, got, ok, want)
			}
		}
		for k, want := range tt.uint {
			if got, ok := c.uint(k); !ok || got != want {
				t.Errorf("%s: uint(%s) = %d %v, want %d", tt.name, k, got, ok, want)
			}
		}
		for _, k := range tt.missing {
			if got, ok := c.uint(k); ok {
				t.Errorf("%s: uint(%s) = %d, want none", tt.name, k, got)
			}
		}
	}
}

func TestLparcfgFixturesModes(t *testing.T) {
	tests := []struct {
		file              string
		shared, authority bool
		hasTbr, hasPurr   bool
	}{
		{"testdata/linux/shared_t0/proc/ppc64/lparcfg", true, true, true, true},
		{"testdata/linux/noauth_t0/proc/ppc64/lparcfg", true, false, true, true},
		{"testdata/linux/dedicated_t0/proc/ppc64/lparcfg", false, false, true, true},
		{"testdata/linux/after_lpm/proc/ppc64/lparcfg", true, true, true, true},
		{"testdata/linux/notbr_t0/proc/ppc64/lparcfg", true, true, false, true},
		{"testdata/linux/kvm_guest/proc/ppc64/lparcfg", false, false, false, false}, // purr=0
	}
	for _, tt := range tests {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		c, err := parseLparcfg(b)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		k := countersOf(c, t0)
		if c.shared() != tt.shared || c.poolAuthority() != tt.authority || k.hasTbr != tt.hasTbr || k.hasPurr != tt.hasPurr {
			t.Errorf("%s: shared %v authority %v tbr %v purr %v", tt.file, c.shared(), c.poolAuthority(), k.hasTbr, k.hasPurr)
		}
		if k.hasPool != tt.authority {
			t.Errorf("%s: pool counter used = %v, want %v", tt.file, k.hasPool, tt.authority)
		}
	}
}

func TestTickRateGuards(t *testing.T) {
	a := counters{at: t0, purr: 100, tbr: 1000, hasPurr: true, hasTbr: true}
	b := a
	b.at, b.purr, b.tbr = t0.Add(30e9), 600, 2000
	if r, ok := physc(a, b, 0); !ok || r != 0.5 {
		t.Errorf("physc = %v %v, want 0.5", r, ok)
	}
	if _, ok := physc(b, a, 512e6); ok {
		t.Error("counters going backwards gave a rate")
	}
	huge := b
	huge.purr = a.purr + 256*1000
	if _, ok := physc(a, huge, 0); ok {
		t.Error("a rate of 256 cores was believed")
	}
	// Without tbr on one side the timebase and the wall clock are used.
	b.hasTbr, b.at = false, t0.Add(50e9)
	if r, ok := physc(a, b, 10); !ok || r != 1 {
		t.Errorf("physc by wall time = %v %v, want 1", r, ok)
	}
	if _, ok := physc(a, b, 0); ok {
		t.Error("rate without tbr and without timebase")
	}
	if _, ok := entc(0.5, 0); ok {
		t.Error("entc with zero entitlement gave a value")
	}
}

func TestCountCPUList(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0-15\n", 16, true}, {"0", 1, true}, {"0-3,8-11,16", 9, true},
		{"", 0, false}, {"3-1", 0, false}, {"a-b", 0, false}, {"0-99999999", 0, false}, {"-1", 0, false},
	}
	for _, tt := range tests {
		if got, ok := countCPUList(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("countCPUList(%q) = %d %v, want %d %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSMTString(t *testing.T) {
	for _, tt := range []struct {
		logical, vps int
		want         string
	}{{16, 2, "yes (SMT=8)"}, {8, 2, "yes (SMT=4)"}, {2, 2, "no (SMT=1)"}, {1, 2, "no (SMT=1)"}} {
		if got := smtString(tt.logical, tt.vps); got != tt.want {
			t.Errorf("smtString(%d, %d) = %q, want %q", tt.logical, tt.vps, got, tt.want)
		}
	}
}
