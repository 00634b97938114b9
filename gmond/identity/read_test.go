package identity

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

func TestReadFixtures(t *testing.T) {
	shared := Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE"}
	with := func(id Identity, name string, num int, src string) Identity {
		id.PartitionName, id.PartitionNumber, id.Source = name, num, src
		return id
	}
	tests := []struct {
		dir, goos string
		want      Identity
	}{
		{"linux-shared", "linux", with(shared, "lnxlpar01", 12, SourceLparcfg)},
		{"linux-dedicated", "linux", with(shared, "lnxdb01", 3, SourceLparcfg)},
		{"linux-after-lpm", "linux", Identity{SystemType: "IBM,9105-42A", SystemID: "IBM,0278FEDCB",
			ModelSerial: "9105-42A_78FEDCB", PartitionName: "lnxlpar01", PartitionNumber: 7, Source: SourceLparcfg}},
		{"linux-devicetree-only", "linux", with(shared, "lnxlpar01", 12, SourceDeviceTree)},
		{"linux-kvm", "linux", with(shared, "kvmguest01", -1, SourceKVMHost)},
		{"linux-kvm-nohost", "linux", Identity{SystemType: "IBM pSeries (emulated by qemu)",
			SystemID: "8c3f7a52-1d4e-4b6a-9f0e-2a5c7d9b1e34", PartitionName: "kvmguest01", PartitionNumber: -1, Source: SourceLparcfg}},
		{"x86-dmi", "linux", Identity{SystemType: "Dell Inc.,PowerEdge R640", SystemID: "7XK2M93",
			PartitionNumber: -1, Source: SourceDMI}},
		{"aix-uname", "aix", with(shared, "aixlpar01", 12, SourceUname)},
		{"aix-lsattr-only", "aix", with(shared, "", -1, SourceLsattr)},
		{"empty", "linux", Identity{PartitionNumber: -1, Source: SourceNone}},
		{"empty", "aix", Identity{PartitionNumber: -1, Source: SourceNone}},
		// The wrong OS's sources are not looked at.
		{"linux-shared", "aix", Identity{PartitionNumber: -1, Source: SourceNone}},
		{"aix-uname", "linux", Identity{PartitionNumber: -1, Source: SourceNone}},
		{"linux-shared", "darwin", Identity{PartitionNumber: -1, Source: SourceNone}},
	}
	for _, tc := range tests {
		got, err := Read(sysroot.New(filepath.Join("testdata", tc.dir)), tc.goos)
		if err != nil || got != tc.want {
			t.Errorf("Read(%s, %s) = %+v, %v\n want %+v, nil", tc.dir, tc.goos, got, err, tc.want)
		}
	}
}

func TestReadAfterLPMIsAnotherChassis(t *testing.T) {
	before, err1 := Read(sysroot.New("testdata/linux-shared"), "linux")
	after, err2 := Read(sysroot.New("testdata/linux-after-lpm"), "linux")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if before.ModelSerial == after.ModelSerial || before.SameChassis(after) {
		t.Errorf("LPM not seen: %v -> %v", before, after)
	}
	if before.PartitionName != after.PartitionName {
		t.Errorf("the partition keeps its name across LPM: %q -> %q", before.PartitionName, after.PartitionName)
	}
}

// tree copies the fixture dir into a temporary root and applies edit.
func tree(t *testing.T, dir string, edit func(root string)) sysroot.Root {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", dir))); err != nil {
		t.Fatal(err)
	}
	edit(root)
	return sysroot.New(root)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A file that exists but cannot be read is reported, unless a later
// source names the frame. A directory in place of the file gives a read
// error even when the tests run as root, unlike chmod 000.
func TestReadUnreadableSource(t *testing.T) {
	breakLparcfg := func(root string) {
		p := filepath.Join(root, "proc/ppc64/lparcfg")
		must(t, os.RemoveAll(p))
		must(t, os.MkdirAll(p, 0o755))
	}
	r := tree(t, "linux-dedicated", breakLparcfg)
	got, err := Read(r, "linux")
	if err == nil || got.Source != SourceNone || got.PartitionNumber != -1 {
		t.Errorf("unreadable lparcfg, nothing else: got %+v, %v; want Source none and an error", got, err)
	}
	if err != nil && !strings.Contains(err.Error(), "lparcfg") {
		t.Errorf("error does not name the file: %v", err)
	}

	r = tree(t, "linux-shared", breakLparcfg)
	got, err = Read(r, "linux")
	if err != nil || got.Source != SourceDeviceTree || got.ModelSerial != "9009-42A_21ABCDE" {
		t.Errorf("unreadable lparcfg, good device tree: got %+v, %v; want the frame from the device tree", got, err)
	}

	// A QEMU guest whose host-serial cannot be read: the guest identity
	// comes back, with the error, so the agent keeps what it had.
	r = tree(t, "linux-kvm", func(root string) {
		p := filepath.Join(root, "proc/device-tree/host-serial")
		must(t, os.Remove(p))
		must(t, os.Mkdir(p, 0o755))
	})
	got, err = Read(r, "linux")
	if err == nil || got.ModelSerial != "" || got.Source != SourceLparcfg {
		t.Errorf("unreadable host-serial: got %+v, %v; want the guest identity and an error", got, err)
	}
}

func TestReadFillsPartitionFromDeviceTree(t *testing.T) {
	// Kernels before partition_name was added to lparcfg.
	r := tree(t, "linux-shared", func(root string) {
		p := filepath.Join(root, "proc/ppc64/lparcfg")
		b, err := os.ReadFile(p)
		must(t, err)
		b = []byte(strings.Replace(string(b), "partition_name=lnxlpar01\n", "", 1))
		must(t, os.WriteFile(p, b, 0o644))
	})
	got, err := Read(r, "linux")
	if err != nil || got.Source != SourceLparcfg || got.PartitionName != "lnxlpar01" || got.PartitionNumber != 12 {
		t.Errorf("got %+v, %v; want lparcfg with the device tree's partition name", got, err)
	}
}

func TestReadDMISerialUnreadable(t *testing.T) {
	r := tree(t, "x86-dmi", func(root string) {
		p := filepath.Join(root, "sys/class/dmi/id/product_serial")
		must(t, os.Remove(p))
		must(t, os.Mkdir(p, 0o755))
	})
	got, err := Read(r, "linux")
	want := Identity{SystemType: "Dell Inc.,PowerEdge R640", PartitionNumber: -1, Source: SourceDMI}
	if err != nil || got != want {
		t.Errorf("got %+v, %v; want %+v, nil (product_serial is root-only)", got, err, want)
	}
}

// fakeAIX answers commands from outs; a missing entry is "not found",
// an entry with a nil value fails as a command that exits non-zero would.
func fakeAIX(outs map[string][]byte) sysroot.Root {
	return sysroot.Root{Dir: "/nonexistent", Run: func(_ context.Context, name string, args ...string) ([]byte, error) {
		line := strings.Join(append([]string{name}, args...), " ")
		out, ok := outs[line]
		switch {
		case !ok:
			return nil, &exec.Error{Name: name, Err: exec.ErrNotFound}
		case out == nil:
			return nil, errors.New(line + ": exit status 1")
		}
		return out, nil
	}}
}

func TestReadAIXCommands(t *testing.T) {
	const lsattr = "lsattr -El sys0 -a systemid -a modelname"
	tests := []struct {
		name    string
		outs    map[string][]byte
		want    Identity
		wantErr bool
	}{
		{"uname fails, lsattr answers",
			map[string][]byte{"uname -M": nil, "uname -u": nil, lsattr: []byte("IBM,0221ABCDE\nIBM,9009-42A\n"), "uname -L": []byte("-1 NULL\n")},
			Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE", PartitionNumber: -1, Source: SourceLsattr}, false},
		{"uname -L fails: frame without partition",
			map[string][]byte{"uname -M": []byte("IBM,9009-42A\n"), "uname -u": []byte("IBM,0221ABCDE\n"), "uname -L": nil},
			Identity{SystemType: "IBM,9009-42A", SystemID: "IBM,0221ABCDE", ModelSerial: "9009-42A_21ABCDE", PartitionNumber: -1, Source: SourceUname}, false},
		{"every command fails",
			map[string][]byte{"uname -M": nil, "uname -u": nil, lsattr: nil},
			Identity{PartitionNumber: -1, Source: SourceNone}, true},
		{"garbage from uname, nothing else",
			map[string][]byte{"uname -M": []byte("x\n"), "uname -u": []byte("y\n"), "uname -L": []byte("4 lp4\n")},
			Identity{SystemType: "x", SystemID: "y", PartitionName: "lp4", PartitionNumber: 4, Source: SourceUname}, false},
	}
	for _, tc := range tests {
		got, err := Read(fakeAIX(tc.outs), "aix")
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("%s: Read = %+v, %v\n want %+v, error %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}
