package rrdstore

import (
	"bufio"
	"bytes"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// CreateOptions change how Create writes a file.
type CreateOptions struct {
	// NoOverwrite refuses to replace an existing file (rrdtool create -O).
	NoOverwrite bool
	// CurRow picks each RRA's initial cur_row. nil picks at random like
	// librrd, which spreads the first writes of many files over the disk;
	// readers work the row times out from cur_row, so any value is valid.
	CurRow func(rra int, rows uint64) uint64
}

var dsNameRE = regexp.MustCompile(`^[-a-zA-Z0-9_]{1,19}$`)

// Create writes a new RRD in librrd 1.7.2's format (version 0003) with the
// same initial contents as rrdtool create: every value unknown, the open
// steps and CDPs as far as start is into them. Like librrd it writes a
// temporary file in the same directory, gives it the mode of the file it
// replaces (0644 for a new one, umask ignored), and renames it over path,
// so readers see the old file or the new one, never half of one. It takes
// no lock.
func Create(path string, spec Spec, opt CreateOptions) error {
	if err := abiError(path); err != nil {
		return err
	}
	spec, err := normalizeSpec(spec, time.Now())
	if err != nil {
		return withPath(err, path)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		if opt.NoOverwrite {
			return &Error{Path: path, Kind: fs.ErrExist, Msg: "creating '" + path + "': File exists"}
		}
		mode = fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	}
	h, live, err := newImage(spec, opt.CurRow)
	if err != nil {
		return withPath(err, path)
	}
	return writeImage(path, h, live, mode)
}

// normalizeSpec applies librrd's defaults and checks what rrd_create
// checks, with its messages.
func normalizeSpec(s Spec, now time.Time) (Spec, error) {
	if s.Step == 0 {
		s.Step = defaultStep
	}
	switch {
	case s.Start <= 0:
		s.Start = now.Unix() - 10
	case s.Start < minStart:
		return s, defErr("the first entry to the RRD should be after 1980")
	}
	if len(s.RRA) == 0 {
		return s, defErr("you must define at least one Round Robin Archive")
	}
	if len(s.DS) == 0 {
		return s, defErr("you must define at least one Data Source")
	}
	for i, d := range s.DS {
		if err := checkDS(d, s.DS[:i]); err != nil {
			return s, err
		}
	}
	for _, a := range s.RRA {
		if err := checkRRA(a); err != nil {
			return s, err
		}
	}
	return s, nil
}

func checkDS(d DS, before []DS) error {
	if !dsNameRE.MatchString(d.Name) {
		return defErr("invalid DS format")
	}
	for _, o := range before {
		if o.Name == d.Name {
			return defErr("Duplicate DS name: %s", d.Name)
		}
	}
	switch dsKindOf(d.Type) {
	case dsGauge, dsCounter, dsDerive, dsAbsolute:
	case dsInvalid:
		return defErr("invalid DS type specified (%s)", d.Type)
	default:
		return newErr("", ErrUnsupported, "data source type %s is not supported", d.Type)
	}
	if d.Heartbeat == 0 {
		return defErr("failed to parse data source %s: value must be positive", d.Name)
	}
	if d.Min >= d.Max {
		return defErr("failed to parse data source %s: min must be less than max in DS definition", d.Name)
	}
	return nil
}

func checkRRA(a RRA) error {
	switch cfKindOf(a.CF) {
	case cfAverage, cfMin, cfMax, cfLast:
	case cfHoltWinters:
		return newErr("", ErrUnsupported, "consolidation function %s is not supported", a.CF)
	default:
		return defErr("Unrecognized consolidation function %s", a.CF)
	}
	switch {
	case a.XFF < 0 || a.XFF >= 1:
		return defErr("Invalid xff: must be between 0 and 1")
	case a.Steps == 0:
		return defErr("Invalid step 0: value must be positive")
	case a.Rows == 0:
		return defErr("Invalid row count 0: value must be positive")
	}
	return nil
}

// newImage builds the header and initial live state of a new file
// (librrd rrd_init_data, reset_pdp_prep, init_cdp).
func newImage(s Spec, curRow func(int, uint64) uint64) (*header, []byte, error) {
	h := &header{version: 3, step: s.Step, liveHead: liveHeadSize,
		ds: make([]dsDef, len(s.DS)), rra: make([]rraDef, len(s.RRA))}
	for i, d := range s.DS {
		h.ds[i] = dsDef{name: d.Name, typ: d.Type, kind: dsKindOf(d.Type), hb: d.Heartbeat,
			min: limitBits(d.Min), max: limitBits(d.Max)}
	}
	total := uint64(0)
	for j, a := range s.RRA {
		h.rra[j] = rraDef{cf: a.CF, kind: cfKindOf(a.CF), rows: a.Rows, pdps: a.Steps, xff: a.XFF}
		if a.Rows > (1<<50)/uint64(len(s.DS)) || total > 1<<50 {
			return nil, nil, defErr("RRA %d is too large", j)
		}
		total += a.Rows * uint64(len(s.DS))
	}
	d, r := len(h.ds), len(h.rra)
	h.liveOff = int64(statHeadSize + (dsDefSize)*d + rraDefSize*r)
	h.pdpOff = liveHeadSize
	h.cdpOff = h.pdpOff + pdpPrepSize*d
	h.ptrOff = h.cdpOff + cdpPrepSize*d*r
	h.liveLen = h.ptrOff + rraPtrSize*r
	h.size = h.liveOff + int64(h.liveLen)
	if err := h.placeData("", h.size+int64(total)*8); err != nil {
		return nil, nil, err
	}
	st, err := initialState(h, s.Start, curRow)
	if err != nil {
		return nil, nil, err
	}
	live := make([]byte, h.liveLen)
	h.encodeLive(&st, live)
	return h, live, nil
}

// limitBits writes a NaN limit as librrd's "U" (the unknown bit pattern),
// so math.NaN() means U; only the positive quiet NaN that the text "nan"
// gives in a definition is kept as it is, as rrdtool keeps it.
func limitBits(v float64) float64 {
	if math.IsNaN(v) && math.Float64bits(v) != math.Float64bits(-dnan) {
		return dnan
	}
	return v
}

// initialState: last_ds "U", the part of the first step before start
// unknown, and each CDP missing the PDPs before start.
func initialState(h *header, start int64, curRow func(int, uint64) uint64) (liveState, error) {
	st := h.newLive()
	st.lastUp = start
	first := uint64(start) % h.step
	for i := range st.pdp {
		setLastDS(&st.pdp[i], "U")
		st.pdp[i].unkn, st.pdp[i].val = first, dnan
	}
	for j, a := range h.rra {
		for i := range h.ds {
			c := &st.cdp[j*len(h.ds)+i]
			c.val = dnan
			c.unkn = ((uint64(start) - first) % (h.step * a.pdps)) / h.step
		}
		switch {
		case curRow == nil:
			st.curRow[j] = rand.Uint64N(a.rows)
		default:
			st.curRow[j] = curRow(j, a.rows)
			if st.curRow[j] >= a.rows {
				return st, defErr("CurRow gave row %d for an RRA of %d rows", st.curRow[j], a.rows)
			}
		}
	}
	return st, nil
}

// encodeStatic writes stat_head, the DS and the RRA definitions.
func (h *header) encodeStatic() []byte {
	b := make([]byte, h.liveOff)
	copy(b, "RRD\x000003")
	putF64(b[16:], floatCookie)
	ne.PutUint64(b[24:], uint64(len(h.ds)))
	ne.PutUint64(b[32:], uint64(len(h.rra)))
	ne.PutUint64(b[40:], h.step)
	off := statHeadSize
	for _, d := range h.ds {
		p := b[off : off+dsDefSize]
		copy(p[:nameSize-1], d.name)
		copy(p[20:20+nameSize-1], d.typ)
		ne.PutUint64(p[40:], d.hb)
		putF64(p[48:], d.min)
		putF64(p[56:], d.max)
		off += dsDefSize
	}
	for _, a := range h.rra {
		p := b[off : off+rraDefSize]
		copy(p[:nameSize-1], a.cf)
		ne.PutUint64(p[24:], a.rows)
		ne.PutUint64(p[32:], a.pdps)
		putF64(p[40:], a.xff)
		off += rraDefSize
	}
	return b
}

// writeImage writes header and unknown data to a temporary file next to
// path, sets its mode and renames it over path (librrd write_rrd).
func writeImage(path string, h *header, live []byte, mode fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+"*")
	if err != nil {
		return osErr(path, "Cannot create temporary file", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 64<<10)
	w.Write(h.encodeStatic())
	w.Write(live)
	chunk := bytes.Repeat(ne.AppendUint64(nil, math.Float64bits(dnan)), 4096)
	for n := h.fileSize - h.size; n > 0; n -= int64(len(chunk)) {
		w.Write(chunk[:min(n, int64(len(chunk)))])
	}
	if err = w.Flush(); err != nil {
		return osErr(path, "writing temporary file", err)
	}
	if err = tmp.Close(); err != nil {
		return osErr(path, "writing temporary file", err)
	}
	if err = os.Chmod(tmp.Name(), mode); err != nil {
		return osErr(path, "Cannot chmod temporary file", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return osErr(path, "Cannot rename temporary file to final file", err)
	}
	return nil
}
