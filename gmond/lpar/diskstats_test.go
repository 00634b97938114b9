package lpar

import (
	"testing"
	"time"
)

func TestDiskCollector(t *testing.T) {
	all := []string{mDiskIOPS, mDiskRead, mDiskWrite}
	c := newDiskCollector(fixture("linux", "shared_t0"), nil)
	check(t, "first", collect(t, c, t0), nil, all)
	c.root = fixture("linux", "shared_t1")
	// sda and sdb only: not their partitions, the dm-0 above them, or loop0.
	want := map[string]string{mDiskIOPS: "180.000", mDiskRead: "2457600.00", mDiskWrite: "4915200.00"}
	check(t, "second", collect(t, c, t0.Add(30*time.Second)), want, nil)

	c.ResetBaselines()
	check(t, "after reset", collect(t, c, t0.Add(60*time.Second)), nil, all)
	c.root = fixture("linux", "shared_t0")
	check(t, "backwards", collect(t, c, t0.Add(90*time.Second)), nil, all)
	check(t, "same time", collect(t, c, t0.Add(90*time.Second)), nil, all)
}

func TestDiskCollectorErrors(t *testing.T) {
	c := newDiskCollector(fixture("linux", "x86"), nil)
	if _, err := c.Collect(t0); err == nil {
		t.Error("no /sys/block and no diskstats, but no error")
	}
	if _, err := parseDiskstats([]byte("garbage\n1 2 3\n"), func(string) bool { return true }); err == nil {
		t.Error("parseDiskstats accepted a file without device lines")
	}
}

func TestCountedDisk(t *testing.T) {
	whole := countedDisk(map[string]bool{"sda": true, "cciss!c0d0": true, "dm-0": true, "md0": true, "loop0": true})
	for name, want := range map[string]bool{"sda": true, "sda1": false, "cciss/c0d0": true, "dm-0": false, "md0": false, "loop0": false, "sdz": false} {
		if got := whole(name); got != want {
			t.Errorf("countedDisk(%q) = %v, want %v", name, got, want)
		}
	}
}
