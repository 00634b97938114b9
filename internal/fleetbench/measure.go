package fleetbench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/loadgen"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// sample is the counters of both processes and gmetad's sockets at one
// time.
type sample struct {
	at      time.Time
	gmetad  procSample
	loadgen procSample
	st      *status
	drops   uint64 // datagrams the kernel dropped on gmetad's full UDP sockets
}

func (r *runner) sample() (sample, error) {
	s := sample{at: time.Now()}
	var err error
	if s.gmetad, err = readProc(r.gmetad.pid()); err != nil {
		return s, fmt.Errorf("gmetad /proc: %w", err)
	}
	if s.loadgen, err = readProc(r.loadgen.pid()); err != nil {
		return s, fmt.Errorf("loadgen /proc: %w", err)
	}
	if s.st, err = fetchStatus(r.addr(r.l.interactivePort)); err != nil {
		return s, err
	}
	s.drops, err = socketDrops(r.l.udpPorts())
	return s, err
}

// progress logs what happened between two samples.
func (r *runner) progress(what string, a, b sample) {
	sec := b.at.Sub(a.at).Seconds()
	m := &b.st.Metrics
	r.logf("%s: %d hosts, %d files, %d steps (last %d ms, %d skipped), %.0f pkt/s, %d dropped, gmetad %.0f%% CPU, RSS %s",
		what, m.LPM.Hosts, m.RRD.FilesCreated, m.RRD.Steps, m.RRD.LastStepMS, m.RRD.Skipped,
		float64(m.UDP.Packets-a.st.Metrics.UDP.Packets)/sec, b.drops-a.drops,
		100*(b.gmetad.CPU-a.gmetad.CPU).Seconds()/sec, mib(b.gmetad.RSS))
}

// warmup waits until every host is in the grid with a file for each of
// its numeric metrics, and a whole RRD step created no file: from then on
// gmetad only updates. Its length, CPU (mostly creating the files) and
// drops are reported apart. A warm-up longer than MaxWarmup is reported
// as not settled and the run goes on.
func (r *runner) warmup(ctx context.Context) error {
	first, err := r.sample()
	if err != nil {
		return err
	}
	wantFiles := uint64(r.cfg.Hosts * numericMetrics(r.cfg.Metrics))
	enough := func(st *status) bool {
		return st.Metrics.LPM.Hosts >= uint64(r.cfg.Hosts) && st.Metrics.RRD.FilesCreated >= wantFiles
	}
	var prev *status // at the last step seen
	last, logged := first, first
	for !r.res.WarmupSettled && time.Since(first.at) <= r.cfg.MaxWarmup {
		if err := sleepUntil(ctx, time.Now().Add(time.Second)); err != nil {
			return err
		}
		if err := r.alive(); err != nil {
			return err
		}
		if last, err = r.sample(); err != nil {
			return err
		}
		st := last.st
		r.res.WarmupSettled = prev != nil && enough(prev) && enough(st) &&
			st.Metrics.RRD.Steps > prev.Metrics.RRD.Steps && st.Metrics.RRD.FilesCreated == prev.Metrics.RRD.FilesCreated
		if prev == nil || st.Metrics.RRD.Steps > prev.Metrics.RRD.Steps {
			prev = st
		}
		if last.at.Sub(logged.at) >= step {
			r.progress(fmt.Sprintf("warm-up %v", last.at.Sub(first.at).Round(time.Second)), logged, last)
			logged = last
		}
	}
	if !r.res.WarmupSettled {
		r.logf("%v in %v (%d files wanted); measuring anyway", errWarmup, r.cfg.MaxWarmup, wantFiles)
	}
	res := r.res
	res.Warmup, res.WarmupCPU = last.at.Sub(first.at), last.gmetad.CPU-first.gmetad.CPU
	res.FilesCreated, res.DropsWarmup = last.st.Metrics.RRD.FilesCreated, last.drops-first.drops
	r.logf("warm-up done in %v: %d files, %.1f CPU-s, %d datagrams dropped", res.Warmup.Round(time.Second),
		res.FilesCreated, res.WarmupCPU.Seconds(), res.DropsWarmup)
	return nil
}

// numericMetrics is how many of the first n metrics of ganglia-loadgen
// get an RRD file: all but the string ones.
func numericMetrics(n int) int {
	k := 0
	for _, m := range loadgen.Metrics(n) {
		if m.ID != xdr.IDString {
			k++
		}
	}
	return k
}

// measure is the window: it starts half a step after an RRD step, so
// that it holds Window/step whole steps with their flushes, and watches
// the lag of a few files meanwhile.
func (r *runner) measure(ctx context.Context) error {
	t0 := stepBoundary(time.Now()).Add(step / 2)
	if err := sleepUntil(ctx, t0); err != nil {
		return err
	}
	files, err := sampleFiles(r.lpars(), r.cfg.LagFiles, 1, lagFile)
	if err != nil {
		return err
	}
	lw := newLagWatch(files)
	lw.poll(time.Now(), true)
	a, err := r.sample()
	if err != nil {
		return err
	}
	r.logf("window of %v from %s; watching %d files for the lag", r.cfg.Window, t0.Format("15:04:05"), len(files))
	if err := r.watch(ctx, lw, a, t0.Add(r.cfg.Window)); err != nil {
		return err
	}
	b, err := r.sample()
	if err != nil {
		return err
	}
	r.res.WindowStart = t0.Add(-step / 2)
	r.res.PerHost = filesPerHost(files[0])
	r.record(a, b, lw)
	r.logf("window done: %.1f CPU-s, %d updates, lag max %v", r.res.CPU.Seconds(), r.res.Updates, r.res.LagMax)
	return nil
}

// watch polls the lag files until end, and logs the progress once a step.
func (r *runner) watch(ctx context.Context, lw *lagWatch, a sample, end time.Time) error {
	t0 := a.at
	return watchWindow(ctx, lw, a.at, end, nil, func() error {
		if err := r.alive(); err != nil {
			return err
		}
		b, err := r.sample()
		if err != nil {
			return err
		}
		r.progress(fmt.Sprintf("window %v, lag max %v", b.at.Sub(t0).Round(time.Second), shortDur(quantile(lw.lags, 1))), a, b)
		a = b
		return nil
	})
}

// watchWindow polls lw every lagPoll from start until end, each time after
// beforePoll (if set), and calls everyStep once a step; an error of
// everyStep or the end of ctx ends it.
func watchWindow(ctx context.Context, lw *lagWatch, start, end time.Time, beforePoll func(), everyStep func() error) error {
	tick := time.NewTicker(lagPoll)
	defer tick.Stop()
	next := start.Add(step)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case now := <-tick.C:
			if beforePoll != nil {
				beforePoll()
			}
			lw.poll(time.Now(), false)
			if !now.Before(end) {
				return nil
			}
			if now.Before(next) {
				continue
			}
			next = next.Add(step)
			if err := everyStep(); err != nil {
				return err
			}
		}
	}
}

func (r *runner) record(a, b sample, lw *lagWatch) {
	res := r.res
	ar, br := &a.st.Metrics.RRD, &b.st.Metrics.RRD
	res.CPU = b.gmetad.CPU - a.gmetad.CPU
	res.Elapsed = b.at.Sub(a.at)
	res.Updates, res.Steps = br.Updates-ar.Updates, br.Steps-ar.Steps
	res.Skipped, res.UpdateErrors = br.Skipped-ar.Skipped, br.UpdateErrors-ar.UpdateErrors
	res.Stale, res.LastStepMS = br.StaleUpdates-ar.StaleUpdates, br.LastStepMS
	res.Expected = uint64(r.cfg.Hosts) * uint64(res.PerHost) * uint64(r.cfg.Window/step)
	res.Packets = b.st.Metrics.UDP.Packets - a.st.Metrics.UDP.Packets
	res.Drops = b.drops - a.drops
	res.LoadgenCPU = b.loadgen.CPU - a.loadgen.CPU
	res.RSS, res.PeakRSS = b.gmetad.RSS, b.gmetad.HWM
	res.RSSAnon, res.RSSFile = b.gmetad.Anon, b.gmetad.File
	res.GridHosts = b.st.Metrics.LPM.Hosts
	res.LagSamples, res.LagErrors = len(lw.lags), lw.errs
	res.LagP50, res.LagMax = quantile(lw.lags, 0.5), quantile(lw.lags, 1)
	res.Staleness = lw.staleness(b.at)
	res.LoadEnd = loadAvg()
}

// gaps checks GapFiles random files over the window's rows.
func (r *runner) gaps(context.Context) error {
	files, err := sampleFiles(r.lpars(), r.cfg.GapFiles, 2, "")
	if err != nil {
		return err
	}
	// rrdtool fetch includes the row after an end on a step boundary:
	// end one second earlier for the window's rows alone.
	start := r.res.WindowStart.Unix()
	r.res.Gaps = checkGaps(files, start, start+int64(r.cfg.Window.Seconds())-1)
	r.logf("gaps: %+v", r.res.Gaps)
	return nil
}

// dumps times full xml_port answers while the fleet keeps sending, and
// gmetad's CPU and peak RSS for them.
func (r *runner) dumps(context.Context) error {
	before, err := readProc(r.gmetad.pid())
	if err != nil {
		return err
	}
	for range r.cfg.DumpSamples {
		d, err := readDump(r.addr(r.l.xmlPort))
		if err != nil {
			return fmt.Errorf("xml_port dump: %w", err)
		}
		r.res.Dumps = append(r.res.Dumps, d)
		r.logf("dump: %v, %.1f MB, %d hosts", d.Took, float64(d.Bytes)/1e6, d.Hosts)
	}
	after, err := readProc(r.gmetad.pid())
	if err != nil {
		return err
	}
	r.res.DumpCPU = (after.CPU - before.CPU) / time.Duration(r.cfg.DumpSamples)
	r.res.PeakRSSAfterDumps, r.res.RSSAnonAfterDumps = after.HWM, after.Anon
	return nil
}

// stop stops the load generator, compares what it sent with what gmetad
// received, then stops gmetad; both must exit 0 and gmetad's log must
// hold no panic.
func (r *runner) stop(context.Context) error {
	if err := r.loadgen.stop(loadgenGrace); err != nil {
		return err
	}
	r.res.Sent, r.res.SendErrors, r.res.SendSkipped = parseLoadgenTotals(r.loadgen.log())
	// Datagrams still in the socket buffers are read within milliseconds.
	_ = sleepUntil(context.Background(), time.Now().Add(time.Second))
	st, err := fetchStatus(r.addr(r.l.interactivePort))
	if err != nil {
		return err
	}
	r.res.Received = st.Metrics.UDP.Packets
	began := time.Now()
	if err := r.gmetad.stop(gmetadGrace); err != nil {
		return err
	}
	r.res.StopTook = time.Since(began)
	r.res.LostAtClose = parseLostAtClose(r.gmetad.log())
	for _, bad := range []string{"panic:", "fatal error:", "DATA RACE"} {
		if strings.Contains(r.gmetad.log(), bad) {
			return fmt.Errorf("gmetad log %s holds %q", r.gmetad.logPath, bad)
		}
	}
	r.logf("stopped: gmetad exit 0 after %v", r.res.StopTook.Round(time.Millisecond))
	return nil
}
