package loadgen

import (
	"context"
	"math/bits"
	"time"
)

// Run creates a Generator for cfg, runs it until ctx is done and closes it.
func Run(ctx context.Context, cfg Config) (Stats, error) {
	g, err := New(cfg)
	if err != nil {
		return Stats{}, err
	}
	defer g.Close()
	return g.Run(ctx)
}

// Run sends round after round until ctx is done, then returns the counters
// and nil. Hosts do not send together: host i sends at phase i×Interval/Hosts
// of every round, as a real fleet's gmonds, started at random moments, do.
// On every tick of Config.Ticker it sends the hosts whose time has come, so
// the load is spread in small bursts instead of one per interval. Host 0 of
// the next round sends at once.
func (g *Generator) Run(ctx context.Context) (Stats, error) {
	ticks, stop := g.cfg.Ticker(g.cfg.Tick)
	defer stop()
	g.mu.Lock()
	now := g.cfg.Now()
	n := int64(len(g.hosts))
	// Continue after any Round: the next round to send starts now.
	g.seq = (g.seq + n - 1) / n * n
	g.t0 = now.Add(-time.Duration(g.seq/n) * g.cfg.Interval)
	g.sendDue(ctx, now)
	g.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return g.Stats(), nil
		case t := <-ticks:
			g.mu.Lock()
			g.sendDue(ctx, t)
			g.mu.Unlock()
		}
	}
}

// sendDue sends, in order, every host round whose time is not after now.
// Host rounds more than one interval late are skipped and counted.
func (g *Generator) sendDue(ctx context.Context, now time.Time) {
	n := int64(len(g.hosts))
	for ctx.Err() == nil {
		due := g.due(g.seq)
		if due.After(now) {
			return
		}
		step, i := g.seq/n, int(g.seq%n)
		g.seq++
		if now.Sub(due) > g.cfg.Interval {
			g.skipped.Add(1)
			continue
		}
		g.sendHost(i, step, now) // errors are counted in Stats
		if i == len(g.hosts)-1 {
			g.rounds.Add(1)
		}
	}
}

// due is when host round s (round s/Hosts, host s%Hosts) is to be sent.
func (g *Generator) due(s int64) time.Time {
	n := int64(len(g.hosts))
	return g.t0.Add(time.Duration(s/n)*g.cfg.Interval + g.phase(int(s%n)))
}

// phase is host i's offset inside a round, i×Interval/Hosts, computed in 128
// bits so that no fleet size or interval overflows.
func (g *Generator) phase(i int) time.Duration {
	hi, lo := bits.Mul64(uint64(g.cfg.Interval), uint64(i))
	q, _ := bits.Div64(hi, lo, uint64(len(g.hosts))) // i < Hosts, so q < Interval
	return time.Duration(q)
}
