package persist

import (
	"runtime"
	"strconv"
	"testing"
	"time"
	"weak"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// bigSnapshot is a fresh snapshot of 50 hosts × 20 metrics at step k.
func bigSnapshot(k int) *xmlout.Snapshot {
	now := stepTime(k)
	hosts := make([]xmlout.Host, 50)
	for i := range hosts {
		ms := make([]xmlout.Metric, 20)
		for m := range ms {
			ms[m] = metric("m"+strconv.Itoa(m), strconv.Itoa(k), "float", "both", now)
		}
		hosts[i] = host("h"+strconv.Itoa(i), now, ms...)
	}
	return snapshot(cluster("C", now, hosts...))
}

// pushWeak hands snapshot k to p and returns a weak pointer to it, so the
// test itself keeps nothing alive.
func pushWeak(p *Persister, k int) weak.Pointer[xmlout.Snapshot] {
	s := bigSnapshot(k)
	p.Persist(s, stepTime(k))
	return weak.Make(s)
}

// TestBoundedQueue: while the Writer is stuck on step 1, 99 more steps
// arrive. Persist never blocks, at most one snapshot waits (the newest),
// the 98 others are dropped and counted, no goroutine is started and the
// dropped snapshots are garbage: memory does not grow with the backlog.
func TestBoundedQueue(t *testing.T) {
	mw := newMemWriter()
	mw.entered, mw.gate = make(chan struct{}, 1), make(chan struct{})
	p := newPersister(t, Options{Root: t.TempDir(), Writer: mw})
	goroutines := runtime.NumGoroutine()

	weaks := []weak.Pointer[xmlout.Snapshot]{pushWeak(p, 1)}
	<-mw.entered // the worker is inside the Writer with step 1
	for k := 2; k <= 100; k++ {
		weaks = append(weaks, pushWeak(p, k))
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines, %d before the backlog", n, goroutines)
	}
	runtime.GC()
	runtime.GC()
	var alive []int
	for k, w := range weaks {
		if w.Value() != nil {
			alive = append(alive, k+1)
		}
	}
	t.Logf("snapshots alive after the backlog: steps %v", alive)
	if len(alive) > 2 || (len(alive) == 2 && (alive[0] != 1 || alive[1] != 100)) {
		t.Errorf("snapshots still in memory: steps %v, want at most 1 and 100", alive)
	}
	if st := p.Stats(); st.Skipped != 98 || st.Waiting != 1 {
		t.Errorf("Skipped %d Waiting %d, want 98 and 1", st.Skipped, st.Waiting)
	}

	// Unstick the Writer: steps 1 and 100 are written, nothing else.
	mw.entered = nil
	close(mw.gate)
	if err := p.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := p.Stats()
	if st.Steps != 2 || st.Skipped != 98 || st.Waiting != 0 {
		t.Errorf("stats %+v, want 2 steps and 98 skipped", st)
	}
	if !st.LastStepTime.Equal(stepTime(100)) {
		t.Errorf("last step %v, want step 100", st.LastStepTime)
	}
}

// TestQueueLenTwo keeps the two newest snapshots.
func TestQueueLenTwo(t *testing.T) {
	mw := newMemWriter()
	mw.entered, mw.gate = make(chan struct{}, 1), make(chan struct{})
	p := newPersister(t, Options{Root: t.TempDir(), Writer: mw, QueueLen: 5}) // clamped to 2
	p.Persist(bigSnapshot(1), stepTime(1))
	<-mw.entered
	for k := 2; k <= 10; k++ {
		p.Persist(bigSnapshot(k), stepTime(k))
	}
	if st := p.Stats(); st.Skipped != 7 || st.Waiting != 2 {
		t.Errorf("Skipped %d Waiting %d, want 7 and 2", st.Skipped, st.Waiting)
	}
	mw.entered = nil
	close(mw.gate)
	if err := p.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.Steps != 3 || !st.LastStepTime.Equal(stepTime(10)) {
		t.Errorf("stats %+v, want steps 1, 9 and 10", st)
	}
}

// TestStepDurations: the step's duration and its lag from Persist, on the
// injected clock.
func TestStepDurations(t *testing.T) {
	var clock time.Time
	tick := func() time.Time { clock = clock.Add(time.Second); return clock }
	p := newPersister(t, Options{Root: t.TempDir(), Writer: newMemWriter(), Now: tick})
	persistSteps(t, p, bigSnapshot(1))
	// Persist read the clock once, the step twice (start, end).
	if st := p.Stats(); st.LastStepDuration != time.Second || st.LastStepLag != 2*time.Second {
		t.Errorf("duration %v lag %v, want 1s and 2s", st.LastStepDuration, st.LastStepLag)
	}
}
