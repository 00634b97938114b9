package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
)

// summaryDirName is where stock gmetad keeps summary RRDs, under the root
// and in every managed system; migrate leaves them as they are.
const summaryDirName = "__SummaryInfo__"

// migrationPlan is what migrate will do, from one read-only walk of the
// tree. Paths in it are relative to the root.
type migrationPlan struct {
	root    string // resolved
	opts    treecheck.Options
	systems []*planSystem        // by name
	hosts   map[string]*planHost // by the host's directory name under LPARDir
	relinks []hostEntry          // links the record of an interrupted run names, to be made
	cleanup []string             // temporary files of merges a kill interrupted, to be removed

	summaries int      // __SummaryInfo__ entries, left alone
	orphans   []string // LPARDir/<host> that nothing names
	untouched []string // "path: why" for everything else left alone
	journal   bool     // the record of an earlier run exists
}

// planSystem is one managed system's directory.
type planSystem struct {
	name  string
	dirs  []*planDir // real host directories, as stock gmetad makes them
	links int        // host links already in place
}

// planDir is a real host directory <system>/<name> to adopt.
type planDir struct {
	system, name string
	files        []string // RRD files
	others       []string // anything else: AdoptHostDir leaves it, so the directory stays real
	last         int64    // newest last update of its files, read only for hosts in several places
}

func (d *planDir) rel() string { return filepath.Join(d.system, d.name) }

// planHost gathers the places of one host (as LPARDir names it).
type planHost struct {
	name  string
	dirs  []*planDir
	lpar  []string // RRD files LPARDir/<name> already holds
	inDir bool     // LPARDir/<name> exists
	last  int64    // newest last update in LPARDir/<name>
}

// several reports whether the host's files meet another history of the
// same host: it is in several managed systems, or in one and LPARDir.
func (h *planHost) several() bool {
	return len(h.dirs) > 1 || len(h.dirs) == 1 && len(h.lpar) > 0
}

// merges counts the files that join an existing history rather than move.
func (h *planHost) merges() int {
	seen := map[string]bool{}
	for _, f := range h.lpar {
		seen[f] = true
	}
	n := 0
	for _, d := range h.dirs {
		for _, f := range d.files {
			if seen[f] {
				n++
			}
			seen[f] = true
		}
	}
	return n
}

// hostEntry is an entry <system>/<name> of a managed system.
type hostEntry struct{ system, name string }

func (e hostEntry) rel() string { return filepath.Join(e.system, e.name) }

// planMigration walks the tree under root (already resolved) without
// changing anything. The error is for a tree migrate cannot work on.
func planMigration(root string, opts treecheck.Options) (*migrationPlan, error) {
	p := &migrationPlan{root: root, opts: opts, hosts: map[string]*planHost{}}
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	named := map[string]bool{} // hosts some managed system has an entry for
	for _, e := range entries {
		switch name := e.Name(); {
		case name == opts.LPARDir:
			if err := p.scanLPARDir(e); err != nil {
				return nil, err
			}
		case name == summaryDirName:
			p.summaries++
		case name == journalName:
			p.journal = true
		case name == journalName+".tmp":
			// a record whose writing a kill interrupted: replaced or removed later
		case strings.HasPrefix(name, ".") || !e.IsDir() ||
			rrdstore.ValidateName(rrdstore.NameKindCluster, name, opts.MaxNameLen) != nil:
			p.leave(name, "not a managed system")
		default:
			p.scanSystem(name, named)
		}
	}
	if err := p.readJournal(named); err != nil {
		return nil, err
	}
	for name, h := range p.hosts {
		if h.inDir && !named[name] {
			p.orphans = append(p.orphans, filepath.Join(opts.LPARDir, name))
		}
	}
	slices.Sort(p.orphans)
	p.readLastUpdates()
	return p, nil
}

func (p *migrationPlan) leave(rel, why string) {
	p.untouched = append(p.untouched, rel+": "+why)
}

// host returns the entry of the host the tree names hc.
func (p *migrationPlan) host(hc string) *planHost {
	h := p.hosts[hc]
	if h == nil {
		h = &planHost{name: hc}
		p.hosts[hc] = h
	}
	return h
}

// scanLPARDir notes the hosts LPARDir already holds and their files; it
// must be a real directory for AdoptHostDir to move files into it.
func (p *migrationPlan) scanLPARDir(e fs.DirEntry) error {
	if !e.IsDir() {
		return fmt.Errorf("%s is not a real directory; move it away or choose another --lpar-dir",
			filepath.Join(p.root, e.Name()))
	}
	entries, err := os.ReadDir(filepath.Join(p.root, e.Name()))
	if err != nil {
		return err
	}
	for _, h := range entries {
		if !h.IsDir() || rrdstore.ValidateName(rrdstore.NameKindHost, h.Name(), p.opts.MaxNameLen) != nil {
			continue // not a host directory: check reports it, migrate has no business with it
		}
		ph := p.host(h.Name())
		ph.inDir = true
		ph.lpar, _, _ = p.listHostDir(filepath.Join(e.Name(), h.Name()))
	}
	return nil
}

// scanSystem lists a managed system: real host directories to adopt, links
// already in place, its summary.
func (p *migrationPlan) scanSystem(system string, named map[string]bool) {
	s := &planSystem{name: system}
	p.systems = append(p.systems, s)
	entries, err := os.ReadDir(filepath.Join(p.root, system))
	if err != nil {
		p.leave(system, fmt.Sprintf("cannot list it: %v", err))
		return
	}
	for _, e := range entries {
		name, rel := e.Name(), filepath.Join(system, e.Name())
		switch {
		case name == summaryDirName:
			p.summaries++
		case strings.HasPrefix(name, ".") || rrdstore.ValidateName(rrdstore.NameKindHost, name, p.opts.MaxNameLen) != nil:
			p.leave(rel, "not a host")
		case e.Type()&fs.ModeSymlink != 0:
			s.links++
			named[p.canonical(name)] = true
		case e.IsDir():
			d := &planDir{system: system, name: name}
			var err error
			if d.files, d.others, err = p.listHostDir(rel); err != nil {
				p.leave(rel, fmt.Sprintf("cannot list it: %v", err))
				continue
			}
			s.dirs = append(s.dirs, d)
			h := p.host(p.canonical(name))
			h.dirs = append(h.dirs, d)
			named[h.name] = true
		default:
			p.leave(rel, "not a host directory")
		}
	}
}

// listHostDir splits a host directory into the RRD files AdoptHostDir
// moves and the rest, which it leaves; leftovers of a merge a kill
// interrupted go to the clean-up list.
func (p *migrationPlan) listHostDir(rel string) (rrds, others []string, err error) {
	entries, err := os.ReadDir(filepath.Join(p.root, rel))
	for _, f := range entries {
		name := f.Name()
		metric, isRRD := strings.CutSuffix(name, ".rrd")
		switch {
		case f.Type().IsRegular() && isRRD && rrdstore.ValidateName(rrdstore.NameKindMetric, metric, p.opts.MaxNameLen) == nil:
			rrds = append(rrds, name)
		case f.Type().IsRegular() && isMergeTemp(name):
			p.cleanup = append(p.cleanup, filepath.Join(rel, name))
		default:
			others = append(others, name)
		}
	}
	return rrds, others, err
}

func (p *migrationPlan) canonical(name string) string {
	if p.opts.CaseSensitiveHostnames {
		return name
	}
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, name)
}

// readLastUpdates reads, for the hosts whose histories will be merged,
// when each place was last written, so the plan can say where each host
// was last.
func (p *migrationPlan) readLastUpdates() {
	for _, h := range p.hosts {
		if !h.several() {
			continue
		}
		for _, d := range h.dirs {
			d.last = p.newest(d.rel(), d.files)
		}
		h.last = p.newest(filepath.Join(p.opts.LPARDir, h.name), h.lpar)
	}
}

// newest is the latest last update among files in dir; a file that cannot
// be read (being written now) does not count.
func (p *migrationPlan) newest(dir string, files []string) int64 {
	var last int64
	for _, f := range files {
		if t, _, _, err := rrdstore.LastUpdate(filepath.Join(p.root, dir, f)); err == nil {
			last = max(last, t)
		}
	}
	return last
}

// adoptions lists the host directories to adopt, system by system.
func (p *migrationPlan) adoptions() []*planDir {
	var all []*planDir
	for _, s := range p.systems {
		all = append(all, s.dirs...)
	}
	return all
}

// files counts the RRD files of the host directories to adopt.
func (p *migrationPlan) files() int {
	n := 0
	for _, d := range p.adoptions() {
		n += len(d.files)
	}
	return n
}

// work reports whether there is anything to change.
func (p *migrationPlan) work() bool {
	return len(p.adoptions()) > 0 || len(p.relinks) > 0 || len(p.cleanup) > 0
}

// lparHas reports whether LPARDir/<hc> is a real directory now.
func (p *migrationPlan) lparHas(hc string) bool {
	fi, err := os.Lstat(filepath.Join(p.root, p.opts.LPARDir, hc))
	return err == nil && fi.IsDir()
}

// entryMissing reports whether <system>/<name> does not exist (a link
// never made), while the system itself does.
func (p *migrationPlan) entryMissing(e hostEntry) bool {
	if fi, err := os.Lstat(filepath.Join(p.root, e.system)); err != nil || !fi.IsDir() {
		return false
	}
	_, err := os.Lstat(filepath.Join(p.root, e.rel()))
	return errors.Is(err, fs.ErrNotExist)
}
