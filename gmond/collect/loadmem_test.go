package collect

import (
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

func TestLoadAndMemory(t *testing.T) {
	tests := []struct {
		fixture   string
		load, mem map[string]float64
	}{
		{
			fixture: "x86_kvm",
			// "3/114": the reader itself is one of the 3 running.
			load: map[string]float64{"load_one": 0.56, "load_five": 0.23, "load_fifteen": 0.17, "proc_run": 2, "proc_total": 114},
			mem: map[string]float64{
				"mem_total": 24683656, "mem_free": 20956612, "mem_shared": 8924, "mem_buffers": 455172,
				"mem_cached": 2414324, "swap_total": 2097148, "swap_free": 2000000, "mem_sreclaimable": 355972,
			},
		},
		{
			fixture: "power9_lpar",
			load:    map[string]float64{"load_one": 4, "load_five": 3.5, "load_fifteen": 2.25, "proc_run": 8, "proc_total": 512},
			mem: map[string]float64{
				"mem_total": 65011712, "mem_free": 30000000, "mem_shared": 262144, "mem_buffers": 10240,
				"mem_cached": 20000000, "swap_total": 4194240, "swap_free": 4190000, "mem_sreclaimable": 1500000,
			},
		},
		{
			// Linux 2.6.9 has neither Shmem nor SReclaimable: those two are
			// absent, not zero.
			fixture: "rhel4_cpufreq",
			load:    map[string]float64{"load_one": 0, "load_five": 0, "load_fifteen": 0, "proc_run": 0, "proc_total": 80},
			mem: map[string]float64{
				"mem_total": 2074528, "mem_free": 100000, "mem_buffers": 20000,
				"mem_cached": 800000, "swap_total": 4096564, "swap_free": 4096564,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			cs := linuxAt(t, "testdata/linux/"+tt.fixture)
			wantNums(t, collectMap(t, byName(t, cs, "loadavg"), t0), tt.load)
			wantNums(t, collectMap(t, byName(t, cs, "meminfo"), t0), tt.mem)
		})
	}
}

func TestMemSharedPrefersMemShared(t *testing.T) {
	// Linux 2.4 printed MemShared, which libmetrics reads; it wins over Shmem.
	dir := t.TempDir()
	writeFile(t, dir, "/proc/meminfo", "MemTotal: 100 kB\nMemShared: 7 kB\nShmem: 9 kB\n")
	c := &memCollector{root: sysroot.New(dir), log: newOnceLog(nil)}
	wantNums(t, collectMap(t, c, t0), map[string]float64{"mem_total": 100, "mem_shared": 7})
}

func TestParseLoadavg(t *testing.T) {
	tests := []struct {
		in      string
		want    loadavg
		wantErr bool
	}{
		{in: "0.56 0.23 0.17 2/114 12345\n", want: loadavg{0.56, 0.23, 0.17, 1, 114}},
		{in: "1.00 2.00 3.00 0/10 1", want: loadavg{1, 2, 3, 0, 10}},
		{in: "0.56 0.23 0.17\n", wantErr: true},
		{in: "0.56 0.23 0.17 2-114 1\n", wantErr: true},
		{in: "x 0.23 0.17 2/114 1\n", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := parseLoadavg([]byte(tt.in))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseLoadavg(%q) = %+v, %v; want %+v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseMeminfo(t *testing.T) {
	got := parseMeminfo([]byte("MemTotal:  10 kB\nHugePages_Total:  3\nbroken line\nActive(anon): 5 kB\nBad: x kB\nEmpty:\n"))
	want := map[string]float64{"MemTotal": 10, "HugePages_Total": 3, "Active(anon)": 5}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
