package rrdstore

import (
	"math"
	"strings"
	"time"
)

// Update applies update arguments ("TIME:v1:v2…", in DS order) to the RRD
// at path the way librrd 1.7.2's rrd_update_r does: open read-write, take
// the fcntl write lock without waiting, apply the arguments in order, write,
// unlock, close. TIME is seconds since the epoch (fractions allowed), N for
// now, or a negative offset from now; a value is U (or anything starting
// with U) for unknown.
//
// Like librrd, a failing argument stops the call but everything before it
// stays applied and is written, and within the failing argument the data
// sources before the bad value have already taken it as their last_ds.
func Update(path string, args ...string) error {
	if len(args) == 0 {
		return newErr(path, ErrDSCount, "Not enough arguments")
	}
	r, err := openLockedRRD(path)
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.load(); err != nil {
		return err
	}
	var applyErr error
	for _, a := range args {
		if applyErr = r.apply(a, time.Now()); applyErr != nil {
			break
		}
	}
	flushErr := r.flush()
	unlockErr := r.unlock()
	switch {
	case applyErr != nil:
		return applyErr
	case flushErr != nil:
		return flushErr
	}
	return unlockErr
}

// apply runs one update argument against the in-memory state (librrd's
// process_arg) and records the rows to write; now is the time for N and
// for negative times. It does no I/O.
func (r *rrdFile) apply(arg string, now time.Time) error {
	t, usec, err := r.parseArg(arg, now)
	if err != nil {
		return withPath(err, r.path)
	}
	st := &r.st
	interval := float64(t-st.lastUp) + float64(usec-st.lastUsec)/1e6
	r.dirty = true // from here on last_ds may change even if a value is bad
	if err := r.readings(interval); err != nil {
		return withPath(err, r.path)
	}
	r.advance(t, usec, interval)
	st.lastUp, st.lastUsec = t, usec
	return nil
}

// parseArg splits "TIME:v1:…" into r.w.vals (librrd parse_ds) and reads
// the time (get_time_from_reading), in librrd's order of checks.
func (r *rrdFile) parseArg(arg string, now time.Time) (t, usec int64, err error) {
	if strings.IndexByte(arg, 0) >= 0 {
		return 0, 0, &Error{Kind: ErrBadValue, Msg: "update argument contains a NUL byte"}
	}
	if strings.IndexByte(arg, '@') >= 0 {
		return 0, 0, newErr("", ErrUnsupported, "at-style time in '%s' is not supported", arg)
	}
	colon := strings.IndexByte(arg, ':')
	if colon < 0 {
		return 0, 0, newErr("", ErrDSCount, "expected timestamp not found in data source from %s", arg)
	}
	tstr, vals := arg[:colon], r.w.vals
	n, start := 1, colon+1
	for k := start; k < len(arg); k++ {
		if arg[k] != ':' {
			continue
		}
		if n == len(vals) {
			return 0, 0, newErr("", ErrDSCount, "found extra data on update argument: %s", arg[k+1:])
		}
		vals[n-1] = arg[start:k]
		n, start = n+1, k+1
	}
	vals[n-1] = arg[start:]
	if n != len(vals) {
		return 0, 0, newErr("", ErrDSCount, "expected %d data source readings (got %d) from %s",
			len(vals), n, tstr)
	}
	return r.parseTime(tstr, now)
}

// parseTime reads an update time: "N", or a number (negative: relative to
// now), split into whole seconds and microseconds as librrd does, then
// checks it is after the last update.
func (r *rrdFile) parseTime(s string, now time.Time) (t, usec int64, err error) {
	if s == "N" {
		t, usec = now.Unix(), int64(now.Nanosecond()/1000)
	} else {
		v, err := readDouble(s, "error while parsing time in get_time_from_reading")
		if err != nil {
			return 0, 0, err
		}
		if v < 0 {
			// tv_sec + tv_usec * 1e-6f + v: 1e-6f is a C float constant.
			us := float64(now.Nanosecond() / 1000)
			v = float64(float64(now.Unix())+float64(us*float64(float32(1e-6)))) + v
		}
		t = cLong(math.Floor(v))
		usec = cLong(float64(v-float64(t)) * 1e6)
	}
	if r.hdr.liveHead != liveHeadSize {
		usec = 0 // versions 1 and 2 keep whole seconds
	}
	st := &r.st
	if t < st.lastUp || (t == st.lastUp && usec <= st.lastUsec) {
		return 0, 0, newErr("", ErrPastUpdate, "illegal attempt to update using time %d when "+
			"last update time is %d (minimum one second step)", t, st.lastUp)
	}
	return t, usec, nil
}

// cLong converts like x86-64's cvttsd2si, which librrd's (time_t) and
// (long) casts compile to: NaN and out-of-range values become MinInt64.
func cLong(v float64) int64 {
	if !(v >= -(1<<63) && v < 1<<63) {
		return math.MinInt64
	}
	return int64(v)
}

// readings is librrd's update_pdp_prep: each reading becomes rate×seconds
// (r.w.x, NaN when unknown) and its text becomes the DS's last_ds.
// Readings are not looked at when the heartbeat has passed, and only the
// first byte is checked for "U".
func (r *rrdFile) readings(interval float64) error {
	for i := range r.hdr.ds {
		p, s := &r.st.pdp[i], r.w.vals[i]
		inTime := float64(r.hdr.ds[i].hb) >= interval
		if !inTime {
			setLastDS(p, "U") // no differences against a stale counter
		}
		x := dnan
		if (s == "" || s[0] != 'U') && inTime {
			var err error
			if x, err = r.reading(i, s, interval); err != nil {
				return err
			}
		}
		r.w.x[i] = x
		setLastDS(p, s)
	}
	return nil
}

// reading converts one value of DS i (not U, within the heartbeat).
func (r *rrdFile) reading(i int, s string, interval float64) (float64, error) {
	d, p := &r.hdr.ds[i], &r.st.pdp[i]
	var x, rate float64
	switch d.kind {
	case dsCounter, dsDerive:
		if err := checkInteger(s, d.kind == dsDerive); err != nil {
			return 0, err
		}
		if p.lastDS[0] == 'U' {
			return dnan, nil
		}
		x = cdiff(s, p.lastDS[:])
		if d.kind == dsCounter && x < 0 {
			x += 4294967295.0 // 2^32-1, not 2^32: librrd's "overflow catcher"
		}
		if d.kind == dsCounter && x < 0 {
			x += 18446744069414584320.0 // 2^64-2^32
		}
		rate = x / interval
	case dsAbsolute:
		v, err := readDouble(s, "Function update_pdp_prep, case DST_ABSOLUTE")
		if err != nil {
			return 0, err
		}
		x, rate = v, v/interval
	default: // GAUGE
		v, err := readDouble(s, "Function update_pdp_prep, case DST_GAUGE")
		if err != nil {
			return 0, err
		}
		x, rate = v*interval, v
	}
	if !math.IsNaN(rate) && ((!math.IsNaN(d.max) && rate > d.max) || (!math.IsNaN(d.min) && rate < d.min)) {
		return dnan, nil
	}
	return x, nil
}

// checkInteger: COUNTER readings must be all digits, DERIVE readings may
// start with '-'.
func checkInteger(s string, signed bool) error {
	for k := 0; k < len(s); k++ {
		if k == 0 && signed && s[k] == '-' {
			continue
		}
		if !isDigit(s[k]) {
			kind := "unsigned"
			if signed {
				kind = "signed"
			}
			return newErr("", ErrBadValue, "not a simple %s integer: '%s'", kind, s)
		}
	}
	return nil
}

// setLastDS is strncpy(last_ds, s, 29) with the 30th byte NUL.
func setLastDS(p *pdpState, s string) {
	n := copy(p.lastDS[:lastDSLen-1], s)
	clear(p.lastDS[n:])
}

// openLockedRRD opens path for writing and takes its write lock, reopening
// when the path was renamed over (Merge, Create, rrdtool create) between
// the open and the lock, so an update never lands in an unlinked file.
func openLockedRRD(path string) (*rrdFile, error) {
	for attempt := 0; ; attempt++ {
		r, err := openRRD(path, true)
		if err != nil {
			return nil, err
		}
		if err := r.lock(); err != nil {
			r.close()
			return nil, err
		}
		if attempt == 2 || !r.replaced() {
			return r, nil
		}
		r.close()
	}
}
