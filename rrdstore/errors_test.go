package rrdstore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func newTestFile(t *testing.T, defs ...string) string {
	t.Helper()
	ds, rra, err := ParseDefs(defs, 15)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "e.rrd")
	if err := Create(path, Spec{Step: 15, Start: T0 - 1, DS: ds, RRA: rra}, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUpdateErrors(t *testing.T) {
	path := newTestFile(t, "DS:g:GAUGE:120:U:U", "DS:c:COUNTER:120:U:U", "RRA:AVERAGE:0.5:1:10")
	if err := Update(path, tv(10, "1:100")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		arg  string
		kind error
		msg  string
	}{
		{tv(5, "1:1"), ErrPastUpdate, "illegal attempt to update using time 1700000005 when last update time is 1700000010 (minimum one second step)"},
		{tv(10, "1:1"), ErrPastUpdate, "illegal attempt"},
		{tv(20, "1"), ErrDSCount, "expected 2 data source readings (got 1) from 1700000020"},
		{tv(20, "1:2:3"), ErrDSCount, "found extra data on update argument: 3"},
		{"1700000020", ErrDSCount, "expected timestamp not found in data source from 1700000020"},
		{"17x:1:2", ErrBadValue, "error while parsing time in get_time_from_reading - Converted '17x' to 17.000000, but cannot convert 'x'"},
		{tv(20, "abc:2"), ErrBadValue, "Function update_pdp_prep, case DST_GAUGE - Cannot convert 'abc' to float"},
		{tv(20, "1:2.5"), ErrBadValue, "not a simple unsigned integer: '2.5'"},
		{"now@1:2", ErrUnsupported, "at-style"},
		{tv(20, "1\x00:2"), ErrBadValue, "NUL"},
	}
	for _, tt := range tests {
		before := readFile(t, path)
		err := Update(path, tt.arg)
		if !errors.Is(err, tt.kind) || !strings.HasPrefix(err.Error(), path+": ") || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Update(%q) = %v, want %v with %q, naming the file", tt.arg, err, tt.kind, tt.msg)
		}
		after := readFile(t, path)
		if tt.kind == ErrBadValue && strings.Contains(tt.msg, "unsigned") {
			// The GAUGE value before the bad COUNTER became its last_ds, as in librrd.
			if !bytes.Contains(after, []byte("1\x00\x00\x00")) {
				t.Errorf("last_ds of the DS before the bad value was not replaced")
			}
			continue
		}
		if !bytes.Equal(before, after) {
			t.Errorf("Update(%q) failed but changed the file: %s", tt.arg, describeDiff(before, after))
		}
	}
	if err := Update(path); !errors.Is(err, ErrDSCount) {
		t.Errorf("Update without arguments: %v", err)
	}
}

// TestUpdatePartial: arguments before the failing one stay applied.
func TestUpdatePartial(t *testing.T) {
	path := newTestFile(t, "DS:g:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:10")
	err := Update(path, tv(10, "1"), tv(25, "2"), tv(20, "3"), tv(40, "4"))
	if !errors.Is(err, ErrPastUpdate) {
		t.Fatalf("got %v, want ErrPastUpdate", err)
	}
	last, _, lastDS, err := LastUpdate(path)
	if err != nil || last != T0+25 || lastDS[0] != "2" {
		t.Errorf("after a failing third argument: last %d %q (%v), want %d [2]", last, lastDS, err, T0+25)
	}
}

func TestUpdateNow(t *testing.T) {
	path := newTestFile(t, "DS:g:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:10")
	before := time.Now()
	if err := Update(path, "N:1"); err != nil {
		t.Fatal(err)
	}
	last, usec, _, err := LastUpdate(path)
	got := time.Unix(last, usec*1000)
	if err != nil || got.Before(before.Truncate(time.Microsecond)) || got.After(time.Now()) {
		t.Errorf("N gave %v (%v), want between %v and now", got, err, before)
	}
	if err := Update(path, "-1:2"); !errors.Is(err, ErrPastUpdate) {
		t.Errorf("a time one second before now after N: %v, want ErrPastUpdate", err)
	}
	if err := Update(path, "-0.000001:2"); err != nil {
		t.Errorf("now − 1 µs: %v", err)
	}
}

// TestUnsupportedFiles: files librrd can update but rrdstore does not
// (COMPUTE, version 4) are refused before anything is written; fetch
// still reads them.
func TestUnsupportedFiles(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	compute := filepath.Join(dir, "compute.rrd")
	if _, err := p.run(t, "create", compute, "--step", "15", "--start", "1699999999",
		"DS:a:GAUGE:120:U:U", "DS:c:COMPUTE:a,2,*", "RRA:AVERAGE:0.5:1:10"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.run(t, "update", compute, tv(10, "1"), tv(25, "2")); err != nil {
		t.Fatal(err)
	}
	before := readFile(t, compute)
	if err := Update(compute, tv(40, "3")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Update of a COMPUTE file: %v, want ErrUnsupported", err)
	}
	if _, err := ReadInfo(compute); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ReadInfo of a COMPUTE file: %v, want ErrUnsupported", err)
	}
	if !bytes.Equal(before, readFile(t, compute)) {
		t.Error("refused update changed the file")
	}
	checkFetch(t, p, compute, "AVERAGE", T0-300, T0+60, 1)

	v4 := filepath.Join(dir, "v4.rrd")
	data := bytes.Clone(smallFile(t))
	copy(data[4:], "0004")
	if err := os.WriteFile(v4, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Update(v4, tv(10, "1:1")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Update of a version 4 file: %v, want ErrUnsupported", err)
	}
	checkInfo(t, p, v4)
}

// TestABI: 64-bit builds use librrd's LP64 layout; 32-bit builds refuse
// every file with a clear error instead of writing an unreadable one.
func TestABI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "abi.rrd")
	err := Create(path, GmetadSpec(15, T0, "", false, nil), CreateOptions{})
	if strconv.IntSize == 64 {
		if err != nil || abiError(path) != nil {
			t.Fatalf("64-bit build: %v", err)
		}
		return
	}
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "64-bit") {
		t.Errorf("Create on a 32-bit build: %v, want ErrUnsupported", err)
	}
	if err := Update(path, "N:1"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Update on a 32-bit build: %v, want ErrUnsupported", err)
	}
	if _, err := Fetch(path, "AVERAGE", T0, T0+60, 1); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Fetch on a 32-bit build: %v, want ErrUnsupported", err)
	}
}
