package rrdstore

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLayoutGmetadHost checks the offsets against the listing made from
// rrdtool's own file (testdata/rrd/gmetad-host-1ds.layout.txt).
func TestLayoutGmetadHost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.rrd")
	if err := Create(path, GmetadSpec(15, 1699999999, "", false, nil), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := readHeader(path, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	got := []int64{h.liveOff, h.liveOff + int64(h.pdpOff), h.liveOff + int64(h.cdpOff), h.liveOff + int64(h.ptrOff),
		h.size, h.rra[1].data, h.rra[2].data, h.fileSize}
	want := []int64{608, 624, 736, 976, 1000, 47848, 209128, 630760}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("offsets %v, want %v", got, want)
	}
	if ne.Uint64(data[0x290:]) != 4 || ne.Uint64(data[0x338:]) != 1 || ne.Uint64(data[0x388:]) != 13 {
		t.Error("unknown_sec/unknown_datapoints at creation differ from the hexdump")
	}
}

// smallFile is a valid RRD made by Create, for corruption tests.
func smallFile(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.rrd")
	spec := Spec{Step: 15, Start: T0, DS: []DS{{Name: "a", Type: "GAUGE", Heartbeat: 120, Min: dnan, Max: dnan},
		{Name: "b", Type: "COUNTER", Heartbeat: 120, Min: 0, Max: 1e9}},
		RRA: []RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 4}, {CF: "MAX", XFF: 0.5, Steps: 3, Rows: 2}}}
	if err := Create(path, spec, CreateOptions{CurRow: func(int, uint64) uint64 { return 1 }}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// swapEndian byte-swaps every number of an LP64 RRD image, giving the
// file another-endian machine would have written.
func swapEndian(b []byte) []byte {
	out := bytes.Clone(b)
	h, _, err := readHeader("", bytes.NewReader(b), int64(len(b)))
	if errors.Is(err, ErrForeignArch) {
		// A foreign file: its numbers read right once every word is swapped.
		words := bytes.Clone(b)
		for off := 0; off+8 <= len(words); off += 8 {
			ne.PutUint64(words[off:], bits.ReverseBytes64(ne.Uint64(b[off:])))
		}
		copy(words, b[:16])
		h, _, err = readHeader("", bytes.NewReader(words), int64(len(words)))
	}
	if err != nil {
		panic(err)
	}
	text := func(off int) bool { // byte ranges that are strings, not numbers
		switch {
		case off < 16:
			return true
		case off < statHeadSize:
			return false
		case off < int(h.liveOff-int64(rraDefSize*len(h.rra))):
			return (off-statHeadSize)%dsDefSize < 40
		case off < int(h.liveOff):
			return (off-int(h.liveOff)+rraDefSize*len(h.rra))%rraDefSize < 24
		case off >= int(h.liveOff)+h.pdpOff && off < int(h.liveOff)+h.cdpOff:
			return (off-int(h.liveOff)-h.pdpOff)%pdpPrepSize < 32
		}
		return false
	}
	for off := 0; off+8 <= len(out); off += 8 {
		if !text(off) {
			ne.PutUint64(out[off:], bits.ReverseBytes64(ne.Uint64(b[off:])))
		}
	}
	return out
}

func isBigEndian() bool {
	var x [2]byte
	ne.PutUint16(x[:], 1)
	return x[0] == 0
}

func TestOpenErrors(t *testing.T) {
	good := smallFile(t)
	patch := func(off int, b ...byte) []byte {
		c := bytes.Clone(good)
		copy(c[off:], b)
		return c
	}
	u64 := func(off int, v uint64) []byte {
		c := bytes.Clone(good)
		ne.PutUint64(c[off:], v)
		return c
	}
	h, _, _ := readHeader("", bytes.NewReader(good), int64(len(good)))
	tests := []struct {
		name string
		data []byte
		kind error
		msg  string
	}{
		{"empty", nil, ErrNotRRD, "is not an RRD file"},
		{"text", []byte("hello world, this is not an RRD"), ErrNotRRD, "is not an RRD file"},
		{"short", good[:100], ErrTruncatedFile, "reached EOF"},
		{"foreign", swapEndian(good), ErrForeignArch, "This RRD was created on another architecture"},
		{"float cookie", patch(16, 0x5b, 0x1f), ErrForeignArch, "another architecture"},
		{"version 9", patch(4, '0', '0', '0', '9'), ErrNotRRD, "can't handle RRD file version 0009"},
		{"no ds", u64(24, 0), ErrNotRRD, "corrupt header"},
		{"huge ds_cnt", u64(24, 1<<40), ErrTruncatedFile, "too small"},
		{"huge rra_cnt", u64(32, 1<<62), ErrTruncatedFile, "too small"},
		{"step 0", u64(40, 0), ErrNotRRD, "corrupt header"},
		{"rows 0", u64(statHeadSize+2*dsDefSize+24, 0), ErrNotRRD, "corrupt header"},
		{"huge rows", u64(statHeadSize+2*dsDefSize+24, 1<<60), ErrTruncatedFile, "too small"},
		{"cut data", good[:len(good)-8], ErrTruncatedFile, fmt.Sprintf("(should be %d bytes)", len(good))},
		{"cur_row", u64(int(h.liveOff)+h.ptrOff, 4), ErrNotRRD, "cur_row"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name+".rrd")
		if err := os.WriteFile(path, tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		for op, err := range openAll(path) {
			if !errors.Is(err, tt.kind) || !bytes.Contains([]byte(err.Error()), []byte(tt.msg)) ||
				!bytes.HasPrefix([]byte(err.Error()), []byte(path+": ")) {
				t.Errorf("%s: %s: %v, want %v containing %q and naming the file", tt.name, op, err, tt.kind, tt.msg)
			}
		}
		if data, _ := os.ReadFile(path); !bytes.Equal(data, tt.data) {
			t.Errorf("%s: the file was changed", tt.name)
		}
	}
	if err := Update(filepath.Join(dir, "missing.rrd"), "N:1"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// openAll runs every entry point on path and returns their errors.
func openAll(path string) map[string]error {
	_, errF := Fetch(path, "AVERAGE", T0, T0+60, 1)
	_, errI := ReadInfo(path)
	_, _, _, errL := LastUpdate(path)
	return map[string]error{"Update": Update(path, "N:1:1"), "Fetch": errF, "ReadInfo": errI, "LastUpdate": errL}
}

// FuzzOpenHeader: random and damaged headers give errors, never panics or
// allocations beyond the input's size; whatever opens can be updated in
// memory and chosen from.
func FuzzOpenHeader(f *testing.F) {
	good := smallFile(f)
	f.Add(good)
	f.Add(good[:statHeadSize])
	f.Add(good[:len(good)-1])
	f.Add(swapEndian(good))
	huge := bytes.Clone(good)
	ne.PutUint64(huge[24:], math.MaxUint64)
	f.Add(huge)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, buf, err := readHeader("f.rrd", bytes.NewReader(b), int64(len(b)))
		if err != nil {
			if !errors.Is(err, ErrNotRRD) && !errors.Is(err, ErrTruncatedFile) && !errors.Is(err, ErrForeignArch) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if h.fileSize > int64(len(b)) || h.size > int64(len(b)) {
			t.Fatalf("header claims %d bytes of a %d-byte file", h.fileSize, len(b))
		}
		r := &rrdFile{path: "f.rrd", write: true}
		if err := r.setHeader(h, buf); err != nil {
			return
		}
		r.info()
		r.chooseRRA("AVERAGE", r.st.lastUp-3600, r.st.lastUp, 60)
		now := time.Unix(r.st.lastUp, 0).Add(90 * time.Second)
		vals := bytes.Repeat([]byte(":1"), len(h.ds))
		for _, dt := range []int64{1, 7, 3600, 1 << 20} {
			r.apply(fmt.Sprintf("%d%s", r.st.lastUp+dt, vals), now)
		}
		r.apply("N"+string(vals), now)
		if len(r.rows.buf) > 12*len(b)+1<<16 {
			t.Fatalf("recorded %d bytes of rows for a %d-byte file", len(r.rows.buf), len(b))
		}
	})
}
