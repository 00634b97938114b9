package persist

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// TestDiskFullTmpfs is TestDiskErrors on a real full file system: the
// root is a 3 MiB tmpfs, too small for the 12 files of the first step
// (default RRAs: 630 KB per host file, 1.2 MB per summary). Creations
// fail with ENOSPC and are counted, the persister keeps going, and once
// the file system grows (as when an operator frees space) the next step
// creates the rest and every file gets the new step.
//
// Mounting needs root (CAP_SYS_ADMIN). Without it this test only logs:
// TestDiskErrors, with a Writer that fails the same way, is the proof
// that runs everywhere.
func TestDiskFullTmpfs(t *testing.T) {
	mnt := filepath.Join(t.TempDir(), "rrds")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=3m"); err != nil {
		t.Logf("cannot mount a tmpfs (%v): TestDiskErrors covers this case", err)
		return
	}
	// Registered before the persister: runs after its Close, which
	// releases the open and mapped files.
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	p := newPersister(t, Options{Root: mnt, Writer: openStore(t)})
	step := func(k int) *xmlout.Snapshot {
		now := stepTime(k)
		return snapshot(cluster("C", now, host("h1", now,
			metric("load_one", "1", "float", "both", now), metric("load_five", "2", "float", "both", now),
			metric("cpu_num", "4", "uint16", "zero", now), metric("bytes_in", "5.5", "float", "both", now))))
	}
	persistSteps(t, p, step(1), step(2))
	full := p.Stats()
	if full.CreateErrors == 0 || full.FilesCreated >= 12 {
		t.Fatalf("on a full disk: %+v, want failed creations", full)
	}
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT, "size=64m"); err != nil {
		t.Fatalf("growing the tmpfs: %v", err)
	}
	persistSteps(t, p, step(3), step(4))
	st := p.Stats()
	closePersister(t, p)
	if st.FilesCreated != 12 || st.CreateErrors != full.CreateErrors || st.Steps != 4 {
		t.Errorf("after the disk recovered: %+v, want 12 files and no new errors (full: %+v)", st, full)
	}
	for _, dir := range []string{"LPARS/h1", "C/__SummaryInfo__", "__SummaryInfo__"} {
		for _, name := range []string{"bytes_in.rrd", "cpu_num.rrd", "load_five.rrd", "load_one.rrd"} {
			path := filepath.Join(mnt, dir, name)
			if info := rrdInfo(t, path); info["last_update"] != "1795303260" { // step 4
				t.Errorf("%s: last update %s, want step 4", path, info["last_update"])
			}
		}
	}
	if ents, _ := filepath.Glob(filepath.Join(mnt, "*", "*", "*.rrd?*")); len(ents) > 0 {
		t.Errorf("temporary files left by failed creations: %q", ents)
	}
}
