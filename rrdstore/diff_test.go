package rrdstore

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The byte-exact differential recipe of RRD-FORMAT §6.1: rrdtool creates a
// base file, two copies get the same update calls, one through `rrdtool
// update` and one through Update, and after every call both must have
// succeeded or failed alike (with the same message) and the files must be
// identical.

type diffCase struct {
	name  string
	step  uint64
	start int64
	defs  []string
	calls [][]string // the arguments of each update call
}

type diffStats struct {
	cases, calls, args, failed int
}

func (s diffStats) String() string {
	return fmt.Sprintf("%d cases, %d update calls (%d arguments), %d calls failing on purpose (in both)",
		s.cases, s.calls, s.args, s.failed)
}

// runDiff runs one case; it reports the first difference and returns false.
func runDiff(t *testing.T, p *rrdPipe, dir string, c diffCase, st *diffStats) bool {
	t.Helper()
	base := filepath.Join(dir, "base.rrd")
	args := append([]string{"create", base, "--step", fmt.Sprint(c.step), "--start", fmt.Sprint(c.start)}, c.defs...)
	if _, err := p.run(t, args...); err != nil {
		t.Errorf("%s: rrdtool create %q: %v", c.name, c.defs, err)
		return false
	}
	return runCalls(t, p, base, c, st)
}

// runCalls applies c's calls to two copies of base, through rrdtool and
// through Update, comparing after every call.
func runCalls(t *testing.T, p *rrdPipe, base string, c diffCase, st *diffStats) bool {
	t.Helper()
	dir := filepath.Dir(base)
	a, b := filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
	copyFile(t, base, a)
	copyFile(t, base, b)
	st.cases++
	for k, call := range c.calls {
		_, errA := p.run(t, append([]string{"update", a}, call...)...)
		errB := Update(b, call...)
		st.calls++
		st.args += len(call)
		if errA != nil {
			st.failed++
		}
		if msg := compareErrs(errA, errB, a, b); msg != "" {
			t.Errorf("%s call %d %q: %s\ndefs %q", c.name, k, call, msg, c.defs)
			return false
		}
		if diff := compareFiles(t, a, b); diff != "" {
			t.Errorf("%s call %d %q: files differ: %s\ndefs %q (start %d step %d)", c.name, k, call, diff,
				c.defs, c.start, c.step)
			return false
		}
	}
	return true
}

// compareErrs wants both calls to succeed, or both to fail with librrd's
// message (after the file name).
func compareErrs(errA, errB error, a, b string) string {
	switch {
	case errA == nil && errB == nil:
		return ""
	case errA == nil:
		return fmt.Sprintf("rrdtool succeeded, rrdstore failed: %v", errB)
	case errB == nil:
		return fmt.Sprintf("rrdtool failed (%v), rrdstore succeeded", errA)
	}
	ma := strings.TrimPrefix(errA.Error(), a+": ")
	mb := strings.TrimPrefix(errB.Error(), b+": ")
	if ma != mb {
		return fmt.Sprintf("messages differ:\n rrdtool:  %s\n rrdstore: %s", ma, mb)
	}
	return ""
}

func copyFile(tb testing.TB, from, to string) {
	tb.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// compareFiles returns "" if the files are equal, else where they differ.
func compareFiles(tb testing.TB, a, b string) string {
	tb.Helper()
	da, err := os.ReadFile(a)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		tb.Fatal(err)
	}
	return describeDiff(da, db)
}

// describeDiff names the first differing byte's header field or data row.
func describeDiff(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	if len(want) != len(got) {
		return fmt.Sprintf("size %d, want %d", len(got), len(want))
	}
	off := 0
	for want[off] == got[off] {
		off++
	}
	field, start, size := fieldAt(want, off)
	s := fmt.Sprintf("first difference at offset %d (%#x): %s", off, off, field)
	if size == 8 && start+8 <= len(want) {
		w, g := ne.Uint64(want[start:]), ne.Uint64(got[start:])
		s += fmt.Sprintf(": rrdtool %#016x (%v), rrdstore %#016x (%v)", w, math.Float64frombits(w),
			g, math.Float64frombits(g))
	} else if size > 8 {
		s += fmt.Sprintf(": rrdtool %q, rrdstore %q", want[start:start+size], got[start:start+size])
	}
	return s
}

// fieldAt maps a file offset to its field (using rrdtool's file as the
// truth for the layout), with the field's start and size.
func fieldAt(b []byte, off int) (string, int, int) {
	sh, hsize, err := parseStatHead("x", b, int64(len(b)))
	if err != nil {
		return "unparsable header", off, 0
	}
	h, err := parseHeader("x", sh, b[:hsize], int64(len(b)))
	if err != nil {
		return "unparsable header", off, 0
	}
	d, lo := len(h.ds), int(h.liveOff)
	slot := func(base, size int) (int, int) { return (off - base) / size, (off - base) % size }
	switch {
	case off < statHeadSize:
		return "stat_head", off &^ 7, 8
	case off < statHeadSize+dsDefSize*d:
		i, r := slot(statHeadSize, dsDefSize)
		return fmt.Sprintf("ds[%d] byte %d", i, r), off &^ 7, 8
	case off < lo:
		j, r := slot(statHeadSize+dsDefSize*d, rraDefSize)
		return fmt.Sprintf("rra[%d] def byte %d", j, r), off &^ 7, 8
	case off < lo+h.pdpOff:
		return "live_head", off &^ 7, 8
	case off < lo+h.cdpOff:
		i, r := slot(lo+h.pdpOff, pdpPrepSize)
		if r < lastDSLen {
			return fmt.Sprintf("pdp_prep[%d].last_ds", i), lo + h.pdpOff + i*pdpPrepSize, lastDSLen
		}
		return fmt.Sprintf("pdp_prep[%d].scratch[%d]", i, (r-32)/8), off &^ 7, 8
	case off < lo+h.ptrOff:
		k, r := slot(lo+h.cdpOff, cdpPrepSize)
		return fmt.Sprintf("cdp_prep[rra %d][ds %d].scratch[%d]", k/d, k%d, r/8), off &^ 7, 8
	case off < int(h.size):
		return fmt.Sprintf("rra_ptr[%d].cur_row", (off-lo-h.ptrOff)/8), off &^ 7, 8
	}
	for j := len(h.rra) - 1; j >= 0; j-- {
		if int64(off) >= h.rra[j].data {
			v := (int64(off) - h.rra[j].data) / 8
			return fmt.Sprintf("data rra[%d] row %d ds %d", j, v/int64(d), v%int64(d)), off &^ 7, 8
		}
	}
	return "?", off, 0
}
