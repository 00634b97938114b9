package treecheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// rrdDir is a directory of RRD files found by the scan.
type rrdDir struct {
	rel   string
	files []*rrdFile
}

// rrdFile is one RRD file and what inspecting it found.
type rrdFile struct {
	name   string
	fi     os.FileInfo
	layout *layout
	err    error
}

// layout is the part of an RRD's definition its siblings share: gmetad
// creates every file of a directory with the same step, data source names
// and archives. The DS type follows each metric's slope and may differ.
type layout struct {
	step uint64
	ds   string // names, comma-separated
	rra  string // CF:steps:rows, comma-separated
}

func layoutOf(inf *rrdstore.Info) *layout {
	l := &layout{step: inf.Step}
	var ds, rra []string
	for _, d := range inf.DS {
		ds = append(ds, d.Name)
	}
	for _, r := range inf.RRA {
		rra = append(rra, fmt.Sprintf("%s:%d:%d", r.CF, r.Steps, r.Rows))
	}
	l.ds, l.rra = strings.Join(ds, ","), strings.Join(rra, ",")
	return l
}

// diff says how l differs from the majority m.
func (l *layout) diff(m *layout) string {
	switch {
	case l.step != m.step:
		return fmt.Sprintf("step %d s, not %d s", l.step, m.step)
	case l.ds != m.ds:
		return fmt.Sprintf("data sources %s, not %s", l.ds, m.ds)
	}
	return fmt.Sprintf("archives %s, not %s", l.rra, m.rra)
}

// lockedRetries: a file locked when inspected is looked at again after
// these pauses; gmetad holds a lock for microseconds to milliseconds, so
// one still locked after them is reported.
var lockedRetries = []time.Duration{20 * time.Millisecond, 100 * time.Millisecond, 500 * time.Millisecond}

// inspect reads the header of every RRD file found, on Options.Workers
// goroutines, then adds the per-file findings in walk order. It returns
// the number of files inspected.
func (c *checker) inspect() (int, error) {
	var all []*rrdFile
	var rels []string
	for _, d := range c.rrdDirs {
		for _, f := range d.files {
			all = append(all, f)
			rels = append(rels, filepath.Join(d.rel, f.name))
		}
	}
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(c.opts.Workers, max(len(all), 1)) {
		wg.Go(func() {
			for i := range next {
				c.inspectFile(rels[i], all[i])
				if c.opts.Progress != nil {
					mu.Lock()
					done++
					c.opts.Progress(done, len(all))
					mu.Unlock()
				}
			}
		})
	}
	var err error
	for i := range all {
		if err = c.ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err != nil {
		return 0, err
	}
	for _, d := range c.rrdDirs {
		c.fileRules(d)
	}
	return len(all), nil
}

// inspectFile reads one file's mode and header.
func (c *checker) inspectFile(rel string, f *rrdFile) {
	f.fi, f.err = c.fs.Lstat(rel)
	if f.err != nil {
		return
	}
	var inf *rrdstore.Info
	for i := 0; ; i++ {
		inf, f.err = rrdstore.ReadInfo(filepath.Join(c.root, rel))
		if !errors.Is(f.err, rrdstore.ErrLocked) || i == len(lockedRetries) {
			break
		}
		time.Sleep(lockedRetries[i])
	}
	if f.err == nil {
		f.layout = layoutOf(inf)
	}
}

// fileRules adds the findings of one directory's files: unreadable ones,
// modes, and layouts that differ from the majority of their siblings.
func (c *checker) fileRules(d *rrdDir) {
	counts := map[layout]int{}
	readable := 0
	for _, f := range d.files {
		if f.layout != nil {
			counts[*f.layout]++
			readable++
		}
	}
	var major *layout
	for l, n := range counts {
		if 2*n > readable {
			major = &l
		}
	}
	for _, f := range d.files {
		rel := filepath.Join(d.rel, f.name)
		switch {
		case f.err != nil && f.fi == nil:
			c.report(rel, RuleUnreadableRRD, "cannot stat it: %v", f.err)
			continue
		case errors.Is(f.err, rrdstore.ErrLocked):
			c.report(rel, RuleUnreadableRRD, "write-locked by another process for over half a second (a stuck writer?); not inspected")
		case f.err != nil:
			c.report(rel, RuleUnreadableRRD, "%s", unwrapPath(f.err, filepath.Join(c.root, rel)))
		case major != nil && *f.layout != *major:
			c.report(rel, RuleLayoutMismatch, "%s like %d of its %d siblings; converting it would resample its history",
				f.layout.diff(major), counts[*major], len(d.files)-1)
		}
		c.checkWritable(rel, f.fi)
	}
}

// unwrapPath drops the file name from rrdstore's errors (librrd's
// messages quote it, or start with it); the finding names the path
// already.
func unwrapPath(err error, path string) string {
	msg := strings.TrimPrefix(err.Error(), path+": ")
	return strings.ReplaceAll(msg, "'"+path+"'", "the file")
}

// hostRules adds the tree-wide host findings: stock host directories
// (alone or duplicated across managed systems) and orphans under LPARDir.
func (c *checker) hostRules() {
	hosts := make([]string, 0, len(c.realDirs))
	for hc := range c.realDirs {
		hosts = append(hosts, hc)
	}
	slices.Sort(hosts)
	for _, hc := range hosts {
		dirs := c.realDirs[hc]
		for _, d := range dirs {
			c.realHostDir(hc, d, dirs)
		}
	}
	for _, h := range c.lpars {
		if !c.named[h] {
			c.report(filepath.Join(c.opts.LPARDir, h), RuleOrphanLPAR,
				"no managed system links to this host's directory; link it (ln -s %s <managed system>/%s) or remove it by hand", c.want(h), h)
		}
	}
}

// realHostDir reports one stock host directory; others are the real
// directories of the same host in other managed systems.
func (c *checker) realHostDir(hc string, d hostDir, all []hostDir) {
	rel := filepath.Join(d.cluster, d.name)
	fix := func() (string, error) {
		res, err := newAdopter(c.fs, c.opts, c.user).adopt(d.cluster, d.name)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("into %s (%s); the directory is now the link %s",
			filepath.Join(c.opts.LPARDir, hc), res.counts(), c.want(hc)), nil
	}
	if len(all) == 1 {
		c.add(rel, RuleRealHostDir, fmt.Sprintf("a real directory where the link %s belongs (stock gmetad's layout)", c.want(hc)), fixAdopt, fix)
		return
	}
	var others []string
	for _, o := range all {
		if o != d {
			others = append(others, filepath.Join(o.cluster, o.name))
		}
	}
	c.add(rel, RuleDuplicateHost, fmt.Sprintf("host %q also has a real directory in %s: its history is split; --fix merges them into %s",
		hc, strings.Join(others, ", "), filepath.Join(c.opts.LPARDir, hc)), fixAdopt, fix)
}
