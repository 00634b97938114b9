package persist

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// gaugeSteps returns snapshots of one host with load_one = k at steps
// from..to.
func gaugeSteps(from, to int) []*xmlout.Snapshot {
	var out []*xmlout.Snapshot
	for k := from; k <= to; k++ {
		now := stepTime(k)
		out = append(out, snapshot(cluster("C", now, host("h1", now,
			metric("load_one", strconv.Itoa(k), "float", "both", now)))))
	}
	return out
}

// TestDiskErrors: creations fail for three steps, then the disk recovers;
// later updates fail for two steps, then recover. The persister counts
// every failure, logs each kind once a minute, keeps running, and writes
// again as soon as it can.
func TestDiskErrors(t *testing.T) {
	root := t.TempDir()
	fw := &failingWriter{Store: openStore(t)}
	logs := &lockedBuffer{}
	clock := time.Unix(base, 0) // stands still: every warning falls in one throttle period
	p := newPersister(t, Options{Root: root, Writer: fw, RRAs: smallRRAs,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return clock }})

	fw.full.Store(true)
	persistSteps(t, p, gaugeSteps(1, 3)...)
	st := p.Stats()
	if st.CreateErrors != 9 || st.FilesCreated != 0 || st.Updates != 0 || st.Steps != 3 {
		t.Errorf("disk full, 3 steps: %+v, want 9 create errors (host, cluster, root × 3)", st)
	}
	fw.full.Store(false)
	persistSteps(t, p, gaugeSteps(4, 8)...)
	fw.full.Store(true)
	persistSteps(t, p, gaugeSteps(9, 10)...)
	fw.full.Store(false)
	persistSteps(t, p, gaugeSteps(11, 14)...)
	st = p.Stats()
	closePersister(t, p)

	if st.FilesCreated != 3 || st.UpdateErrors != 6 || st.Updates != 3*(5+4) || st.Steps != 14 {
		t.Errorf("stats %+v, want 3 files, 6 update errors, 27 updates, 14 steps", st)
	}
	// One line each, and Close's summary of what the throttle swallowed.
	for _, line := range []string{`msg="RRD file not created" path=`, `msg="RRD file not created" suppressed=8`,
		`msg="RRD update refused" path=`, `msg="RRD update refused" suppressed=5`} {
		if n := strings.Count(logs.String(), line); n != 1 {
			t.Errorf("%s logged %d times, want once:\n%s", line, n, logs)
		}
	}
	rows := rrdFetch(t, filepath.Join(root, "C/h1/load_one.rrd"), base, base+15*15)
	for _, k := range []int{5, 6, 7, 8, 11, 12, 13, 14} {
		if v := rowAt(rows, stepTime(k).Unix()); len(v) != 1 || !near(v[0], float64(k)) {
			t.Errorf("step %d: %v, want %d", k, v, k)
		}
	}
}

// TestCloseWritesEverything: Close persists what waits and flushes the
// Writer, so SIGTERM loses nothing.
func TestCloseWritesEverything(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t), RRAs: smallRRAs})
	persistSteps(t, p, gaugeSteps(1, 2)...)
	last := gaugeSteps(3, 3)[0]
	p.Persist(last, stepTime(3)) // no Sync: Close must write it
	closePersister(t, p)
	if v := rowAt(rrdFetch(t, filepath.Join(root, "C/h1/load_one.rrd"), base, base+15*4), stepTime(3).Unix()); len(v) != 1 || v[0] != 3 {
		t.Errorf("step 3 after Close: %v, want 3", v)
	}
	if err := p.Sync(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Sync after Close: %v, want ErrClosed", err)
	}
	p.Persist(last, stepTime(4))
	if st := p.Stats(); st.Steps != 3 || st.Skipped != 1 {
		t.Errorf("stats %+v, want 3 steps and the one after Close skipped", st)
	}
}
