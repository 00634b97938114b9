package rrdstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// errRecorder collects what OnError receives.
type errRecorder struct {
	mu   sync.Mutex
	errs map[string][]string // path -> messages without the path
}

func (r *errRecorder) record(path string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.errs == nil {
		r.errs = make(map[string][]string)
	}
	r.errs[path] = append(r.errs[path], strings.TrimPrefix(err.Error(), path+": "))
}

func (r *errRecorder) take(path string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.errs[path]
	delete(r.errs, path)
	return m
}

// TestStoreMatchesRRDTool: the differential cases of diff_test.go, plus
// random ones, queued through a Store with flushes at random calls. At
// every flush the file must equal the one `rrdtool update` made with the
// same calls, and the calls that failed (at Update or at flush) must be
// the ones rrdtool refused, with its messages.
func TestStoreMatchesRRDTool(t *testing.T) {
	p := startRRDPipe(t)
	var rec errRecorder
	s := openTestStore(t, StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 20, OnError: rec.record})
	rnd := rand.New(rand.NewPCG(11, 0x5707e))
	cases := append(append([]diffCase{difftestCase(), dsCountCase()}, handCases()...), gmetadCases()...)
	for n := range 80 {
		cases = append(cases, randomCase(rnd, n))
	}
	var st diffStats
	for _, c := range cases {
		if !runStoreDiff(t, p, s, &rec, c, rnd, &st) {
			break
		}
	}
	t.Logf("through a Store: %s; %+v", st, s.Stats())
}

// dsCountCase has calls that Update refuses at once, once the DS count is
// known, next to good arguments of the same call.
func dsCountCase() diffCase {
	return diffCase{name: "ds-count", step: 15, start: T0 - 1,
		defs: []string{"DS:a:GAUGE:120:U:U", "DS:b:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:10", "RRA:MAX:0.5:4:5"},
		calls: [][]string{{tv(10, "1:2")}, {tv(25, "3:4"), tv(40, "5"), tv(55, "6:7")},
			{tv(70, "1:2:3")}, {"nocolon"}, {tv(85, "8:9"), tv(100, "9:10:11:12")}, {tv(115, "1:1")}}}
}

func runStoreDiff(t *testing.T, p *rrdPipe, s *Store, rec *errRecorder, c diffCase, rnd *rand.Rand, st *diffStats) bool {
	t.Helper()
	dir := t.TempDir()
	base, a, b := filepath.Join(dir, "base.rrd"), filepath.Join(dir, "a.rrd"), filepath.Join(dir, "b.rrd")
	args := append([]string{"create", base, "--step", fmt.Sprint(c.step), "--start", fmt.Sprint(c.start)}, c.defs...)
	if _, err := p.run(t, args...); err != nil {
		t.Fatalf("%s: rrdtool create: %v", c.name, err)
	}
	copyFile(t, base, a)
	copyFile(t, base, b)
	st.cases++
	var want, got []string
	for k, call := range c.calls {
		if _, err := p.run(t, append([]string{"update", a}, call...)...); err != nil {
			want = append(want, strings.TrimPrefix(err.Error(), a+": "))
			st.failed++
		}
		if err := s.Update(b, call...); err != nil {
			got = append(got, strings.TrimPrefix(err.Error(), b+": "))
		}
		st.calls++
		st.args += len(call)
		if k < len(c.calls)-1 && rnd.IntN(3) > 0 {
			continue
		}
		s.Flush(context.Background(), b) // its errors are in rec
		got = append(got, rec.take(b)...)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s up to call %d: errors differ:\n rrdtool:  %q\n Store:    %q", c.name, k, want, got)
			return false
		}
		if diff := compareFiles(t, a, b); diff != "" {
			t.Errorf("%s up to call %d: files differ: %s", c.name, k, diff)
			return false
		}
	}
	return true
}
