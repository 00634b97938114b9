package rrdstore

import "math"

// FetchResult is what rrd_fetch_r returns: Rows[k] holds one value per
// data source for the step ending at Start + (k+1)·Step, so there are
// (End − Start)/Step rows. Unknown values are NaN with the bits stored in
// the file (librrd's unknown has the sign bit set; `rrdtool fetch` prints
// it as -nan).
type FetchResult struct {
	Start, End int64
	Step       uint64
	DSNames    []string
	Rows       [][]float64
}

// maxFetchValues bounds one fetch (librrd would try to malloc anything).
const maxFetchValues = 1 << 26

// Fetch reads consolidated data like rrdtool fetch: it picks the RRA the
// way librrd does (same CF, or any of AVERAGE/MIN/MAX/LAST for one-step
// RRAs; among those covering start the one whose step is closest to
// resolution, else the one covering most of the range), aligns start down
// and end up to that RRA's step, and returns its rows. It takes the
// fcntl read lock without waiting, like every librrd reader.
func Fetch(path, cf string, start, end int64, resolution uint64) (*FetchResult, error) {
	if cfKindOf(cf) == cfInvalid {
		return nil, newErr(path, ErrBadValue, "unknown consolidation function '%s'", cf)
	}
	if end < start {
		return nil, newErr(path, ErrBadValue, "start (%d) should be less than end (%d)", start, end)
	}
	r, err := openRRD(path, false)
	if err != nil {
		return nil, err
	}
	defer r.close()
	if err := r.lock(); err != nil {
		return nil, err
	}
	if err := r.load(); err != nil {
		return nil, err
	}
	j, ok := r.chooseRRA(cf, start, end, resolution)
	if !ok {
		return nil, newErr(path, ErrBadValue, "the RRD does not contain an RRA matching the chosen CF")
	}
	return r.fetchRows(j, start, end)
}

// fetchMatches: the same CF, or a one-step RRA when both CFs are plain
// ones (for a one-step RRA they all hold the same values).
func fetchMatches(a *rraDef, cf string) bool {
	if a.cf == cf {
		return true
	}
	plain := func(k cfKind) bool { return k <= cfLast }
	return a.pdps == 1 && plain(a.kind) && plain(cfKindOf(cf))
}

// chooseRRA is the RRA choice of librrd's rrd_fetch_fn.
func (r *rrdFile) chooseRRA(cf string, start, end int64, resolution uint64) (int, bool) {
	bestFull, bestPart := -1, -1
	var fullDiff, partDiff, bestMatch int64
	last := r.st.lastUp
	for j := range r.hdr.rra {
		a := &r.hdr.rra[j]
		if !fetchMatches(a, cf) {
			continue
		}
		L := a.pdps * r.hdr.step
		calEnd := last - int64(uint64(last)%L)
		calStart := calEnd - int64(a.pdps*a.rows*r.hdr.step)
		diff := int64(resolution) - int64(L)
		if diff < 0 {
			diff = -diff
		}
		if calStart <= start {
			if bestFull < 0 || diff < fullDiff {
				bestFull, fullDiff = j, diff
			}
			continue
		}
		match := end - start - (calStart - start)
		if bestPart < 0 || bestMatch < match || (bestMatch == match && diff < partDiff) {
			bestPart, bestMatch, partDiff = j, match, diff
		}
	}
	if bestFull >= 0 {
		return bestFull, true
	}
	return bestPart, bestPart >= 0
}

// fetchRows aligns the range to RRA j's step and reads its rows: row time
// T is at index (cur_row + 1 + (T − rra_start)/step) mod rows, and times
// outside the RRA are unknown.
func (r *rrdFile) fetchRows(j int, start, end int64) (*FetchResult, error) {
	a := &r.hdr.rra[j]
	step := a.pdps * r.hdr.step
	istep := int64(step)
	start -= int64(uint64(start) % step)
	end += istep - int64(uint64(end)%step)
	n := (end - start) / istep
	nd := len(r.hdr.ds)
	if n*int64(nd) > maxFetchValues {
		return nil, newErr(r.path, ErrBadValue, "fetch of %d rows is too large", n)
	}
	res := &FetchResult{Start: start, End: end, Step: step, Rows: make([][]float64, n)}
	for _, d := range r.hdr.ds {
		res.DSNames = append(res.DSNames, d.name)
	}
	vals := make([]float64, int(n)*nd)
	for k := range res.Rows {
		res.Rows[k] = vals[k*nd : (k+1)*nd : (k+1)*nd]
	}
	last := r.st.lastUp
	rraEnd := last - int64(uint64(last)%step)
	rraStart := rraEnd - istep*int64(a.rows-1)
	first := (start + istep - rraStart) / istep // RRA index of output row 0
	rows := int64(a.rows)
	lo, hi := max(first, 0), min(first+n, rows) // in-RRA part of the output
	for k := range vals {
		vals[k] = dnan
	}
	if lo >= hi {
		return res, nil
	}
	pos := (int64(r.st.curRow[j]) + 1 + lo) % rows
	if err := r.readRows(a, pos, vals[(lo-first)*int64(nd):(hi-first)*int64(nd)]); err != nil {
		return nil, err
	}
	return res, nil
}

// readRows fills out with consecutive rows of RRA a from row pos on,
// wrapping around the end of the RRA.
func (r *rrdFile) readRows(a *rraDef, pos int64, out []float64) error {
	nd, rows := int64(len(r.hdr.ds)), int64(a.rows)
	buf := make([]byte, len(out)*8)
	for got, n := int64(0), int64(len(out))/nd; got < n; {
		cnt := min(n-got, rows-pos)
		if _, err := r.f.ReadAt(buf[got*nd*8:(got+cnt)*nd*8], a.data+pos*nd*8); err != nil {
			return osErr(r.path, "fetching cdp from rra", err)
		}
		got, pos = got+cnt, 0
	}
	for k := range out {
		out[k] = math.Float64frombits(ne.Uint64(buf[k*8:]))
	}
	return nil
}
