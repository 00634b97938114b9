package rrdstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// ErrMergeMismatch: Merge was given two RRDs that do not hold the same
// metric in the same shape (step, data sources, archives).
var ErrMergeMismatch = errors.New("RRD definitions differ")

// mergeOpenAttempts bounds how often Merge re-opens a file that was
// replaced (renamed over) between its open and its lock.
const mergeOpenAttempts = 3

// Merge combines src, another history of the same metric, into dst, the
// file that stays: when an LPAR moves between managed systems, dst is
// LPARS/<host>/<metric>.rrd and src the file stock gmetad wrote under the
// old <cluster>/<host>. The caller removes src afterwards; Merge never
// does.
//
// Both files must have the same step, the same data sources (name and
// type, in order) and the same archives (CF, steps per row, rows), else
// nothing changes and the error wraps ErrMergeMismatch and names both files
// and the first difference. Heartbeat, min, max and xff may differ: they
// govern future updates, not stored rows, and dst's are kept.
//
// Rows are matched by the end time of the interval they cover (RRD-FORMAT
// §1.3). In every interval of the result, per data source, a known value
// wins over an unknown one; where both are known, the file with the newer
// last update (last_up, then usec; dst on a tie) wins, because that is the
// one the host was writing to at the end. The result keeps dst's header
// and definitions, takes the newer file's live state (last update, last_ds,
// pdp_prep, cdp_prep, cur_row), since that file's updates continue, and
// covers each archive's window ending at that last update; older rows of
// either file fall out as they would have in the round robin.
//
// Merge locks like librrd and never waits long: a write lock on dst and a
// read lock on src, both held from the read until dst is replaced, so
// rrdtool, ganglia-web and our own writers see dst before or after, never
// in between (ErrLocked if either is busy). The result is written to a
// temporary file in dst's directory, synced, given dst's mode and renamed
// over dst, like librrd's create; a cached writer must notice the new
// inode (rrdFile.replaced). Merging the same src again changes nothing
// and does not rewrite dst, so a merge repeated after a crash is harmless;
// so is merging a file with itself.
func Merge(dst, src string) error {
	d, err := mergeOpen(dst, true)
	if err != nil {
		return err
	}
	defer d.close()
	if same, err := sameFile(d, src); err != nil || same {
		return err
	}
	s, err := mergeOpen(src, false)
	if err != nil {
		return err
	}
	defer s.close()
	dImg, err := mergeLoad(d)
	if err != nil {
		return err
	}
	sImg, err := mergeLoad(s)
	if err != nil {
		return err
	}
	if diff := mergeMismatch(d.hdr, s.hdr); diff != "" {
		return newErr(dst, ErrMergeMismatch, "cannot merge '%s' into this file: %s", src, diff)
	}
	out := mergeImage(mergeSide{d.hdr, &d.st, dImg}, mergeSide{s.hdr, &s.st, sImg})
	if bytes.Equal(out, dImg) && !mergeTrailing(d) {
		return nil
	}
	fi, err := d.f.Stat()
	if err != nil {
		return osErr(dst, "fstat", err)
	}
	return replaceFile(dst, out, fi.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
}

// mergeOpen opens and locks path. A file renamed over path between the
// open and the lock (rrdtool create, another Merge) would be locked and
// read in vain, so the lock is only trusted once path still names it.
func mergeOpen(path string, write bool) (*rrdFile, error) {
	for range mergeOpenAttempts {
		r, err := openRRD(path, write)
		if err != nil {
			return nil, err
		}
		if err := r.lock(); err != nil {
			r.close()
			return nil, err
		}
		if !r.replaced() {
			return r, nil
		}
		r.close()
	}
	return nil, &Error{Path: path, Kind: ErrLocked, Msg: "file kept being replaced while merging"}
}

// sameFile: the tree may hand Merge one file under two names (a move
// interrupted between link and unlink). Merging it with itself changes
// nothing, and its second lock would conflict with the first, so this is
// checked before src is locked.
func sameFile(d *rrdFile, src string) (bool, error) {
	di, err := d.f.Stat()
	if err != nil {
		return false, osErr(d.path, "fstat", err)
	}
	si, err := os.Stat(src)
	if err != nil {
		return false, osErr(src, "opening", err)
	}
	return os.SameFile(di, si), nil
}

// mergeLoad reads the header (and refuses what the engine cannot write,
// as Update would) and then the whole file, header and rows, under the
// lock already held.
func mergeLoad(r *rrdFile) ([]byte, error) {
	if err := r.load(); err != nil {
		return nil, err
	}
	if err := r.hdr.updatable(r.path); err != nil {
		return nil, err
	}
	img := make([]byte, r.hdr.fileSize)
	if _, err := r.f.ReadAt(img, 0); err != nil {
		return nil, osErr(r.path, "reading rrd", err)
	}
	return img, nil
}

// mergeTrailing: librrd accepts bytes after the data area; the merged
// file does not carry them, so it must be rewritten even if nothing else
// changed.
func mergeTrailing(r *rrdFile) bool {
	fi, err := r.f.Stat()
	return err != nil || fi.Size() != r.hdr.fileSize
}

// mergeMismatch describes the first difference that makes two files
// different metrics or shapes, or returns "".
func mergeMismatch(d, s *header) string {
	if d.step != s.step {
		return fmt.Sprintf("step %d s here, %d s in source", d.step, s.step)
	}
	if len(d.ds) != len(s.ds) {
		return fmt.Sprintf("%d data sources here, %d in source", len(d.ds), len(s.ds))
	}
	for i, a := range d.ds {
		if b := s.ds[i]; a.name != b.name || a.typ != b.typ {
			return fmt.Sprintf("ds[%d] is %s:%s here, %s:%s in source", i, a.name, a.typ, b.name, b.typ)
		}
	}
	if len(d.rra) != len(s.rra) {
		return fmt.Sprintf("%d RRAs here, %d in source", len(d.rra), len(s.rra))
	}
	for j, a := range d.rra {
		if b := s.rra[j]; a.cf != b.cf || a.pdps != b.pdps || a.rows != b.rows {
			return fmt.Sprintf("rra[%d] is %s, %d steps, %d rows here; %s, %d steps, %d rows in source",
				j, a.cf, a.pdps, a.rows, b.cf, b.pdps, b.rows)
		}
	}
	return ""
}

// mergeSide is one loaded input, or the output being built: its header,
// live state and whole image.
type mergeSide struct {
	h   *header
	st  *liveState
	img []byte
}

// newer reports whether x was updated after y (usec breaks a tie).
func (x mergeSide) newer(y mergeSide) bool {
	return x.st.lastUp > y.st.lastUp || (x.st.lastUp == y.st.lastUp && x.st.lastUsec > y.st.lastUsec)
}

// row returns the bytes of row k of archive j.
func (x mergeSide) row(j int, k int64) []byte {
	n := int64(len(x.h.ds)) * 8
	off := x.h.rra[j].data + k*n
	return x.img[off : off+n]
}

// mergeImage builds the merged file: dst's image with the live block of
// the newer input and every archive's rows merged.
func mergeImage(d, s mergeSide) []byte {
	live, old := d, s
	if s.newer(d) {
		live, old = s, d
	}
	res := mergeSide{d.h, live.st, bytes.Clone(d.img)}
	d.h.encodeLive(live.st, res.img[d.h.liveOff:d.h.size])
	for j := range d.h.rra {
		mergeRRA(res, live, old, j)
	}
	return res.img
}

// mergeRRA fills archive j of res, which has live's cur_row and last
// update: row k back from cur_row covers the interval ending at E − k·L
// in both res and live, and old holds that interval lag rows back from
// its own cur_row (if lag ≤ k < lag + rows).
func mergeRRA(res, live, old mergeSide, j int) {
	L := res.h.rra[j].pdps * res.h.step
	rows := int64(res.h.rra[j].rows)
	lag := (rraEnd(live.st.lastUp, L) - rraEnd(old.st.lastUp, L)) / int64(L)
	curLive, curOld := int64(live.st.curRow[j]), int64(old.st.curRow[j])
	for k := range rows {
		pos := (curLive - k + rows) % rows
		var o []byte
		if k >= lag && k-lag < rows {
			o = old.row(j, (curOld-(k-lag)+rows)%rows)
		}
		pickRow(res.row(j, pos), live.row(j, pos), o)
	}
}

// rraEnd is the end of the newest interval an archive of L-second rows
// holds after an update at last (RRD-FORMAT §1.3).
func rraEnd(last int64, L uint64) int64 { return last - int64(uint64(last)%L) }

// pickRow writes into out, value by value, live's value if known, else
// old's if known, else live's unknown (keeping its bits, so an unchanged
// file stays byte for byte the same). old is nil outside its window.
func pickRow(out, live, old []byte) {
	for i := 0; i < len(out); i += 8 {
		v := live[i : i+8]
		if math.IsNaN(f64(v)) && old != nil && !math.IsNaN(f64(old[i:])) {
			v = old[i : i+8]
		}
		copy(out[i:i+8], v)
	}
}

// maxTempPrefix keeps the temporary name, a dot name that neither gmetad
// nor ganglia-web takes for a metric, within NAME_MAX (255).
const maxTempPrefix = 200

// replaceFile writes b to a temporary file beside path and renames it over
// path, syncing first so that a crash after the caller removes the source
// cannot leave the rename on disk without the rows.
func replaceFile(path string, b []byte, mode fs.FileMode) (err error) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)
	if len(prefix) > maxTempPrefix {
		prefix = prefix[:maxTempPrefix] // a metric name near NAME_MAX
	}
	tmp, err := os.CreateTemp(dir, prefix+".merge-*")
	if err != nil {
		return osErr(path, "Cannot create temporary file", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return osErr(path, "writing temporary file", err)
	}
	if err = tmp.Chmod(mode); err != nil {
		return osErr(path, "Cannot chmod temporary file", err)
	}
	if err = tmp.Sync(); err != nil {
		return osErr(path, "syncing temporary file", err)
	}
	if err = tmp.Close(); err != nil {
		return osErr(path, "writing temporary file", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return osErr(path, "Cannot rename temporary file to final file", err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable before the caller removes the source.
// Failure is ignored: some systems cannot fsync a directory, and the data
// itself is already on disk.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
