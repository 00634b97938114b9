//go:build fleetbench

package fleetbench

import (
	"context"
	"fmt"
	"time"
)

// measure is the window, placed as ours is (half a step after a 15 s
// boundary, whole steps long). Stock gmetad writes a file at each poll of
// its source, so the lag watch counts the updates of the watched files:
// stored values = their updates per file × every file in the tree.
func (r *stockRun) measure(ctx context.Context) error {
	t0 := stepBoundary(time.Now()).Add(step / 2)
	if err := sleepUntil(ctx, t0); err != nil {
		return err
	}
	files, err := r.sampleFiles(r.cfg.LagFiles, 1, lagFile)
	if err != nil {
		return err
	}
	_, hostFiles, err := r.countFiles()
	if err != nil {
		return err
	}
	// Summaries: one file per metric for each cluster and for the grid.
	summaries := (r.cfg.Systems + 1) * numericMetrics(r.cfg.Metrics)
	r.side.Files = uint64(hostFiles + summaries)
	lw := newLagWatch(files)
	r.flush(files)
	lw.poll(time.Now(), true)
	a, err := r.sample()
	if err != nil {
		return err
	}
	r.logf("window of %v from %s; %d files; watching %d for the lag", r.cfg.Window, t0.Format("15:04:05"),
		r.side.Files, len(files))
	if err := r.watch(ctx, lw, a, t0.Add(r.cfg.Window)); err != nil {
		return err
	}
	b, err := r.sample()
	if err != nil {
		return err
	}
	r.record(a, b, lw, len(files))
	r.logf("window done: %.1f CPU-s (%s), %.0f values stored, lag max %v", r.side.CPU.Seconds(), r.side.CPUBy,
		r.side.Stored, shortDur(r.side.Lag.Max))
	return nil
}

func (r *stockRun) watch(ctx context.Context, lw *lagWatch, a stockSample, end time.Time) error {
	t0 := a.at
	return watchWindow(ctx, lw, a.at, end, func() { r.flush(lw.files) }, func() error {
		if err := r.alive(); err != nil {
			return err
		}
		b, err := r.sample()
		if err != nil {
			return err
		}
		cpu, by := cpuSum(a, b)
		r.logf("window %v: CPU %.0f%% (%s), %d dropped, %d lag samples, lag max %v",
			b.at.Sub(t0).Round(time.Second), 100*cpu.Seconds()/b.at.Sub(a.at).Seconds(), by,
			b.drops-a.drops, len(lw.lags), shortDur(quantile(lw.lags, 1)))
		a = b
		return nil
	})
}

func (r *stockRun) record(a, b stockSample, lw *lagWatch, watched int) {
	s := &r.side
	s.CPU, s.CPUBy = cpuSum(a, b)
	s.PeakRSS, s.RSSBy = rssSum(b)
	s.Drops = b.drops - a.drops
	steps := r.cfg.Window / step
	s.Expected = float64(s.Files) * float64(steps)
	s.Stored = float64(len(lw.lags)) / float64(watched) * float64(s.Files)
	s.Lag = lagFigures{P50: quantile(lw.lags, 0.5), Max: quantile(lw.lags, 1), Staleness: lw.staleness(b.at),
		Samples: len(lw.lags), Errors: lw.errs}
	r.windowStart = a.at.Add(-step / 2)
	s.Notes = append(s.Notes, "load average "+r.loadStart+" → "+loadAvg())
}

// gaps checks GapFiles random host files over the window's rows, after
// the daemon (if any) wrote what it holds of them.
func (r *stockRun) gaps(context.Context) error {
	files, err := r.sampleFiles(r.cfg.GapFiles, 2, "")
	if err != nil {
		return err
	}
	r.flush(files)
	start := r.windowStart.Truncate(step).Unix()
	r.side.Gaps = checkGaps(files, start, start+int64(r.cfg.Window.Seconds())-1)
	r.logf("gaps: %+v", r.side.Gaps)
	return nil
}

// dumps times full xml_port answers of stock gmetad while the fleet sends,
// and its CPU and peak RSS for them.
func (r *stockRun) dumps(context.Context) error {
	before, err := readProc(r.gmetad.PID())
	if err != nil {
		return err
	}
	for range r.cfg.DumpSamples {
		d, err := readDump(r.gmetad.XMLAddr)
		if err != nil {
			return fmt.Errorf("stock xml_port dump: %w", err)
		}
		r.side.Dumps = append(r.side.Dumps, d)
		r.logf("dump: %v, %.1f MB, %d hosts", shortDur(d.Took), float64(d.Bytes)/1e6, d.Hosts)
	}
	after, err := readProc(r.gmetad.PID())
	if err != nil {
		return err
	}
	if after.HWM > before.HWM+1<<20 {
		r.side.Notes = append(r.side.Notes, fmt.Sprintf("stock gmetad's peak RSS rose from %s to %s during the dumps",
			mib(before.HWM), mib(after.HWM)))
		r.side.PeakRSS += after.HWM - before.HWM
	}
	r.side.Notes = append(r.side.Notes, fmt.Sprintf("stock gmetad CPU-s per dump %.2f",
		(after.CPU-before.CPU).Seconds()/float64(r.cfg.DumpSamples)))
	return nil
}

// stop ends the load and checks that every stock daemon lived through
// the run; stockganglia stops them by PID when the test ends.
func (r *stockRun) stop(context.Context) error {
	if err := r.alive(); err != nil {
		return err
	}
	err := r.loadgen.stop(loadgenGrace)
	r.side.SentTotal, _, _ = parseLoadgenTotals(r.loadgen.log())
	if err != nil {
		return err
	}
	r.gmetad.Stop()
	r.logf("stopped; %d packets sent in the run", r.side.SentTotal)
	return nil
}
