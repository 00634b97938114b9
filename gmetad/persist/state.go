package persist

import (
	"context"
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// Forgetting: what the worker knows of a host, directory or file not seen
// in a snapshot for forgetAfter seconds is dropped (the files stay), so
// hosts that left for good, or hostile names, cost no memory forever. The
// check runs every sweepEvery seconds of step time.
const (
	forgetAfter = 3600
	sweepEvery  = 600
)

// hostKey names a host as a cluster reports it. A host that moved has one
// key per cluster, all pointing at the same dirState.
type hostKey struct{ cluster, host string }

// hostState is a host of one cluster: its directory, or nil if the tree
// refused its name.
type hostState struct {
	dir  *dirState
	seen int64
}

// dirState is a directory of RRDs: a host's LPARS directory or a summary
// directory, with its files by metric name.
type dirState struct {
	path  string
	files map[string]*fileState
	seen  int64
}

// fileState is one RRD file. last is the time of the last update handed
// to the Writer (or found in the file), so a step written twice is
// skipped here instead of being refused by librrd file by file.
type fileState struct {
	path  string // "" when the metric name was refused
	last  int64
	seen  int64
	types [2]dsType // sum, num
	ready bool      // the file exists: found or created
}

// hostDir returns the host's directory, setting up the tree on first use.
func (w *worker) hostDir(cluster, host string, now int64) *dirState {
	hs := w.hosts[hostKey{cluster, host}]
	if hs == nil {
		hs = &hostState{}
		path, err := w.tree.HostDir(cluster, host)
		switch {
		case err == nil:
			hs.dir = w.dir(path)
		case errors.Is(err, rrdstore.ErrBadName):
			// Remembered, so a hostile name costs one map lookup a step.
			w.warn("name", "host name refused for the RRD tree", "cluster", quote(cluster), "err", err)
		default:
			// Not remembered: a conflict may be repaired, a disk may recover.
			w.treeError(err)
			return nil
		}
		w.hosts[hostKey{strings.Clone(cluster), strings.Clone(host)}] = hs
	}
	hs.seen = now
	if hs.dir == nil {
		w.p.stats.names.Add(1)
		return nil
	}
	hs.dir.seen = now
	return hs.dir
}

// summaryDir returns <root>/<source>/__SummaryInfo__, which also proves
// the source's directory sound; nil (counted) if it is not.
func (w *worker) summaryDir(source string, now int64) *dirState {
	d := w.summaries[source]
	if d == nil {
		path, err := w.tree.ClusterSummaryDir(source)
		if err != nil {
			if errors.Is(err, rrdstore.ErrBadName) {
				w.p.stats.names.Add(1)
				w.warn("name", "cluster name refused for the RRD tree", "err", err)
			} else {
				w.treeError(err)
			}
			return nil
		}
		d = w.dir(path)
		w.summaries[strings.Clone(source)] = d
	}
	d.seen = now
	return d
}

// rootDir returns <root>/__SummaryInfo__.
func (w *worker) rootDir(now int64) *dirState {
	if w.root == nil {
		path, err := w.tree.GridSummaryDir()
		if err != nil {
			w.treeError(err)
			return nil
		}
		w.root = w.dir(path)
	}
	w.root.seen = now
	return w.root
}

func (w *worker) dir(path string) *dirState {
	d := w.dirs[path]
	if d == nil {
		d = &dirState{path: path, files: make(map[string]*fileState)}
		w.dirs[path] = d
	}
	return d
}

// file returns the state of metric's file in d; nil (counted) if the name
// cannot be a file name.
func (w *worker) file(d *dirState, metric string, now int64) *fileState {
	f := d.files[metric]
	if f == nil {
		path, err := w.tree.MetricPath(d.path, metric)
		if err != nil {
			w.warn("name", "metric name refused for the RRD tree", "dir", d.path, "err", err)
		}
		f = &fileState{path: path}
		d.files[strings.Clone(metric)] = f
	}
	f.seen = now
	if f.path == "" {
		w.p.stats.names.Add(1)
		return nil
	}
	return f
}

// ready makes sure f exists before its first update: it reads an existing
// file's DS types and last update (a restart, a tree made by stock
// gmetad), or creates the file as gmetad does, --start t-1 (PROTOCOL.md
// §4.6). A failed creation is counted and tried again next step, so
// writing resumes by itself when the disk does.
func (w *worker) ready(f *fileState, t int64, step uint64, slope string, summary bool) bool {
	if f.ready {
		return true
	}
	info, err := rrdstore.ReadInfo(f.path)
	switch {
	case err == nil:
		f.last = info.LastUpdate
		for i := range min(len(info.DS), len(f.types)) {
			f.types[i] = typeOf(info.DS[i].Type)
		}
	case errors.Is(err, fs.ErrNotExist):
		spec := rrdstore.GmetadSpec(step, t-1, slope, summary, w.rras)
		if err := w.wr.Create(f.path, spec, rrdstore.CreateOptions{}); err != nil {
			w.p.stats.createErrs.Add(1)
			w.warn("create", "RRD file not created", "path", f.path, "err", err)
			return false
		}
		w.p.stats.created.Add(1)
		f.last = spec.Start
		for i, ds := range spec.DS {
			f.types[i] = typeOf(ds.Type)
		}
	default:
		// Unreadable here (truncated, foreign, locked by another writer):
		// the Writer reports what it makes of the updates.
		f.types = [2]dsType{typeOfSlope(slope), dsGauge}
	}
	f.ready = true
	return true
}

// sweep forgets what was not in a snapshot for forgetAfter seconds, and
// the tree's cached links of hosts that left a cluster.
func (w *worker) sweep(now int64) {
	if now < w.nextSweep {
		return
	}
	w.nextSweep = now + sweepEvery
	cutoff := now - forgetAfter
	for k, hs := range w.hosts {
		if hs.seen < cutoff {
			delete(w.hosts, k)
			w.tree.Forget(k.cluster, k.host)
		}
	}
	for path, d := range w.dirs {
		if d.seen < cutoff {
			delete(w.dirs, path)
			continue
		}
		for name, f := range d.files {
			if f.seen < cutoff {
				delete(d.files, name)
			}
		}
	}
	for name, d := range w.summaries {
		if d.seen < cutoff {
			delete(w.summaries, name)
		}
	}
}

func (w *worker) treeError(err error) {
	w.p.stats.treeErrs.Add(1)
	w.warn("tree", "RRD directory not usable", "err", err)
}

// warn logs through the throttle: one line per kind a minute.
func (w *worker) warn(key, msg string, args ...any) {
	w.p.log.Log(context.Background(), key, msg, args...)
}

// maxQuoted bounds how much of a value from the network reaches a log.
const maxQuoted = 64

func quote(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxQuoted]) + "...(" + strconv.Itoa(len(s)) + " bytes)"
}
