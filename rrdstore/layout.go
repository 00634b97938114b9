package rrdstore

import (
	"bytes"
	"encoding/binary"
	"math"
	"runtime"
	"strconv"
)

// Sizes of librrd's structs on every LP64 ABI (x86_64, arm64, ppc64 and
// ppc64el, s390x): RRD-FORMAT §1.2. Only the byte order differs between
// them, and that is the byte order of the machine that wrote the file.
const (
	statHeadSize   = 128
	dsDefSize      = 120
	rraDefSize     = 120
	liveHeadSize   = 16 // last_up + last_up_usec; version 1 and 2: 8
	pdpPrepSize    = 112
	cdpPrepSize    = 80
	rraPtrSize     = 8
	nameSize       = 20 // ds_nam, dst, cf_nam
	lastDSLen      = 30
	floatCookie    = 8.642135e130
	unknownBits    = 0xFFF8000000000000 // what 0.0/0.0 gives on x86: librrd's DNAN
	maxFileVersion = 5
)

var (
	// ne is the byte order of this machine: librrd writes its structs with
	// fwrite/mmap, so files are native-endian.
	ne = binary.NativeEndian
	// dnan is librrd's "unknown". Never use math.NaN() (0x7FF8000000000001)
	// for it: the bits are visible in the file and in `rrdtool fetch`.
	dnan = math.Float64frombits(unknownBits)
)

// abiError reports why this build cannot use librrd's files, or nil. The
// layout above is LP64's; 32-bit ABIs have other sizes and alignments
// (RRD-FORMAT §1.5), so they are refused instead of writing files the
// local rrdtool could not read.
func abiError(path string) error {
	if strconv.IntSize != 64 {
		return newErr(path, ErrUnsupported,
			"rrdstore needs a 64-bit ABI; librrd's file layout on GOARCH=%s differs", runtime.GOARCH)
	}
	return nil
}

// dsKind is a data source type (librrd dst_en).
type dsKind uint8

const (
	dsGauge dsKind = iota
	dsCounter
	dsDerive
	dsAbsolute
	dsCompute
	dsDCounter
	dsDDerive
	dsInvalid
)

var dsKindNames = map[string]dsKind{
	"GAUGE": dsGauge, "COUNTER": dsCounter, "DERIVE": dsDerive, "ABSOLUTE": dsAbsolute,
	"COMPUTE": dsCompute, "DCOUNTER": dsDCounter, "DDERIVE": dsDDerive,
}

func dsKindOf(s string) dsKind {
	if k, ok := dsKindNames[s]; ok {
		return k
	}
	return dsInvalid
}

// cfKind is a consolidation function (librrd cf_en); the Holt-Winters
// family is kept apart only to refuse it.
type cfKind uint8

const (
	cfAverage cfKind = iota
	cfMin
	cfMax
	cfLast
	cfHoltWinters
	cfInvalid
)

var cfKindNames = map[string]cfKind{
	"AVERAGE": cfAverage, "MIN": cfMin, "MAX": cfMax, "LAST": cfLast,
	"HWPREDICT": cfHoltWinters, "MHWPREDICT": cfHoltWinters, "DEVPREDICT": cfHoltWinters,
	"SEASONAL": cfHoltWinters, "DEVSEASONAL": cfHoltWinters, "FAILURES": cfHoltWinters,
}

func cfKindOf(s string) cfKind {
	if k, ok := cfKindNames[s]; ok {
		return k
	}
	return cfInvalid
}

// dsDef is one ds_def_t as read from a file.
type dsDef struct {
	name, typ string
	kind      dsKind
	hb        uint64
	min, max  float64
}

// rraDef is one rra_def_t plus the file offset of its row 0.
type rraDef struct {
	cf         string
	kind       cfKind
	rows, pdps uint64
	xff        float64
	data       int64
}

// header is the static part of an RRD (never changed by update) and the
// offsets of the live block: live_head, pdp_prep, cdp_prep, rra_ptr.
type header struct {
	version  int
	step     uint64
	ds       []dsDef
	rra      []rraDef
	liveOff  int64 // file offset of live_head
	liveHead int   // 16, or 8 for versions 1 and 2
	pdpOff   int   // offsets inside the live block
	cdpOff   int
	ptrOff   int
	liveLen  int
	size     int64 // header_size
	fileSize int64 // header + data: the size librrd wants
}

// statHead is what the first 128 bytes say.
type statHead struct {
	version  int
	ds, rra  uint64
	step     uint64
	liveHead int
}

// parseStatHead checks the stat_head the way rrd_open does (cookie, float
// cookie, version) and the counts against the file length, before anything
// is allocated from them.
func parseStatHead(path string, b []byte, fileLen int64) (statHead, int64, error) {
	var sh statHead
	if len(b) < 4 || !bytes.Equal(b[:4], []byte("RRD\x00")) {
		return sh, 0, newErr(path, ErrNotRRD, "'%s' is not an RRD file", path)
	}
	if len(b) < statHeadSize {
		return sh, 0, newErr(path, ErrTruncatedFile, "reached EOF while loading header stat_head")
	}
	if fc := ne.Uint64(b[16:]); fc != math.Float64bits(floatCookie) {
		return sh, 0, newErr(path, ErrForeignArch, "This RRD was created on another architecture")
	}
	sh.version = atoi(b[4:9])
	if sh.version > maxFileVersion || sh.version < 1 {
		return sh, 0, newErr(path, ErrNotRRD, "can't handle RRD file version %s", cstr(b[4:9]))
	}
	sh.ds, sh.rra, sh.step = ne.Uint64(b[24:]), ne.Uint64(b[32:]), ne.Uint64(b[40:])
	sh.liveHead = liveHeadSize
	if sh.version < 3 {
		sh.liveHead = 8
	}
	if sh.ds == 0 || sh.rra == 0 || sh.step == 0 {
		return sh, 0, newErr(path, ErrNotRRD, "corrupt header: ds_cnt %d, rra_cnt %d, pdp_step %d",
			sh.ds, sh.rra, sh.step)
	}
	size, ok := headerSize(sh, uint64(fileLen))
	if !ok {
		return sh, 0, newErr(path, ErrTruncatedFile, "'%s' is too small for %d data sources and %d RRAs",
			path, sh.ds, sh.rra)
	}
	return sh, int64(size), nil
}

// headerSize is librrd's rrd_get_header_size, computed without overflow:
// false if the header alone would not fit in limit bytes.
func headerSize(sh statHead, limit uint64) (uint64, bool) {
	d, r := sh.ds, sh.rra
	if d > limit/(dsDefSize+pdpPrepSize) || r > limit/(rraDefSize+rraPtrSize) || r > limit/cdpPrepSize/d {
		return 0, false
	}
	size := statHeadSize + (dsDefSize+pdpPrepSize)*d + (rraDefSize+rraPtrSize)*r +
		uint64(sh.liveHead) + cdpPrepSize*r*d
	return size, size <= limit
}

// parseHeader decodes the whole static header from b (at least header_size
// bytes) and checks that the data area fits in fileLen.
func parseHeader(path string, sh statHead, b []byte, fileLen int64) (*header, error) {
	d, r := int(sh.ds), int(sh.rra)
	h := &header{version: sh.version, step: sh.step, ds: make([]dsDef, d), rra: make([]rraDef, r)}
	off := statHeadSize
	for i := range h.ds {
		p := b[off : off+dsDefSize]
		typ := cstr(p[20:40])
		h.ds[i] = dsDef{name: cstr(p[:20]), typ: typ, kind: dsKindOf(typ), hb: ne.Uint64(p[40:]),
			min: f64(p[48:]), max: f64(p[56:])}
		off += dsDefSize
	}
	for j := range h.rra {
		p := b[off : off+rraDefSize]
		cf := cstr(p[:20])
		h.rra[j] = rraDef{cf: cf, kind: cfKindOf(cf), rows: ne.Uint64(p[24:]), pdps: ne.Uint64(p[32:]),
			xff: f64(p[40:])}
		off += rraDefSize
	}
	h.liveOff, h.liveHead = int64(off), sh.liveHead
	h.pdpOff = sh.liveHead
	h.cdpOff = h.pdpOff + pdpPrepSize*d
	h.ptrOff = h.cdpOff + cdpPrepSize*d*r
	h.liveLen = h.ptrOff + rraPtrSize*r
	h.size = h.liveOff + int64(h.liveLen)
	return h, h.placeData(path, fileLen)
}

// placeData gives every RRA its data offset and checks the file length
// ("'%s' is too small (should be %ld bytes)" in rrd_open).
func (h *header) placeData(path string, fileLen int64) error {
	limit := uint64(fileLen)
	rowSize := uint64(len(h.ds)) * 8
	pos := uint64(h.size)
	for j := range h.rra {
		a := &h.rra[j]
		if a.rows == 0 || a.pdps == 0 {
			return newErr(path, ErrNotRRD, "corrupt header: rra[%d] has %d rows of %d steps", j, a.rows, a.pdps)
		}
		if a.pdps > math.MaxInt64/h.step {
			return newErr(path, ErrNotRRD, "corrupt header: rra[%d] has %d steps of %d s", j, a.pdps, h.step)
		}
		if a.rows > limit/rowSize || pos > limit {
			return newErr(path, ErrTruncatedFile, "'%s' is too small for its RRAs", path)
		}
		a.data = int64(pos)
		pos += a.rows * rowSize
	}
	if pos > limit {
		return newErr(path, ErrTruncatedFile, "'%s' is too small (should be %d bytes)", path, pos)
	}
	h.fileSize = int64(pos)
	return nil
}

// pdpState is the live part of one pdp_prep_t.
type pdpState struct {
	lastDS [lastDSLen]byte // raw text of the last reading, NUL-filled
	unkn   uint64          // scratch[0]: unknown seconds of the open step
	val    float64         // scratch[1]: rate×seconds of the open step
}

// cdpState is the live part of one cdp_prep_t (AVERAGE/MIN/MAX/LAST).
type cdpState struct {
	val      float64 // slot 0
	unkn     uint64  // slot 1: unknown PDPs in the open CDP
	pri, sec float64 // slots 8 and 9
}

// liveState is everything update changes apart from the data rows.
type liveState struct {
	lastUp, lastUsec int64
	pdp              []pdpState
	cdp              []cdpState // RRA-major: rra*ds_cnt + ds
	curRow           []uint64
}

func (h *header) newLive() liveState {
	return liveState{pdp: make([]pdpState, len(h.ds)), cdp: make([]cdpState, len(h.ds)*len(h.rra)),
		curRow: make([]uint64, len(h.rra))}
}

// decodeLive reads the live block b (h.liveLen bytes) into s.
func (h *header) decodeLive(b []byte, s *liveState) {
	s.lastUp, s.lastUsec = int64(ne.Uint64(b)), 0
	if h.liveHead == liveHeadSize {
		s.lastUsec = int64(ne.Uint64(b[8:]))
	}
	for i := range s.pdp {
		p := b[h.pdpOff+i*pdpPrepSize:]
		copy(s.pdp[i].lastDS[:], p[:lastDSLen])
		s.pdp[i].unkn, s.pdp[i].val = ne.Uint64(p[32:]), f64(p[40:])
	}
	for k := range s.cdp {
		p := b[h.cdpOff+k*cdpPrepSize:]
		s.cdp[k] = cdpState{val: f64(p), unkn: ne.Uint64(p[8:]), pri: f64(p[64:]), sec: f64(p[72:])}
	}
	for j := range s.curRow {
		s.curRow[j] = ne.Uint64(b[h.ptrOff+j*rraPtrSize:])
	}
}

// encodeLive writes s into the live block b. Only the fields librrd's
// update changes are written; unused slots keep the bytes they had.
func (h *header) encodeLive(s *liveState, b []byte) {
	ne.PutUint64(b, uint64(s.lastUp))
	if h.liveHead == liveHeadSize {
		ne.PutUint64(b[8:], uint64(s.lastUsec))
	}
	for i := range s.pdp {
		p := b[h.pdpOff+i*pdpPrepSize:]
		copy(p[:lastDSLen], s.pdp[i].lastDS[:])
		ne.PutUint64(p[32:], s.pdp[i].unkn)
		putF64(p[40:], s.pdp[i].val)
	}
	for k := range s.cdp {
		p := b[h.cdpOff+k*cdpPrepSize:]
		c := &s.cdp[k]
		putF64(p, c.val)
		ne.PutUint64(p[8:], c.unkn)
		putF64(p[64:], c.pri)
		putF64(p[72:], c.sec)
	}
	for j := range s.curRow {
		ne.PutUint64(b[h.ptrOff+j*rraPtrSize:], s.curRow[j])
	}
}

func f64(b []byte) float64       { return math.Float64frombits(ne.Uint64(b)) }
func putF64(b []byte, v float64) { ne.PutUint64(b, math.Float64bits(v)) }

// cstr is a C string in a fixed-size field: the bytes before the first NUL.
func cstr(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// atoi reads leading decimal digits like C's atoi on the version field.
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1e6 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
