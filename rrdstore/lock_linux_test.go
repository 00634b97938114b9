package rrdstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// holdLock opens path and takes an OFD lock on it, as another writer or
// reader in this or another process would; the returned func releases it.
func holdLock(t *testing.T, path string, write bool) func() {
	t.Helper()
	flag, typ := os.O_RDONLY, int16(syscall.F_RDLCK)
	if write {
		flag, typ = os.O_RDWR, syscall.F_WRLCK
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		t.Fatal(err)
	}
	lk := syscall.Flock_t{Type: typ}
	if err := syscall.FcntlFlock(f.Fd(), fOFDSetLK, &lk); err != nil {
		t.Fatalf("OFD lock: %v", err)
	}
	return func() { f.Close() }
}

// TestLocking: a held write lock makes Update fail with ErrLocked without
// touching the file, and makes `rrdtool fetch` fail too (our locks and
// librrd's see each other); a held read lock blocks `rrdtool update` but
// not our readers.
func TestLocking(t *testing.T) {
	path := newTestFile(t, "DS:g:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:10")
	if err := Update(path, tv(10, "1")); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, path)

	release := holdLock(t, path, true)
	err := Update(path, tv(25, "2"))
	if !errors.Is(err, ErrLocked) || err.Error() != path+": could not lock RRD" {
		t.Errorf("Update under a write lock: %v, want %s: could not lock RRD", err, path)
	}
	if _, err := Fetch(path, "AVERAGE", T0, T0+60, 1); !errors.Is(err, ErrLocked) {
		t.Errorf("Fetch under a write lock: %v, want ErrLocked", err)
	}
	if _, err := rrdtoolCmd(t, "fetch", path, "AVERAGE", "-s", "1700000000", "-e", "1700000060"); err == nil ||
		!strings.Contains(err.Error(), "could not lock RRD") {
		t.Errorf("rrdtool fetch under our write lock: %v, want could not lock RRD", err)
	}
	release()
	if !bytes.Equal(before, readFile(t, path)) {
		t.Error("a locked-out Update changed the file")
	}

	release = holdLock(t, path, false)
	if _, err := rrdtoolCmd(t, "update", path, tv(25, "2")); err == nil || !strings.Contains(err.Error(), "could not lock RRD") {
		t.Errorf("rrdtool update under our read lock: %v, want could not lock RRD", err)
	}
	if _, err := Fetch(path, "AVERAGE", T0, T0+60, 1); err != nil {
		t.Errorf("Fetch under another read lock: %v", err)
	}
	if err := Update(path, tv(25, "2")); !errors.Is(err, ErrLocked) {
		t.Errorf("Update under a read lock: %v, want ErrLocked", err)
	}
	release()
	if err := Update(path, tv(25, "2")); err != nil {
		t.Errorf("Update after the lock was released: %v", err)
	}
}

// TestCreateMode: librrd chmods the new file to 0644 whatever the umask,
// and keeps the mode of a file it replaces.
func TestCreateMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.rrd")
	old := syscall.Umask(0o077)
	err := Create(path, GmetadSpec(15, T0, "", false, []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 2}}), CreateOptions{})
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", fi.Mode())
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Create(path, GmetadSpec(15, T0, "", false, nil), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v, want 0600 (kept)", fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
