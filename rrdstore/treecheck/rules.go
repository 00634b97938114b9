package treecheck

import (
	"os"
	"strings"
)

// Rule is the stable identifier of a kind of problem; monitoring systems
// match on it, so the values never change.
type Rule string

// The rules, with what Options.Fix does about each.
const (
	// RuleRealHostDir: <cluster>/<host> is a real directory, as stock
	// gmetad makes it. Fix: AdoptHostDir merges its files into
	// LPARS/<host> and puts the link ../LPARS/<host> in its place.
	RuleRealHostDir Rule = "real-host-dir"
	// RuleDuplicateHost: the same host is a real directory in several
	// managed systems (a stock tree after LPM). Fix: each is adopted in
	// turn, giving one merged history in LPARS/<host>.
	RuleDuplicateHost Rule = "duplicate-host"
	// RuleDanglingLink: a host link whose target does not exist. Fix: the
	// link is pointed at LPARS/<host> if that exists, else removed (a link
	// holds no data; gmetad makes it again when the host reports).
	RuleDanglingLink Rule = "dangling-link"
	// RuleForeignLink: a host link that names anything but
	// ../LPARS/<same name>, or a link where the tree needs a real
	// directory (LPARS, a managed system, a host directory under LPARS).
	// Fix: a host link is replaced by ../LPARS/<host> (the directory is
	// made if missing; the old target is left as it is); the others are
	// reported, because data sits behind them.
	RuleForeignLink Rule = "foreign-link"
	// RuleLinkEscapesRoot: a link whose target leaves the root. Fix as
	// RuleDanglingLink when nothing exists there; a target that exists is
	// never touched, and the fix is skipped.
	RuleLinkEscapesRoot Rule = "link-escapes-root"
	// RuleOrphanLPAR: LPARS/<host> with no entry of that name in any
	// managed system. Only reported: --fix does not delete data, nor guess
	// where the host belongs.
	RuleOrphanLPAR Rule = "orphan-lpar"
	// RuleSummaryIsLink: a __SummaryInfo__ that is a symlink. Fix: it
	// becomes a real directory holding copies (rrdstore.Merge under its
	// locks) of the RRDs the link led to, which are kept.
	RuleSummaryIsLink Rule = "summary-is-link"
	// RuleSummaryMissing: a managed system, or the root of a tree with
	// managed systems, has no __SummaryInfo__ directory. Fix: it is made;
	// a file in its place is only reported.
	RuleSummaryMissing Rule = "summary-missing"
	// RuleUnreadableRRD: an RRD file rrdstore cannot read (not an RRD,
	// truncated, written on another architecture, locked for long). Only
	// reported: what is left of it may still matter to someone.
	RuleUnreadableRRD Rule = "unreadable-rrd"
	// RuleLayoutMismatch: an RRD whose step, data sources or archives
	// differ from those of most files in its directory. Only reported:
	// converting it would resample its history.
	RuleLayoutMismatch Rule = "layout-mismatch"
	// RuleNotWritable: a directory or RRD file the gmetad user cannot
	// write (mode or owner). Fix: the owner's permission bits are added
	// and, when running as root, the owner becomes the gmetad user.
	RuleNotWritable Rule = "not-writable"
	// RuleStrayFile: anything that is not part of the layout: non-RRD
	// files, subdirectories of host directories, invalid names, temporary
	// files of an interrupted write, directories kept by an incomplete
	// merge. Fix: leftover temporary links (".tmp-link-*", which hold no
	// data) are removed; the rest is only reported.
	RuleStrayFile Rule = "stray-file"
	// RuleUnreadableDir: a directory the check cannot list, so it could
	// not look inside. Only reported.
	RuleUnreadableDir Rule = "unreadable-dir"
)

// Rules lists every rule, in the order of the constants above.
var Rules = []Rule{
	RuleRealHostDir, RuleDuplicateHost, RuleDanglingLink, RuleForeignLink,
	RuleLinkEscapesRoot, RuleOrphanLPAR, RuleSummaryIsLink, RuleSummaryMissing,
	RuleUnreadableRRD, RuleLayoutMismatch, RuleNotWritable, RuleStrayFile,
	RuleUnreadableDir,
}

// Actions, the start of Finding.Action.
const (
	ActionReported = "reported" // found and left as it is (no --fix, or a report-only rule)
	actionFixed    = "fixed: "
	actionSkipped  = "skipped: "
)

// Finding is one problem: where, which rule, what exactly, and what was
// done about it.
type Finding struct {
	Path    string // absolute
	Rule    Rule
	Message string
	// Action is "reported", "fixed: <what was done>" or "skipped: <why
	// the fix was not done now>".
	Action string

	phase fixPhase
	fix   func() (done string, err error) // nil: report-only
}

// Fixed reports whether the problem was repaired.
func (f *Finding) Fixed() bool { return strings.HasPrefix(f.Action, actionFixed) }

// Report is the result of Run.
type Report struct {
	Root     string    // the resolved root
	Findings []Finding // in walk order: root, LPARS, managed systems, then tree-wide rules
	RRDFiles int       // RRD files inspected
	Dirs     int       // directories listed
	Links    int       // symlinks seen
}

// Left counts the findings that were not fixed.
func (r *Report) Left() int {
	n := 0
	for i := range r.Findings {
		if !r.Findings[i].Fixed() {
			n++
		}
	}
	return n
}

// Options configures Run. Start from DefaultOptions: the zero value of
// CaseSensitiveHostnames is not the stock default.
type Options struct {
	// LPARDir is the directory under the root that holds one real
	// directory per host (the mapping's lpar_dir).
	LPARDir string
	// CaseSensitiveHostnames is gmetad.conf's case_sensitive_hostnames:
	// when false, host directory names are compared and made lower-case
	// (ASCII only), as rrdstore.Tree and stock gmetad name them.
	CaseSensitiveHostnames bool
	// MaxNameLen is the longest path component in bytes (255).
	MaxNameLen int
	// DirMode is the mode of the directories a fix creates.
	DirMode os.FileMode
	// User is the account gmetad writes as; nil means the owner of the
	// root directory.
	User *User
	// Fix repairs what can be repaired safely now.
	Fix bool
	// Workers read RRD headers in parallel (default 4 × GOMAXPROCS: the
	// work is mostly waiting for the disk).
	Workers int
	// Progress, if set, is called after each RRD file is inspected with
	// the count done and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// DefaultOptions returns the options matching rrdstore.DefaultTreeOptions.
func DefaultOptions() Options {
	return Options{LPARDir: "LPARS", CaseSensitiveHostnames: true, MaxNameLen: 255, DirMode: 0o755}
}
