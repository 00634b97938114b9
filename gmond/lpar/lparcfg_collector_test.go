package lpar

import (
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

var (
	_ metric.Resetter = (*lparcfgCollector)(nil)
	_ metric.Resetter = (*diskCollector)(nil)
)

var rateMetrics = []string{mCPUUsed, mCPUEC, mPoolIdle}

// step is one Collect of a sequence: the fixture tree the machine looks like
// at that moment and the seconds since t0.
type step struct {
	tree   string
	at     int
	reset  bool // call ResetBaselines before this step
	want   map[string]string
	absent []string
}

func TestLparcfgSequences(t *testing.T) {
	sharedStatic := map[string]string{
		mCapped: "no", mSPLPAR: "yes", mLPAR: "yes", mSMT: "yes (SMT=8)", mWeight: "128",
		mLPARName: "lnxlpar01", mLPARNum: "12", mEntitled: "0.50", mInLPAR: "2", mInMachine: "48",
		mInPool: "20", mInSysPool: "20", mPoolID: "0",
	}
	// lparcfg_shared_uncapped_expected.txt
	sharedRates := map[string]string{mCPUUsed: "0.8000", mCPUEC: "160.00", mPoolIdle: "11.5200"}
	tests := []struct {
		name  string
		steps []step
	}{
		{"shared uncapped", []step{
			{tree: "shared_t0", at: 0, want: sharedStatic, absent: rateMetrics},
			{tree: "shared_t1", at: 30, want: sharedRates},
		}},
		{"no tbr: timebase and wall time", []step{
			{tree: "notbr_t0", at: 0, absent: rateMetrics},
			{tree: "notbr_t1", at: 30, want: sharedRates},
		}},
		{"no tbr: zero wall time gives no rate", []step{
			{tree: "notbr_t0", at: 0},
			{tree: "notbr_t1", at: 0, absent: rateMetrics},
		}},
		{"no pool authority", []step{
			{tree: "noauth_t0", at: 0, absent: rateMetrics},
			{tree: "noauth_t1", at: 30,
				want: map[string]string{mCPUUsed: "0.1800", mCPUEC: "90.00", mCapped: "yes", mPoolID: "0",
					mWeight: "64", mEntitled: "0.20", mSMT: "yes (SMT=8)"},
				absent: []string{mPoolIdle, mInPool, mInSysPool}},
		}},
		{"dedicated", []step{
			{tree: "dedicated_t0", at: 0, absent: rateMetrics},
			{tree: "dedicated_t1", at: 30,
				want: map[string]string{mCPUUsed: "4.0000", mCPUEC: "100.00", mCapped: "yes", mSPLPAR: "no",
					mLPAR: "yes", mEntitled: "4.00", mInLPAR: "4", mSMT: "yes (SMT=8)", mLPARNum: "3"},
				absent: []string{mPoolIdle, mInPool, mInSysPool, mPoolID, mWeight}},
		}},
		{"LPM: no rate across the move, then a normal one", []step{
			{tree: "shared_t0", at: 0},
			{tree: "shared_t1", at: 30, want: sharedRates},
			{tree: "after_lpm", at: 90, absent: rateMetrics,
				want: map[string]string{mLPARNum: "7", mInPool: "32", mInMachine: "48"}},
			{tree: "after_lpm_t1", at: 120,
				want: map[string]string{mCPUUsed: "0.7000", mCPUEC: "140.00", mPoolIdle: "20.0000"}},
		}},
		{"counter went backwards", []step{
			{tree: "shared_t1", at: 0},
			{tree: "shared_t0", at: 30, absent: rateMetrics},
			{tree: "shared_t1", at: 60, want: sharedRates},
		}},
		{"ResetBaselines", []step{
			{tree: "shared_t0", at: 0},
			{tree: "shared_t0", at: 15, reset: true, absent: rateMetrics},
			{tree: "shared_t1", at: 30, want: sharedRates},
		}},
		{"PPC970 without PURR: /proc/stat fallback", []step{
			{tree: "js21_t0", at: 0, absent: rateMetrics},
			{tree: "js21_t1", at: 30, want: map[string]string{mCPUUsed: "0.6667", mCPUEC: "33.33"},
				absent: []string{mPoolIdle}},
		}},
		{"KVM guest", []step{
			{tree: "kvm_guest", at: 0, want: map[string]string{mCapped: notSPLPAR, mSPLPAR: "no",
				mLPAR: "no", mSMT: "no (SMT=1)", mEntitled: "4.00", mInLPAR: "4"},
				absent: []string{mPoolID, mWeight, mInPool}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newLparcfgCollector(fixture("linux", tt.steps[0].tree), nil)
			for _, s := range tt.steps {
				c.root = fixture("linux", s.tree)
				if s.reset {
					c.ResetBaselines()
				}
				got := collect(t, c, t0.Add(time.Duration(s.at)*time.Second))
				check(t, s.tree, got, s.want, s.absent)
			}
		})
	}
}

func TestLparcfgLogsEachConditionOnce(t *testing.T) {
	tests := []struct {
		trees []string
		msg   string
		infos int // Info lines in all
	}{
		{[]string{"noauth_t0", "noauth_t1", "noauth_t0", "noauth_t1"}, "pool_idle_time and pool_num_procs read 0", 1},
		{[]string{"dedicated_t0", "dedicated_t1", "dedicated_t0"}, "dedicated partition", 1},
		{[]string{"shared_t0", "after_lpm", "after_lpm_t1"}, "moved to another frame", 1},
		// The blade is dedicated as well: two conditions, each said once.
		{[]string{"js21_t0", "js21_t1", "js21_t0"}, "no usable PURR", 2},
	}
	for _, tt := range tests {
		log, buf := testLogger()
		c := newLparcfgCollector(fixture("linux", tt.trees[0]), log)
		for i, tree := range tt.trees {
			c.root = fixture("linux", tree)
			collect(t, c, t0.Add(time.Duration(i)*15*time.Second))
		}
		if n := lines(buf, tt.msg); n != 1 {
			t.Errorf("%v: %d log lines with %q, want 1:\n%s", tt.trees, n, tt.msg, buf)
		}
		if n := lines(buf, "level=INFO"); n != tt.infos {
			t.Errorf("%v: %d Info lines, want %d:\n%s", tt.trees, n, tt.infos, buf)
		}
	}
	// A shared partition with pool authority has nothing to say.
	log, buf := testLogger()
	c := newLparcfgCollector(fixture("linux", "shared_t0"), log)
	collect(t, c, t0)
	c.root = fixture("linux", "shared_t1")
	collect(t, c, t0.Add(30*time.Second))
	if buf.Len() != 0 {
		t.Errorf("unexpected log:\n%s", buf)
	}
}

func TestLparcfgMissingOrEmpty(t *testing.T) {
	c := newLparcfgCollector(fixture("linux", "x86"), nil)
	if _, err := c.Collect(t0); err == nil {
		t.Error("Collect on a tree without lparcfg returned no error")
	}
	dir := t.TempDir()
	c = newLparcfgCollector(sysrootWith(t, dir, lparcfgPath, "lparcfg 1.9\n"), nil)
	if _, err := c.Collect(t0); err == nil {
		t.Error("Collect on an lparcfg without values returned no error")
	}
}
