package persist

import (
	"sync/atomic"
	"time"
)

// Stats are a Persister's counters since New, for /metrics. Errors of
// updates the Writer accepted and failed to write later (a file locked or
// replaced, a time rrdtool refuses) are in the Writer's own statistics.
type Stats struct {
	Steps   uint64 // snapshots persisted
	Skipped uint64 // snapshots dropped unpersisted: the worker was behind, or after Close
	Waiting int    // snapshots queued now

	FilesCreated uint64 // RRD files created
	CreateErrors uint64 // creations that failed (disk full, read-only, permissions); retried next step
	Updates      uint64 // update arguments handed to the Writer
	UpdateErrors uint64 // refused by Writer.Update
	// StaleUpdates were not written because their time was not after the
	// file's last update: a polled source not polled again since the
	// last step, or a clock that went back.
	StaleUpdates   uint64
	BadValues      uint64 // VAL texts that make no reading for the file's DS type (PROTOCOL.md §7 Q16)
	NameRejections uint64 // cluster, host and metric names refused as path components, per occurrence
	TreeErrors     uint64 // directories or host links the tree could not make (conflicts, I/O errors)

	LastStepDuration time.Duration // how long the last step took to hand its updates over
	LastStepLag      time.Duration // from Persist to the end of the last step, waiting included
	LastStepTime     time.Time     // the time of the last step persisted
}

// counters are the atomics behind Stats. Only the worker writes most of
// them, but Stats reads them from any goroutine.
type counters struct {
	steps, skipped                                  atomic.Uint64
	created, createErrs, updates, updateErrs, stale atomic.Uint64
	badValues, names, treeErrs                      atomic.Uint64
	stepDur, stepLag, stepTime                      atomic.Int64
}

// Stats returns the counters.
func (p *Persister) Stats() Stats {
	c := &p.stats
	p.mu.Lock()
	waiting := len(p.waiting)
	p.mu.Unlock()
	st := Stats{Steps: c.steps.Load(), Skipped: c.skipped.Load(), Waiting: waiting,
		FilesCreated: c.created.Load(), CreateErrors: c.createErrs.Load(), Updates: c.updates.Load(),
		UpdateErrors: c.updateErrs.Load(), StaleUpdates: c.stale.Load(), BadValues: c.badValues.Load(),
		NameRejections: c.names.Load(), TreeErrors: c.treeErrs.Load(),
		LastStepDuration: time.Duration(c.stepDur.Load()), LastStepLag: time.Duration(c.stepLag.Load())}
	if t := c.stepTime.Load(); t != 0 {
		st.LastStepTime = time.Unix(0, t)
	}
	return st
}
