package loadgen

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// fakeTicker is an injected Config.Ticker: the test sends the tick times.
type fakeTicker struct {
	c      chan time.Time
	period time.Duration
}

func (f *fakeTicker) ticker(d time.Duration) (<-chan time.Time, func()) {
	f.period = d
	return f.c, func() {}
}

// runPaced starts Run on a recorded 8-host fleet (interval 8 s, so host i's
// phase is i seconds) with a fake ticker, inside a synctest bubble so that
// synctest.Wait tells when Run has handled a tick. Ticks are sent by the
// returned func; stop ends Run and returns its result.
func runPaced(t *testing.T, mdInterval time.Duration) (g *Generator, rec *recorder, tick func(time.Time), stop func() Stats) {
	ft := &fakeTicker{c: make(chan time.Time)}
	g, rec = newRecorded(t, Config{
		Hosts: 8, Metrics: 2, Interval: 8 * time.Second, Tick: 250 * time.Millisecond,
		MetadataInterval: mdInterval, Targets: []Target{{Addr: "127.0.0.1:8649"}},
		Now: func() time.Time { return t0 }, Ticker: ft.ticker,
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // a failed test must not leave Run blocked in the bubble
	done := make(chan Stats, 1)
	go func() {
		s, err := g.Run(ctx)
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		done <- s
	}()
	tick = func(at time.Time) {
		ft.c <- at
		synctest.Wait()
	}
	stop = func() Stats {
		cancel()
		return <-done
	}
	synctest.Wait()
	if ft.period != 250*time.Millisecond {
		t.Errorf("ticker period %v, want Config.Tick", ft.period)
	}
	return g, rec, tick, stop
}

// TestRunPacing drives two rounds tick by tick: every host sends exactly
// once per round, at the first tick at or after its phase, alone, with its
// metadata in its first round and again once MetadataInterval has passed.
func TestRunPacing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, rec, tick, stop := runPaced(t, 16*time.Second)
		// Run sends host 0 of round 0 at once.
		checkBurst(t, g, rec.take(), 0, 0, true)
		for at := t0.Add(250 * time.Millisecond); !at.After(t0.Add(16 * time.Second)); at = at.Add(250 * time.Millisecond) {
			tick(at)
			got := rec.take()
			since := at.Sub(t0)
			if since%time.Second != 0 {
				if len(got) != 0 {
					t.Fatalf("tick %v: %d packets between phases", since, len(got))
				}
				continue
			}
			s := int(since / time.Second)
			// Metadata: in round 0, not in round 1 (8 s later), again in
			// round 2 (16 s = MetadataInterval later).
			checkBurst(t, g, got, s%8, int64(s/8), s/8 != 1)
		}
		st := stop()
		if st.Rounds != 2 || st.Skipped != 0 || st.Errors != 0 {
			t.Errorf("stats = %+v, want 2 full rounds", st)
		}
	})
}

// checkBurst checks one tick's packets: exactly host i's round step.
func checkBurst(t *testing.T, g *Generator, got []recorded, i int, step int64, meta bool) {
	t.Helper()
	msgs := make([]xdr.Message, 0, len(got))
	for _, r := range got {
		if r.host != i {
			t.Fatalf("step %d: packet of host %d, want only host %d", step, r.host, i)
		}
		msgs = append(msgs, r.msg)
	}
	checkHostRound(t, g, i, step, msgs, meta)
}

// TestRunSkipsWhenFarBehind: after a stall longer than the interval, Run
// drops what is more than one interval late instead of bursting it all.
func TestRunSkipsWhenFarBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, rec, tick, stop := runPaced(t, -1)
		rec.take()
		tick(t0.Add(20 * time.Second))
		// Late by more than 8 s: round 0 hosts 1-7 and round 1 hosts 0-3
		// (due before 12 s). Sent: round 1 hosts 4-7, round 2 hosts 0-4.
		var hosts []int
		for _, r := range rec.take() {
			if r.msg.ID.IsValue() && r.msg.Name == "load_one" {
				hosts = append(hosts, r.host)
			}
		}
		if want := []int{4, 5, 6, 7, 0, 1, 2, 3, 4}; !slices.Equal(hosts, want) {
			t.Errorf("hosts sent after the stall: %v, want %v", hosts, want)
		}
		if st := stop(); st.Skipped != 11 || st.Rounds != 1 {
			t.Errorf("stats = %+v, want 11 skipped, 1 round", st)
		}
	})
}

// TestRunDefaultClock runs with time.Now and time.NewTicker (the defaults)
// in a synctest bubble, whose clock only moves when every goroutine waits:
// one interval of fake time covers the whole fleet once.
func TestRunDefaultClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, rec := newRecorded(t, Config{Hosts: 100, Metrics: 1, Targets: []Target{{Addr: "127.0.0.1:8649"}}})
		if g.cfg.Tick != maxTick {
			t.Errorf("default tick %v, want 15 s / 100 hosts capped at %v", g.cfg.Tick, maxTick)
		}
		ctx, cancel := context.WithTimeout(context.Background(), DefaultInterval-time.Millisecond)
		defer cancel()
		st, err := g.Run(ctx)
		if err != nil || st.Rounds != 1 || st.Packets != 200 {
			t.Errorf("Run = %+v, %v; want 1 round of 100 hosts × (metadata + value)", st, err)
		}
		if n := len(rec.take()); n != 200 {
			t.Errorf("%d packets recorded, want 200", n)
		}
	})
}

// TestRoundAfterRun: Round continues with the next whole round.
func TestRoundAfterRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g, rec, tick, stop := runPaced(t, 0)
		tick(t0.Add(3 * time.Second)) // hosts 0-3 of round 0
		stop()
		rec.take()
		if err := g.Round(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, r := range rec.take() {
			if r.msg.ID.IsValue() && r.msg.Name == "load_one" {
				checkVAL(t, g, r.host, 0, 1, &r.msg)
			}
		}
	})
}
