package persist

import (
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// worker is the state of the one goroutine that writes: what it knows of
// every directory and file, and its scratch buffers. Nothing else touches
// it, so it needs no lock.
type worker struct {
	p    *Persister
	tree *rrdstore.Tree
	wr   Writer
	rras []rrdstore.RRA

	hosts     map[hostKey]*hostState
	dirs      map[string]*dirState // by directory path, shared by a host's clusters
	summaries map[string]*dirState // cluster and grid summary dirs by source name
	root      *dirState
	nextSweep int64

	buf, sum []byte
	args     [1]string // Update's argument slice, reused
}

func newWorker(p *Persister) *worker {
	return &worker{p: p, tree: p.tree, wr: p.opts.Writer, rras: p.opts.RRAs,
		hosts: make(map[hostKey]*hostState), dirs: make(map[string]*dirState),
		summaries: make(map[string]*dirState)}
}

// step persists one snapshot: every cluster's hosts and summary, every
// remote grid's summary, then the root summary.
func (w *worker) step(j job) {
	start := w.p.opts.Now()
	now := j.now.Unix()
	for i := range j.snap.Sources {
		if w.p.abort.Load() {
			return
		}
		src := &j.snap.Sources[i]
		t := src.LocalTime
		if t == 0 {
			t = now // gmetad uses the current time when the source sent none
		}
		d := w.summaryDir(src.Name, now)
		if d == nil {
			continue // a refused or conflicting cluster directory: nothing of it can be written
		}
		step := w.stepOf(src.Name)
		if src.Kind == xmlout.Cluster {
			w.cluster(src, t, step, now)
		}
		w.summary(d, &src.Summary, t, step, false, now)
	}
	if d := w.rootDir(now); d != nil {
		w.summary(d, &j.snap.Summary, now, rootStep, true, now)
	}
	w.sweep(now)
	end := w.p.opts.Now()
	c := &w.p.stats
	c.steps.Add(1)
	c.stepDur.Store(int64(end.Sub(start)))
	c.stepLag.Store(int64(end.Sub(j.at)))
	c.stepTime.Store(j.now.UnixNano())
}

// stepOf is the step in seconds of new files of a source.
func (w *worker) stepOf(source string) uint64 {
	d := w.p.opts.Step
	if f := w.p.opts.StepOf; f != nil {
		if s := f(source); s > 0 {
			d = s
		}
	}
	return max(uint64(d/time.Second), 1)
}

// cluster writes the host files of one cluster: every numeric metric of
// every host that is up, at the source's time t (PROTOCOL.md §4.4, §4.6).
func (w *worker) cluster(src *xmlout.Source, t int64, step uint64, now int64) {
	for i := range src.Hosts {
		if w.p.abort.Load() {
			return
		}
		h := &src.Hosts[i]
		if !hostUp(h, t, now) {
			continue
		}
		d := w.hostDir(src.Name, h.Name, now)
		if d == nil {
			continue
		}
		for k := range h.Metrics {
			m := &h.Metrics[k]
			if !numeric(m.Type) || (m.DMax > 0 && tn(m.T0, now) > int64(m.DMax)) {
				continue
			}
			f := w.file(d, m.Name, now)
			if f == nil || !w.ready(f, t, step, m.Slope, false) || !w.fresh(f, t) {
				continue
			}
			b := strconv.AppendInt(w.buf[:0], t, 10)
			b = append(b, ':')
			b, ok := appendReading(b, m.Val, f.types[0])
			w.buf = b
			if !ok {
				w.badValue(f, m.Val)
				continue
			}
			w.update(f, t, b)
		}
	}
}

// summary writes a summary's files: "T:SUM:NUM", SUM as gmetad prints it
// for cluster and grid summaries and "%.5f" for the root (PROTOCOL.md
// §4.6). Entries whose hosts are all down keep being written with SUM 0
// NUM 0 (Q12).
func (w *worker) summary(d *dirState, s *xmlout.Summary, t int64, step uint64, root bool, now int64) {
	for i := range s.Metrics {
		sm := &s.Metrics[i]
		if w.unsummarized(sm.Name) {
			continue
		}
		f := w.file(d, sm.Name, now)
		if f == nil || !w.ready(f, t, step, sm.Slope, true) || !w.fresh(f, t) {
			continue
		}
		if root {
			w.sum = xmlout.AppendRootSum(w.sum[:0], sm.Sum)
		} else {
			w.sum = xmlout.AppendSum(w.sum[:0], sm)
		}
		b := strconv.AppendInt(w.buf[:0], t, 10)
		b = append(b, ':')
		b, ok := appendReading(b, w.sum, f.types[0])
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(sm.Num), 10) // digits: valid for every DS type
		w.buf = b
		if !ok {
			w.badValue(f, string(w.sum))
			continue
		}
		w.update(f, t, b)
	}
}

// fresh reports whether t is after f's last update; a step written twice
// (a polled source not polled again, the same second twice) is counted
// and skipped, where librrd would refuse it with an error per file.
func (w *worker) fresh(f *fileState, t int64) bool {
	if t <= f.last {
		w.p.stats.stale.Add(1)
		return false
	}
	return true
}

// update hands the argument "T:…" to the Writer.
func (w *worker) update(f *fileState, t int64, arg []byte) {
	c := &w.p.stats
	w.args[0] = string(arg)
	err := w.wr.Update(f.path, w.args[:]...)
	w.args[0] = ""
	if err != nil {
		c.updateErrs.Add(1)
		w.warn("update", "RRD update refused", "path", f.path, "err", err)
		return
	}
	f.last = t
	c.updates.Add(1)
}

func (w *worker) badValue(f *fileState, val string) {
	w.p.stats.badValues.Add(1)
	w.warn("value", "metric value is no RRD reading; not written", "path", f.path, "val", quote(val))
}

func (w *worker) unsummarized(name string) bool {
	for _, prefix := range w.p.opts.Unsummarized {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// hostUp is gmetad's alive rule (PROTOCOL.md §2.6, §4.4): TN < 4 × TMAX,
// or for TMAX 0 a report within 60 s of the cluster's LOCALTIME.
func hostUp(h *xmlout.Host, localTime, now int64) bool {
	if h.TMax == 0 {
		d := localTime - h.Reported
		return -60 < d && d < 60
	}
	return tn(h.T0, now) < 4*int64(h.TMax)
}

// tn is TN as the XML shows it: whole seconds since t0, never negative.
func tn(t0 time.Time, now int64) int64 {
	return max(now-t0.Unix(), 0)
}

// numeric reports whether gmetad writes RRDs for a metric of this TYPE:
// INT, UINT and FLOAT, not string or timestamp (PROTOCOL.md §4.4).
func numeric(typ string) bool {
	switch typ {
	case "int8", "int16", "int32", "uint8", "uint16", "uint32", "float", "double":
		return true
	}
	return false
}
