package main

import (
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
)

const (
	// earlyStepDelay is how soon after a new host an extra RRD step runs,
	// so that its files start when it arrived rather than at the next
	// boundary (with up to 14 s of the first row unknown); a burst of new
	// hosts makes one step.
	earlyStepDelay = time.Second
	// earlyStepGap is the least time between two extra steps: after a
	// restart without a state file every host is new.
	earlyStepGap = 5 * time.Second
)

// persistLoop runs the RRD steps until shutdown: one at every multiple of
// the step (15 s) of the wall clock, so that each update lands on a row
// boundary and every row holds one sample, plus the early steps that
// requestEarlyStep asks for.
func (a *app) persistLoop() {
	defer a.tickWG.Done()
	step := persist.DefaultStep
	tick := time.NewTimer(untilBoundary(a.env.now(), step))
	defer tick.Stop()
	var early <-chan time.Time // nil while no early step is pending
	var lastEarly time.Time
	for {
		select {
		case <-a.bgCtx.Done():
			return
		case <-tick.C:
			now := a.env.now()
			a.persistAt(now)
			tick.Reset(untilBoundary(now, step))
		case <-a.earlyStep:
			if early == nil {
				wait := max(earlyStepDelay, earlyStepGap-a.env.now().Sub(lastEarly))
				early = time.After(wait)
			}
		case <-early:
			early = nil
			lastEarly = a.env.now()
			a.persistAt(lastEarly)
		}
	}
}

// linkQueue bounds the host links waiting for linkLoop; beyond it a link
// waits for the next RRD step, which makes it too.
const linkQueue = 256

// hostLink is a host's cluster link to make.
type hostLink struct{ cluster, host string }

// linkHost asks linkLoop to link the host's RRD directory from cluster at
// once: when a host moves, DESIGN.md wants the new cluster's link made
// then, not at the next step. It never blocks: the receive path calls it.
func (a *app) linkHost(cluster, host string) {
	if a.tree == nil || cluster == "" || host == "" {
		return
	}
	select {
	case a.links <- hostLink{cluster, host}:
	default:
	}
}

// linkLoop makes the links linkHost asks for, off the receive path (the
// tree may have to merge a stock host directory first).
func (a *app) linkLoop() {
	defer a.tickWG.Done()
	for {
		select {
		case <-a.bgCtx.Done():
			return
		case l := <-a.links:
			if _, err := a.tree.HostDir(l.cluster, l.host); err != nil {
				a.throttle.Log(a.bgCtx, "link:"+l.cluster, "cannot link a host's RRD directory",
					"cluster", l.cluster, "host", l.host, "err", err)
			}
		}
	}
}

// requestEarlyStep asks persistLoop for an extra step soon. It never
// blocks: the receive path calls it.
func (a *app) requestEarlyStep() {
	select {
	case a.earlyStep <- struct{}{}:
	default:
	}
}

func (a *app) persistAt(now time.Time) {
	a.persister.Persist(a.grid.Snapshot(now), now)
}

// untilBoundary is the time from now to the next multiple of step.
func untilBoundary(now time.Time, step time.Duration) time.Duration {
	return step - time.Duration(now.UnixNano()%int64(step))
}
