package main

import (
	"context"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
)

// idleWait is how long a mute collector's loop sleeps when nothing is due.
const idleWait = time.Minute

// loop runs the agent until ctx ends: collection and sending when the
// scheduler says, the chassis check before each of them, SIGHUP reloads,
// mapping changes and metadata requests. It returns the exit status.
func (a *agent) loop(ctx context.Context) int {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	a.serve()
	a.startWatcher()
	if a.sched != nil {
		a.tick(a.env.now()) // stock sends everything at start-up
	}
	if a.env.ready != nil {
		a.env.ready(a)
	}
	timer := time.NewTimer(a.wait())
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			a.log.Info("gmond stopping")
			a.close()
			return exitOK
		case <-timer.C:
			if a.sched != nil {
				a.tick(a.env.now())
			}
		case <-hup:
			a.reload()
		case m := <-a.mappings:
			a.applyMapping(m)
		case name := <-a.requests:
			if a.sched != nil {
				a.sched.RequestMetadata(name)
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(a.wait())
	}
}

// wait is the time until the scheduler's next due group, rounded up to a
// whole second: groups due within the same second then share one wake-up,
// as they do in stock gmond, whose clock has one-second resolution. Each
// wake-up of an otherwise idle agent costs more CPU than its collection.
func (a *agent) wait() time.Duration {
	if a.sched == nil {
		return idleWait
	}
	next := a.sched.Next()
	if frac := next.Sub(next.Truncate(time.Second)); frac > 0 {
		next = next.Add(time.Second - frac)
	}
	return max(next.Sub(a.env.now()), 0)
}

// tick is one collection cycle: the chassis first, so that after an LPM
// move the packets of this very cycle go to the new managed system.
func (a *agent) tick(now time.Time) {
	if a.readIdentity() {
		a.moved()
	}
	a.sched.Tick(now)
}

// moved handles a chassis change: re-target, forget counter baselines
// (PURR, pool idle, network and disk counters of the old frame), and
// resend all metadata, which the scheduler does at its next Tick.
func (a *agent) moved() {
	a.moves++
	before := a.target
	a.resolve()
	a.log.Info("LPM move: running on another managed system",
		"chassis", a.id.ModelSerial, "system_type", a.id.SystemType, "system_id", a.id.SystemID,
		"from_cluster", before.Cluster, "to_cluster", a.target.Cluster,
		"from_port", before.Port, "to_port", a.target.Port)
	a.retarget()
	if a.sched != nil {
		a.sched.ResetBaselines()
		a.sched.Recollect() // location, serial_num... sit in collect_once groups
		a.sched.ResendMetadata()
	}
}

// retarget points the send channels where the current target says.
func (a *agent) retarget() {
	if a.send == nil || a.target.Port == 0 {
		return
	}
	before := a.send.Targets()
	if err := a.send.Retarget(a.target.Collector, a.target.Port); err != nil {
		a.log.Error("re-targeting the send channels failed; still sending to the old target",
			"targets", before, "err", err)
		return
	}
	if after := a.send.Targets(); !slices.Equal(before, after) {
		a.log.Info("send channels re-targeted", "from", before, "to", after, "cluster", a.target.Cluster)
	}
}

// applyMapping takes a new mapping from the watcher or a reload.
func (a *agent) applyMapping(m *mapping.Mapping) {
	a.s.m = m
	before := a.target
	a.resolve()
	if a.target != before {
		a.log.Info("mapping changed the target", "cluster", a.target.Cluster, "port", a.target.Port,
			"collector", a.target.Collector)
		a.retarget()
		if a.sched != nil {
			a.sched.ResendMetadata()
		}
	}
}

// reload is SIGHUP: read gmond.conf and the mapping again. A changed
// gmond.conf restarts the agent's parts in place; an unchanged one only
// re-reads the identity and resends all metadata, which is what the LPM
// hooks ask for.
func (a *agent) reload() {
	s, err := a.env.load(a.opts)
	if err != nil {
		a.log.Error("reload failed; keeping the running configuration", "err", err)
		return
	}
	for _, w := range s.cfg.Warnings {
		a.log.Warn(w)
	}
	if !sameConfig(a.s, s) {
		a.log.Info("configuration changed; restarting collection and channels", "config", s.origin())
		if err := a.restart(s); err != nil {
			a.log.Error("reload failed; keeping the running configuration", "err", err)
			return
		}
	} else if s.m != nil {
		a.s.m = s.m
	}
	if a.readIdentity() {
		a.moved()
		return
	}
	a.resolve()
	a.retarget()
	if a.sched != nil {
		a.sched.ResendMetadata()
		a.tick(a.env.now())
	}
	a.log.Info("reloaded on SIGHUP", "config", s.origin(), "mapping", s.mappingPath,
		"chassis", a.id.ModelSerial, "cluster", a.target.Cluster)
}
