package persist

import (
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// TestValues: rrdtool fetch returns what was sent, at the step's time:
// GAUGE values, COUNTER and DERIVE rates, summary SUM and NUM.
func TestValues(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t), RRAs: smallRRAs, Unsummarized: []string{"minus_"}})
	var snaps []*xmlout.Snapshot
	for k := 1; k <= 4; k++ {
		now := stepTime(k)
		hosts := make([]xmlout.Host, 2)
		for i := range hosts {
			hosts[i] = host("h"+strconv.Itoa(i+1), now,
				metric("load_one", strconv.FormatFloat(float64(k)+float64(i)/4, 'f', 2, 64), "float", "both", now),
				metric("pkts", strconv.Itoa(300*k), "uint32", "positive", now),
				// Negative all along: librrd reads a DERIVE change across signs as unknown.
				metric("drift", strconv.Itoa(-30*k), "int32", "derivative", now),
				// Q16: texts rrdtool refuses for a COUNTER, written as the
				// same value in digits; for a GAUGE passed on verbatim.
				metric("big_counter", strconv.FormatFloat(1.5e10+3e5*float64(k), 'e', -1, 64), "double", "positive", now),
				metric("big_gauge", "1.5e10", "double", "both", now),
				metric("broken", "abc", "float", "both", now),
				metric("minus_counter", "-42", "int32", "positive", now))
		}
		snaps = append(snaps, snapshot(cluster("C", now, hosts...)))
	}
	persistSteps(t, p, snaps...)
	st := p.Stats()
	closePersister(t, p)

	at := func(path string, k int) []float64 {
		t.Helper()
		return rowAt(rrdFetch(t, filepath.Join(root, path), base, base+15*5), stepTime(k).Unix())
	}
	for k := 2; k <= 4; k++ {
		for _, c := range []struct {
			path string
			want []float64
		}{
			{"C/h1/load_one.rrd", []float64{float64(k)}},
			{"C/h2/load_one.rrd", []float64{float64(k) + 0.25}},
			{"C/h1/pkts.rrd", []float64{20}},
			{"C/h1/drift.rrd", []float64{-2}},
			{"C/h1/big_counter.rrd", []float64{20000}},
			{"C/h1/big_gauge.rrd", []float64{1.5e10}},
			{"C/__SummaryInfo__/load_one.rrd", []float64{2*float64(k) + 0.25, 2}},
			{"C/__SummaryInfo__/pkts.rrd", []float64{40, 2}},
			{"__SummaryInfo__/load_one.rrd", []float64{2*float64(k) + 0.25, 2}},
		} {
			got := at(c.path, k)
			if len(got) != len(c.want) {
				t.Errorf("%s at step %d: %v, want %v", c.path, k, got, c.want)
				continue
			}
			for i := range got {
				if !near(got[i], c.want[i]) {
					t.Errorf("%s at step %d: %v, want %v", c.path, k, got, c.want)
				}
			}
		}
	}
	// "abc" (no number) and "-42" (a negative COUNTER) are refused by
	// rrdtool: counted, not written, per host and step; their files exist.
	if st.BadValues != 2*2*4 {
		t.Errorf("BadValues = %d, want 16", st.BadValues)
	}
	if st.UpdateErrors != 0 || st.CreateErrors != 0 || st.StaleUpdates != 0 {
		t.Errorf("stats %+v", st)
	}
	// unsummarized_metrics: host files, no summary files.
	for _, dir := range []string{"C/__SummaryInfo__", "__SummaryInfo__"} {
		if slices.Contains(listRRDs(t, filepath.Join(root, dir)), "minus_counter.rrd") {
			t.Errorf("%s has minus_counter.rrd, an unsummarized metric", dir)
		}
	}
	if !slices.Contains(listRRDs(t, filepath.Join(root, "LPARS/h1")), "minus_counter.rrd") {
		t.Errorf("LPARS/h1 has no minus_counter.rrd")
	}
}

// TestStaleSteps: a source whose LOCALTIME did not move (a polled gmond
// not polled again, a dead source) is not written twice; nothing reaches
// the Writer and nothing fails there.
func TestStaleSteps(t *testing.T) {
	mw := newMemWriter()
	p := newPersister(t, Options{Root: t.TempDir(), Writer: mw})
	now := stepTime(1)
	s := snapshot(cluster("C", now, host("h1", now, metric("load_one", "1", "float", "both", now))))
	for range 3 {
		p.Persist(s, now)
		if err := p.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	st := p.Stats()
	// host file, cluster summary and root summary: 3 files, each once.
	if st.Updates != 3 || st.StaleUpdates != 6 || st.Steps != 3 {
		t.Errorf("stats %+v, want 3 updates and 6 stale", st)
	}
	closePersister(t, p)
	for path, args := range mw.updates {
		if len(args) != 1 {
			t.Errorf("%s: %q", path, args)
		}
	}
	if !mw.closed {
		t.Errorf("Close did not close the Writer")
	}
}
