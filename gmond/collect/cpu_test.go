package collect

import (
	"testing"
)

func TestCPUTwoSamples(t *testing.T) {
	dir := fixtureTree(t, "x86_kvm")
	c := byName(t, linuxAt(t, dir), "cpu")

	// First reading: averages since boot (libmetrics starts from zero).
	// total = 1000+200+300+8000+100+50+50+300 = 10000 jiffies.
	wantNums(t, collectMap(t, c, t0), map[string]float64{
		"cpu_user": 10, "cpu_nice": 2, "cpu_system": 4, // 300 + irq 50 + softirq 50
		"cpu_idle": 80, "cpu_wio": 1, "cpu_intr": 0.5, "cpu_sintr": 0.5,
		"cpu_steal": 3, "cpu_aidle": 80,
	})

	// Second reading: deltas user 500, nice 0, system 100, idle 1200,
	// iowait 100, irq 10, softirq 40, steal 50 = 2000 jiffies.
	applyLater(t, dir, "x86_kvm")
	wantNums(t, collectMap(t, c, t0.Add(20e9)), map[string]float64{
		"cpu_user": 25, "cpu_nice": 0, "cpu_system": 7.5,
		"cpu_idle": 60, "cpu_wio": 5, "cpu_intr": 0.5, "cpu_sintr": 2,
		"cpu_steal": 2.5, "cpu_aidle": 9200.0 / 12000 * 100,
	})

	// Not one jiffy later (another group asking within the same tick):
	// the last interval again, not nothing and not zeros.
	wantNums(t, collectMap(t, c, t0.Add(21e9)), map[string]float64{
		"cpu_user": 25, "cpu_nice": 0, "cpu_system": 7.5,
		"cpu_idle": 60, "cpu_wio": 5, "cpu_intr": 0.5, "cpu_sintr": 2,
		"cpu_steal": 2.5, "cpu_aidle": 9200.0 / 12000 * 100,
	})
}

func TestCPUCounterBackwards(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "/proc/stat", "cpu  500 0 500 9000 0 0 0 0\n")
	c := newCPU(linuxRoot(dir))
	collectMap(t, c, t0)
	// A smaller idle counter (say a checkpoint restore): no interval.
	writeFile(t, dir, "/proc/stat", "cpu  600 0 600 100 0 0 0 0\n")
	wantNums(t, collectMap(t, c, t0.Add(20e9)), map[string]float64{"cpu_aidle": 100.0 / 1300 * 100})
	// The next interval starts from the rebaselined reading.
	writeFile(t, dir, "/proc/stat", "cpu  700 0 600 200 0 0 0 0\n")
	wantNums(t, collectMap(t, c, t0.Add(40e9)), map[string]float64{
		"cpu_user": 50, "cpu_nice": 0, "cpu_system": 0, "cpu_idle": 50,
		"cpu_wio": 0, "cpu_intr": 0, "cpu_sintr": 0, "cpu_steal": 0,
		"cpu_aidle": 200.0 / 1500 * 100,
	})
}

func TestCPUOldKernels(t *testing.T) {
	tests := []struct {
		name, stat string
		want       map[string]float64
	}{
		{
			// Linux 2.6.9: seven states, no steal column.
			name: "seven states", stat: "cpu  2000 500 1000 6000 400 60 40\n",
			want: map[string]float64{
				"cpu_user": 20, "cpu_nice": 5, "cpu_system": 11, "cpu_idle": 60,
				"cpu_wio": 4, "cpu_intr": 0.6, "cpu_sintr": 0.4, "cpu_aidle": 60,
			},
		},
		{
			// Linux 2.4: four states; wio, intr, sintr and steal do not exist.
			name: "four states", stat: "cpu  100 100 200 600\ncpu0 100 100 200 600\n",
			want: map[string]float64{
				"cpu_user": 10, "cpu_nice": 10, "cpu_system": 20, "cpu_idle": 60, "cpu_aidle": 60,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "/proc/stat", tt.stat)
			wantNums(t, collectMap(t, newCPU(linuxRoot(dir)), t0), tt.want)
		})
	}
}

func TestCPUMissingSource(t *testing.T) {
	c := newCPU(linuxRoot(t.TempDir()))
	if rs, err := c.Collect(t0); err == nil {
		t.Fatalf("Collect without /proc/stat = %v, nil; want an error", rs)
	}
}

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantErr  bool
		n, lines int
		btime    uint64
	}{
		{name: "modern", in: "cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\ncpu1 1 2 3 4 5 6 7 8 9 10\nbtime 42\n", n: 8, lines: 2, btime: 42},
		{name: "no btime", in: "cpu 1 2 3 4\n", n: 4},
		{name: "no cpu line", in: "cpu0 1 2 3 4\nbtime 1\n", wantErr: true},
		{name: "three states", in: "cpu  1 2 3\n", wantErr: true},
		{name: "garbage number", in: "cpu  1 2 x 4\n", wantErr: true},
		{name: "cpufoo is not a cpu", in: "cpu  1 2 3 4\ncpufreq 1\ncpu 1 2 3 4\n", n: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := parseProcStat([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if ps.cpu.n != tt.n || ps.cpuLines != tt.lines || ps.btime != tt.btime || ps.hasBtime != (tt.btime != 0) {
				t.Errorf("got n=%d lines=%d btime=%d/%v", ps.cpu.n, ps.cpuLines, ps.btime, ps.hasBtime)
			}
		})
	}
}
