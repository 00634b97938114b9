package rrdstore

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
)

// rrdFile is an open RRD: the static header parsed once, the live state
// (live_head, pdp_prep, cdp_prep, rra_ptr) decoded in memory, and the work
// buffers of apply. It is the unit a cache of open files keeps:
//
//	lock → load → apply... → flush → unlock
//
// load re-reads the header under the lock and re-decodes only what another
// writer changed since the last flush; apply changes the state in memory
// and records the data rows to write, without I/O; flush writes the rows
// and then the live block in one pwrite. Update is exactly open, that
// sequence once, close.
//
// For a cache: keep one rrdFile per path and serialise its use (it is not
// safe for concurrent use, and on AIX fcntl locks do not exclude threads of
// one process); hold the lock for one batch only, since rrdtool readers
// fail at once on a locked file; after an apply error still flush, as
// librrd keeps the earlier arguments; and check replaced before a batch,
// because Create renames a new file over the path.

type rrdFile struct {
	path   string
	f      *os.File
	write  bool
	hdr    *header
	static []byte // bytes [0, liveOff) as last read
	raw    []byte // the live block as last read or written
	buf    []byte // header-sized read buffer for load
	st     liveState
	w      workspace
	rows   rowLog
	dirty  bool // st differs from raw: flush must write
}

// openRRD opens path for reading, or for reading and writing. Nothing is
// read until load, which must run under the lock.
func openRRD(path string, write bool) (*rrdFile, error) {
	if err := abiError(path); err != nil {
		return nil, err
	}
	flag := os.O_RDONLY
	if write {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, osErr(path, "opening", err)
	}
	return &rrdFile{path: path, f: f, write: write}, nil
}

// osErr wraps an *fs.PathError without repeating the file name.
func osErr(path, op string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return sysErr(path, nil, op, err)
}

func (r *rrdFile) lock() error   { return lockFile(r.f, r.write) }
func (r *rrdFile) unlock() error { return unlockFile(r.f) }

// replaced reports whether path now names another file than the one open
// (re-created by Create or rrdtool create), or none.
func (r *rrdFile) replaced() bool {
	open, err := r.f.Stat()
	if err != nil {
		return true
	}
	now, err := os.Stat(r.path)
	return err != nil || !os.SameFile(open, now)
}

func (r *rrdFile) close() error {
	if err := r.f.Close(); err != nil {
		return osErr(r.path, "closing file", err)
	}
	return nil
}

// load brings the in-memory header up to date with the file. The first
// call parses everything; later calls compare the header bytes with the
// cached copy and re-parse only if another writer changed them (rrdtool
// update changes the live block, rrdtool tune the definitions).
func (r *rrdFile) load() error {
	if r.hdr == nil || r.static == nil {
		return r.loadAll()
	}
	buf := r.buf[:r.hdr.size]
	if _, err := r.f.ReadAt(buf, 0); err != nil {
		return r.readErr(err)
	}
	if !bytes.Equal(buf[:r.hdr.liveOff], r.static) {
		return r.loadAll()
	}
	if live := buf[r.hdr.liveOff:]; !bytes.Equal(live, r.raw) {
		copy(r.raw, live)
		return r.decode()
	}
	return nil
}

// loadAll reads and checks the whole header.
func (r *rrdFile) loadAll() error {
	r.static, r.dirty = nil, false
	r.rows.reset()
	fi, err := r.f.Stat()
	if err != nil {
		return osErr(r.path, "fstat", err)
	}
	h, buf, err := readHeader(r.path, r.f, fi.Size())
	if err != nil {
		return err
	}
	return r.setHeader(h, buf)
}

// readHeader reads and parses the header of a file of the given size,
// allocating from its counts only after they have been checked against
// the size.
func readHeader(path string, ra io.ReaderAt, size int64) (*header, []byte, error) {
	buf := make([]byte, min(size, 4096))
	if _, err := ra.ReadAt(buf, 0); err != nil {
		return nil, nil, readErr(path, err)
	}
	sh, hsize, err := parseStatHead(path, buf, size)
	if err != nil {
		return nil, nil, err
	}
	if n := int64(len(buf)); hsize > n {
		buf = append(buf, make([]byte, hsize-n)...)
		if _, err := ra.ReadAt(buf[n:], n); err != nil {
			return nil, nil, readErr(path, err)
		}
	}
	buf = buf[:hsize]
	h, err := parseHeader(path, sh, buf, size)
	return h, buf, err
}

// setHeader makes h (read as buf) the file's header and decodes its state.
func (r *rrdFile) setHeader(h *header, buf []byte) error {
	if r.write {
		if err := h.updatable(r.path); err != nil {
			return err
		}
	}
	r.hdr, r.buf = h, buf
	r.static = bytes.Clone(buf[:h.liveOff])
	r.raw = bytes.Clone(buf[h.liveOff:])
	r.st = h.newLive()
	r.w = newWorkspace(len(h.ds), len(h.rra))
	return r.decode()
}

// decode turns raw into st and checks what librrd would trip over.
func (r *rrdFile) decode() error {
	r.hdr.decodeLive(r.raw, &r.st)
	for j, cur := range r.st.curRow {
		if cur >= r.hdr.rra[j].rows {
			r.static = nil
			return newErr(r.path, ErrNotRRD, "corrupt header: rra[%d].cur_row %d >= rows %d",
				j, cur, r.hdr.rra[j].rows)
		}
	}
	return nil
}

func (r *rrdFile) readErr(err error) error {
	r.static = nil
	return readErr(r.path, err)
}

func readErr(path string, err error) error {
	if errors.Is(err, io.EOF) {
		return newErr(path, ErrTruncatedFile, "reached EOF while loading header")
	}
	return osErr(path, "reading header", err)
}

// updatable refuses what update does not implement (RRD-FORMAT §2.7)
// before anything is written.
func (h *header) updatable(path string) error {
	if h.version > 3 {
		return newErr(path, ErrUnsupported, "updating RRD file version %04d is not supported", h.version)
	}
	for _, d := range h.ds {
		switch d.kind {
		case dsGauge, dsCounter, dsDerive, dsAbsolute:
		case dsInvalid:
			return newErr(path, ErrNotRRD, "rrd contains unknown DS type : '%s'", d.typ)
		default:
			return newErr(path, ErrUnsupported, "updating data source type %s is not supported", d.typ)
		}
	}
	for _, a := range h.rra {
		switch a.kind {
		case cfAverage, cfMin, cfMax, cfLast:
		default:
			return newErr(path, ErrUnsupported, "updating consolidation function %s is not supported", a.cf)
		}
	}
	return nil
}

// flush writes the recorded data rows, then the live block in one pwrite:
// the order librrd's readers tolerate best (RRD-FORMAT §4). After an error
// the cache is dropped, so the next load re-reads the file.
func (r *rrdFile) flush() error {
	if !r.dirty {
		return nil
	}
	r.dirty = false
	defer r.rows.reset()
	for _, s := range r.rows.segs {
		if _, err := r.f.WriteAt(r.rows.buf[s.lo:s.hi], s.off); err != nil {
			r.static = nil
			return osErr(r.path, "writing rrd", err)
		}
	}
	r.hdr.encodeLive(&r.st, r.raw)
	if _, err := r.f.WriteAt(r.raw, r.hdr.liveOff); err != nil {
		r.static = nil
		return osErr(r.path, "writing live header", err)
	}
	return nil
}

// workspace holds apply's per-update arrays, reused so that apply does
// not allocate.
type workspace struct {
	vals  []string  // the readings of the current argument, in DS order
	x     []float64 // rate×seconds of each reading (librrd pdp_new)
	part  []float64 // x's share of the left-most open step (head split)
	pdp   []float64 // rates of the finished steps (librrd pdp_temp)
	nrows []uint64  // rows each RRA writes (librrd rra_step_cnt)
}

func newWorkspace(d, r int) workspace {
	return workspace{vals: make([]string, d), x: make([]float64, d), part: make([]float64, d),
		pdp: make([]float64, d), nrows: make([]uint64, r)}
}

// rowLog records data rows to write: consecutive rows of one RRA are
// merged into one segment, so a batch costs few pwrites.
type rowLog struct {
	buf  []byte
	segs []rowSeg
}

type rowSeg struct {
	off    int64 // file offset
	lo, hi int   // bytes in buf
}

// maxKeptRowBuf: a long outage can make one update rewrite whole RRAs
// (630 KB for a gmetad host file); such a buffer is not kept afterwards,
// so a cache of many open files does not pin it.
const maxKeptRowBuf = 64 << 10

func (l *rowLog) reset() {
	if cap(l.buf) > maxKeptRowBuf {
		l.buf, l.segs = nil, nil
		return
	}
	l.buf, l.segs = l.buf[:0], l.segs[:0]
}

// startRow opens a row at file offset off; the caller appends its values
// with addValue.
func (l *rowLog) startRow(off int64) {
	if n := len(l.segs); n > 0 {
		s := &l.segs[n-1]
		if s.hi == len(l.buf) && s.off+int64(s.hi-s.lo) == off {
			return // extends the last segment
		}
	}
	l.segs = append(l.segs, rowSeg{off: off, lo: len(l.buf), hi: len(l.buf)})
}

func (l *rowLog) addValue(v float64) {
	l.buf = ne.AppendUint64(l.buf, math.Float64bits(v))
	l.segs[len(l.segs)-1].hi = len(l.buf)
}
