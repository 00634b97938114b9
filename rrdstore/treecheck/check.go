package treecheck

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// summaryDir is where stock gmetad keeps summary RRDs, under the root and
// under each managed system (rrdstore's tree uses the same name).
const summaryDir = "__SummaryInfo__"

// errChanged: what a fix was about to repair is no longer what the scan
// saw (gmetad or an operator got there first); the next run looks again.
var errChanged = errors.New("changed since the scan; run the check again")

// checker holds one run's state. The scan fills it in walk order; fixes
// run afterwards, each re-checking what it acts on.
type checker struct {
	ctx   context.Context
	opts  Options
	root  string // resolved root
	given string // absolute root as configured
	fs    *os.Root
	user  *User

	findings []*Finding
	rrdDirs  []*rrdDir
	realDirs map[string][]hostDir // host (as the tree names it) -> real directories in managed systems
	named    map[string]bool      // hosts with an entry in some managed system
	lpars    []string             // real directories under LPARDir
	clusters int

	dirs, links int
}

// hostDir is a real directory <cluster>/<name>.
type hostDir struct{ cluster, name string }

// Run checks the tree under root and, with opts.Fix, repairs it. The error
// is for a check that could not run at all (no such root, root unreadable,
// ctx ended before the scan was done); every problem inside the tree is a
// Finding. When ctx ends during the fixes, the ones not yet done are
// "skipped: interrupted" and the report is still returned.
func Run(ctx context.Context, root string, opts Options) (*Report, error) {
	c, err := newChecker(ctx, root, opts)
	if err != nil {
		return nil, err
	}
	defer c.fs.Close()
	if err := c.scan(); err != nil {
		return nil, err
	}
	files, err := c.inspect()
	if err != nil {
		return nil, err
	}
	c.hostRules()
	slices.SortStableFunc(c.findings, func(a, b *Finding) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Rule, b.Rule))
	})
	if c.opts.Fix {
		c.fixAll()
	}
	rep := &Report{Root: c.root, RRDFiles: files, Dirs: c.dirs, Links: c.links}
	for _, f := range c.findings {
		if f.Action == "" {
			f.Action = ActionReported
		}
		rep.Findings = append(rep.Findings, *f)
	}
	return rep, nil
}

func newChecker(ctx context.Context, root string, opts Options) (*checker, error) {
	opts = opts.withDefaults()
	if err := rrdstore.ValidateName(rrdstore.NameKindCluster, opts.LPARDir, opts.MaxNameLen); err != nil {
		return nil, fmt.Errorf("LPAR directory: %w", err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", resolved)
	}
	r, err := os.OpenRoot(resolved)
	if err != nil {
		return nil, err
	}
	u := opts.User
	if u == nil {
		u = rootOwner(fi)
	}
	return &checker{
		ctx: ctx, opts: opts, root: resolved, given: abs, fs: r, user: u,
		realDirs: map[string][]hostDir{}, named: map[string]bool{},
	}, nil
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.LPARDir == "" {
		o.LPARDir = d.LPARDir
	}
	if o.MaxNameLen <= 0 {
		o.MaxNameLen = d.MaxNameLen
	}
	if o.DirMode == 0 {
		o.DirMode = d.DirMode
	}
	if o.Workers <= 0 {
		o.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	return o
}

// add records a finding at rel (relative to the root). fix is nil for a
// problem that is only reported; phase orders the fixes (fixPerms first:
// the others may need to write where the mode forbids).
func (c *checker) add(rel string, rule Rule, msg string, phase fixPhase, fix func() (string, error)) {
	c.findings = append(c.findings, &Finding{
		Path: filepath.Join(c.root, rel), Rule: rule, Message: msg, phase: phase, fix: fix,
	})
}

func (c *checker) report(rel string, rule Rule, format string, args ...any) {
	c.add(rel, rule, fmt.Sprintf(format, args...), fixNone, nil)
}

// fixPhase orders the repairs: modes first so the moves can write, host
// directories before links, because adopting a host makes the directory a
// foreign link is pointed at.
type fixPhase int

const (
	fixNone fixPhase = iota
	fixPerms
	fixAdopt
	fixSummary
	fixLinks
	fixStray
)

// fixAll runs every fix in phase order and records its outcome.
func (c *checker) fixAll() {
	order := slices.Clone(c.findings)
	slices.SortStableFunc(order, func(a, b *Finding) int { return cmp.Compare(a.phase, b.phase) })
	for _, f := range order {
		switch {
		case f.fix == nil:
			f.Action = ActionReported
		case c.ctx.Err() != nil:
			f.Action = actionSkipped + "interrupted"
		default:
			done, err := f.fix()
			if err != nil {
				f.Action = actionSkipped + err.Error()
			} else {
				f.Action = actionFixed + done
			}
		}
	}
}

// name is how the tree names a host directory: lower-cased (ASCII only,
// as stock gmetad's tolower loop in the C locale) unless host names are
// case-sensitive.
func (c *checker) hostName(name string) string {
	return canonicalHost(name, c.opts.CaseSensitiveHostnames)
}

func canonicalHost(name string, caseSensitive bool) string {
	if caseSensitive {
		return name
	}
	b := []byte(name)
	for i, ch := range b {
		if 'A' <= ch && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// readDir lists rel (relative to the root) in name order.
func readDir(r *os.Root, rel string) ([]fs.DirEntry, error) {
	f, err := r.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return cmp.Compare(a.Name(), b.Name()) })
	return entries, err
}
