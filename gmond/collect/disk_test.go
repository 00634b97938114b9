package collect

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// fakeStatfs answers statfs for the mount points of a fixture tree and
// records which ones were asked.
type fakeStatfs struct {
	dir    string
	fs     map[string]fsStat // by mount point on the emulated machine
	failed map[string]bool
	asked  []string
}

func (f *fakeStatfs) statfs(path string) (fsStat, error) {
	rel, err := filepath.Rel(f.dir, path)
	if err != nil {
		return fsStat{}, err
	}
	mp := "/" + filepath.ToSlash(rel)
	if rel == "." {
		mp = "/"
	}
	f.asked = append(f.asked, mp)
	if f.failed[mp] {
		return fsStat{}, errors.New("permission denied")
	}
	st, ok := f.fs[mp]
	if !ok {
		return fsStat{}, errors.New("no such file system")
	}
	return st, nil
}

func TestDisk(t *testing.T) {
	dir := filepath.Join("testdata", "linux", "x86_kvm")
	fake := &fakeStatfs{dir: dir, fs: map[string]fsStat{
		"/":            {Blocks: 1000000, Bavail: 250000, Bsize: 4096},  // 4.096 GB, 75 % used
		"/srv/my data": {Blocks: 2000000, Bavail: 1500000, Bsize: 4096}, // 8.192 GB, 25 % used
	}}
	c := &diskCollector{root: sysroot.New(dir), log: newOnceLog(nil), statfs: fake.statfs}
	wantNums(t, collectMap(t, c, t0), map[string]float64{
		"disk_total": 12.288, "disk_free": 1.024 + 6.144, "part_max_used": 75,
	})
	// Only local read-write /dev/ file systems, each device once: not the
	// second mount of /dev/vda1, the read-only CD, NFS, SMB, autofs,
	// overlay, tmpfs, proc, sysfs or cgroup.
	if want := []string{"/", "/srv/my data"}; !slices.Equal(fake.asked, want) {
		t.Errorf("statfs asked for %q, want %q", fake.asked, want)
	}
}

func TestDiskStatfsFailure(t *testing.T) {
	dir := filepath.Join("testdata", "linux", "power9_lpar")
	fake := &fakeStatfs{dir: dir,
		fs:     map[string]fsStat{"/boot": {Blocks: 1000, Bavail: 900, Bsize: 1000000}},
		failed: map[string]bool{"/": true},
	}
	c := &diskCollector{root: sysroot.New(dir), log: newOnceLog(nil), statfs: fake.statfs}
	// The root file system cannot be read: left out, the rest still counts.
	wantNums(t, collectMap(t, c, t0), map[string]float64{"disk_total": 1, "disk_free": 0.9, "part_max_used": 10})

	// No readable local file system at all: nothing, rather than zeros.
	fake.failed["/boot"] = true
	if got := collectMap(t, c, t0); len(got) != 0 {
		t.Errorf("Collect with no readable file system = %v; want nothing", got)
	}
}

func TestParseMounts(t *testing.T) {
	got := parseMounts([]byte("/dev/sda1 /mnt/a\\040b\\134c ext4 rw 0 0\nshort line\n/dev/sdb / xfs ro,relatime 0 0\n"))
	want := []procMount{
		{device: "/dev/sda1", dir: `/mnt/a b\c`, fstype: "ext4", opts: "rw"},
		{device: "/dev/sdb", dir: "/", fstype: "xfs", opts: "ro,relatime"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("parseMounts = %+v, want %+v", got, want)
	}
	for _, tt := range []struct {
		m    procMount
		want bool
	}{
		{procMount{"/dev/sda1", "/", "ext4", "rw,relatime"}, true},
		{procMount{"/dev2/x", "/x", "jfs", "rw"}, true},
		{procMount{"/dev/sda1", "/", "ext4", "ro,relatime"}, false},
		{procMount{"/dev/sda1", "/", "ext4", "ro"}, false},
		{procMount{"/dev/sda1", "/", "ext4", "rootcontext=x,rw"}, true},
		{procMount{"host:/x", "/x", "nfs", "rw"}, false},
		{procMount{"/dev/fuse", "/x", "nfs4", "rw"}, false},
		{procMount{"tmpfs", "/run", "tmpfs", "rw"}, false},
		{procMount{"/dev/loop0", "/snap/x", "none", "rw"}, false},
	} {
		if got := localDisk(tt.m); got != tt.want {
			t.Errorf("localDisk(%+v) = %v, want %v", tt.m, got, tt.want)
		}
	}
}
