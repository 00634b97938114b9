package main

import (
	"errors"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/config"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/poller"
)

// startPollers starts one poller per data_source line, like gmetad's data
// threads: a report goes into the grid, a dead source is marked so.
func (a *app) startPollers() {
	for _, ds := range a.cfg.DataSources {
		p := poller.New(poller.DataSource{Name: ds.Name, Step: time.Duration(ds.Step) * time.Second, Addrs: ds.Addrs},
			poller.Options{
				Now:      a.env.now,
				Logger:   a.log,
				OnReport: func(r *poller.Report) { a.polled(ds, r) },
				OnError:  func(err error) { a.pollFailed(ds, err) },
				Parse: poller.ParseOptions{MaxHosts: a.cfg.MaxHostsPerCluster,
					MaxMetricsPerHost: a.cfg.MaxMetricsPerHost, MaxNameLen: a.cfg.MaxNameLength},
			})
		a.pollWG.Add(1)
		go func() {
			defer a.pollWG.Done()
			p.Run(a.bgCtx)
		}()
	}
}

// polled takes one poll's report.
func (a *app) polled(ds config.DataSource, r *poller.Report) {
	a.grid.SetPolled(ds.Name, r, r.Time)
	// The RRDs of a polled source are named by its CLUSTER or GRID NAME
	// (Q8) and get its data_source step.
	switch {
	case r.Cluster != nil:
		a.steps.Store(r.Cluster.Name, ds.Step)
	case r.Grid != nil:
		a.steps.Store(r.Grid.Name, ds.Step)
	}
	if r.Complete {
		a.counters.pollOK.Add(1)
		a.counters.lastPollOK.Store(r.Time.UnixNano())
	}
}

// pollFailed takes one poll's error. A connect or read failure marks the
// source dead (PROTOCOL.md §4.3); a parse error does not.
func (a *app) pollFailed(ds config.DataSource, err error) {
	now := a.env.now()
	a.counters.pollFailed.Add(1)
	a.counters.lastPollFailed.Store(now.UnixNano())
	var pe *poller.PollError
	if errors.As(err, &pe) && pe.Dead {
		a.grid.PolledDead(ds.Name, now)
	}
	a.throttle.Log(a.bgCtx, "poll:"+ds.Name, "data source poll failed", "data_source", ds.Name, "err", err)
}

// stepOf is the step of a polled source's new RRDs: its data_source
// interval; 0 (our own clusters) means the persister's default.
func (a *app) stepOf(source string) time.Duration {
	if v, ok := a.steps.Load(source); ok {
		return time.Duration(v.(int)) * time.Second
	}
	return 0
}
