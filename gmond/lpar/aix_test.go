package lpar

import (
	"os"
	"strings"
	"testing"
)

func TestAIXConfig(t *testing.T) {
	tests := []struct {
		tree   string
		want   map[string]string
		absent []string
	}{
		{"shared_auth", map[string]string{
			mCapped: "no", mSPLPAR: "yes", mLPAR: "yes", mLPARNum: "12", mLPARName: "aixlpar01",
			mEntitled: "0.50", mInLPAR: "2", mInMachine: "40", mInPool: "20", mInSysPool: "20",
			mPoolID: "0", mWeight: "128",
		}, nil},
		{"dedicated", map[string]string{
			mCapped: "yes", mSPLPAR: "no", mLPAR: "yes", mLPARNum: "3", mLPARName: "aixdb01",
			mEntitled: "4.00", mInLPAR: "4", mInMachine: "40",
		}, []string{mPoolID, mWeight, mInPool, mInSysPool}},
	}
	for _, tt := range tests {
		c := newAIXConfig(fixture("aix", tt.tree), nil)
		check(t, tt.tree, collect(t, c, t0), tt.want, tt.absent)
	}
	if _, err := newAIXConfig(fixture("aix", "shared_noauth"), nil).Collect(t0); err == nil {
		t.Error("lparstat -i missing, but no error")
	}
}

func TestAIXSample(t *testing.T) {
	tests := []struct {
		tree   string
		want   map[string]string
		absent []string
		log    string
	}{
		// The same partition as perfstat_partition_total_expected.txt:
		// physc 0.8000, %entc 160.00, pool idle 11.5200.
		{"shared_auth", map[string]string{mCPUUsed: "0.8000", mCPUEC: "160.00", mPoolIdle: "11.5200", mSMT: "yes (SMT=8)"}, nil, ""},
		{"shared_noauth", map[string]string{mCPUUsed: "0.0200", mCPUEC: "9.80", mSMT: "yes (SMT=8)"},
			[]string{mPoolIdle}, "no app column"},
		// 32 logical CPUs at SMT 8 = 4 cores, 71.5 % idle.
		{"dedicated", map[string]string{mCPUUsed: "1.1400", mCPUEC: "28.50", mSMT: "yes (SMT=8)"},
			[]string{mPoolIdle}, "dedicated partition"},
	}
	for _, tt := range tests {
		log, buf := testLogger()
		c := newAIXSample(fixture("aix", tt.tree), log)
		for range 3 {
			check(t, tt.tree, collect(t, c, t0), tt.want, tt.absent)
		}
		if tt.log == "" && buf.Len() != 0 {
			t.Errorf("%s: unexpected log %s", tt.tree, buf)
		}
		if tt.log != "" && (lines(buf, tt.log) != 1 || lines(buf, "level=INFO") != 1) {
			t.Errorf("%s: want one Info line with %q, got:\n%s", tt.tree, tt.log, buf)
		}
	}
	if _, err := newAIXSample(fixture("aix", "vios"), nil).Collect(t0); err == nil {
		t.Error("lparstat 1 1 missing, but no error")
	}
}

func TestAIXInfo(t *testing.T) {
	tests := []struct {
		tree   string
		want   map[string]string
		absent []string
	}{
		{"shared_auth", map[string]string{
			mSerialNum: "IBM,0221ABCDE", mModelName: "IBM,9009-42A", mFWVersion: "IBM,FW950.30 (VL950_092)",
			mOSLevel: "7300-02-02-2420", mCPUType: "PowerPC_POWER9", mKernel64: "yes", mKVMGuest: "no",
		}, nil},
		{"vios", map[string]string{mOSLevel: "3.1.4.30"}, []string{mSerialNum, mModelName, mFWVersion, mCPUType}},
		{"old_oslevel", map[string]string{mOSLevel: "5300-12"}, []string{mSerialNum, mModelName, mFWVersion, mCPUType}},
	}
	for _, tt := range tests {
		log, buf := testLogger()
		c := newAIXInfo(fixture("aix", tt.tree), log)
		collect(t, c, t0)
		check(t, tt.tree, collect(t, c, t0), tt.want, tt.absent)
		// Each failing command is logged once, not once per call.
		if n, want := lines(buf, "command failed"), len(tt.absent); n != want {
			t.Errorf("%s: %d command failures logged, want %d:\n%s", tt.tree, n, want, buf)
		}
	}
}

func TestParseLparstatInfo(t *testing.T) {
	b, err := os.ReadFile("testdata/aix/shared_auth/.commands/lparstat -i")
	if err != nil {
		t.Fatal(err)
	}
	info, err := parseLparstatInfo(b)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]float64{
		"Entitled Capacity": 0.5, "Online Memory": 16384, "Physical CPU Percentage": 25,
		"Unallocated Variable Memory Capacity Weight": -1, "Memory Pool ID": -1, "Type": -1,
	} {
		got, ok := info.num(key)
		if want < 0 {
			if ok {
				t.Errorf("num(%q) = %v, want none", key, got)
			}
		} else if !ok || got != want {
			t.Errorf("num(%q) = %v %v, want %v", key, got, ok, want)
		}
	}
	if info["Power Saving Mode"] != "Static Power Saving" {
		t.Errorf("Power Saving Mode = %q", info["Power Saving Mode"])
	}
	if _, err := parseLparstatInfo([]byte("no colons here\n\n")); err == nil {
		t.Error("accepted output without name : value lines")
	}
}

func TestParseLparstatSample(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		config map[string]string
		cols   map[string]float64
		err    bool
	}{
		{
			name:   "columns in another order, extra blank lines, smt=On",
			in:     "\nSystem configuration: type=Shared mode=Capped smt=On lcpu=4 mem=2048MB psize=4 ent=0.30\n\n%user %sys  app physc %entc %idle\n----- ---- ---- ----- ----- -----\n\n 10.0  5.0 3.10  0.12  40.0  85.0\n",
			config: map[string]string{"smt": "On", "ent": "0.30", "psize": "4"},
			cols:   map[string]float64{"%user": 10, "%sys": 5, "app": 3.1, "physc": 0.12, "%entc": 40, "%idle": 85},
		},
		{
			name: "a dash value is skipped, the rest kept",
			in:   "%user physc\n----- -----\n 1.0 -\n",
			cols: map[string]float64{"%user": 1},
		},
		{name: "row shorter than header", in: "%user %sys physc\n----- ---- -----\n 1.0 2.0\n", err: true},
		{name: "no dashes", in: "%user %sys\n 1.0 2.0\n", err: true},
		{name: "no data row", in: "%user %sys\n----- ----\n\n", err: true},
		{name: "empty", in: "", err: true},
	}
	for _, tt := range tests {
		s, err := parseLparstatSample([]byte(tt.in))
		if (err != nil) != tt.err {
			t.Errorf("%s: err = %v, want error %v", tt.name, err, tt.err)
			continue
		}
		for k, want := range tt.config {
			if s.config[k] != want {
				t.Errorf("%s: config[%s] = %q, want %q", tt.name, k, s.config[k], want)
			}
		}
		for k, want := range tt.cols {
			if got, ok := s.cols[k]; !ok || got != want {
				t.Errorf("%s: cols[%s] = %v %v, want %v", tt.name, k, got, ok, want)
			}
		}
		if !tt.err && len(s.cols) != len(tt.cols) {
			t.Errorf("%s: columns %v, want %v", tt.name, s.cols, tt.cols)
		}
	}
}

func TestSMTThreads(t *testing.T) {
	for in, want := range map[string]int{"Off": 1, "on": 2, "4": 4, "8": 8, "0": 0, "": 0, "x": 0} {
		got, ok := smtThreads(in)
		if ok != (want > 0) || got != want && ok {
			t.Errorf("smtThreads(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	out, _ := aixSampleReadings(lparstatSample{config: map[string]string{"smt": "Off"}, cols: map[string]float64{"physc": 1}})
	if got := format(t, pick("aix", mCPUUsed, mSMT), out)[mSMT]; !strings.HasPrefix(got, "no (SMT=1)") {
		t.Errorf("smt=Off renders as %q", got)
	}
}
