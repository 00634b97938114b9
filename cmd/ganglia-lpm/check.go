package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
)

const checkUsage = `usage: ganglia-lpm check --root DIR [--lpar-dir LPARS] [--fix] [--json] [--user NAME]

The nightly sanity check of gmetad's RRD tree in the LPARS layout:
DIR/LPARS/<host>/<metric>.rrd, DIR/<managed system>/<host> -> ../LPARS/<host>,
and real DIR/__SummaryInfo__ and DIR/<managed system>/__SummaryInfo__
directories. Every problem is printed with its path, rule and the action taken.
With --fix, what can be repaired without losing a sample is repaired; it is
safe while gmetad runs (rrdtool's locks, atomic renames), and a repair that
cannot be done safely now (a file being written, a target outside the root)
is skipped and reported. Nothing is deleted but links that lead nowhere and
temporary links.

Rules (the stable ids of --json), and what --fix does:
  real-host-dir      DIR/<system>/<host> is a real directory (stock gmetad):
                     its RRDs move, or merge sample by sample, into LPARS/<host>;
                     the emptied directory becomes the link
  duplicate-host     the same host is a real directory in several systems:
                     each is merged into LPARS/<host> and linked
  dangling-link      a host link to nothing: pointed at LPARS/<host> if that
                     exists, else removed
  foreign-link       a host link to anything but ../LPARS/<same name>:
                     rewritten; a link where a real directory belongs
                     (LPARS, a system, LPARS/<host>) is only reported
  link-escapes-root  a link leaving DIR: fixed like a dangling link if its
                     target does not exist, else only reported
  orphan-lpar        LPARS/<host> with no link from any system: reported
  summary-is-link    __SummaryInfo__ is a link: becomes a real directory
                     with copies of the RRDs it led to
  summary-missing    no __SummaryInfo__ directory: made
  unreadable-rrd     not an RRD, truncated, other architecture: reported
  layout-mismatch    step, data sources or archives differ from most files
                     in the same directory: reported
  not-writable       the gmetad user (owner of DIR, or --user) cannot write
                     it: owner bits added; as root, the owner becomes it
  stray-file         anything else (non-RRD files, temporary files, kept
                     directories): reported; temporary links are removed
  unreadable-dir     a directory the check cannot list: reported

Output: one line per finding, "PATH: RULE: MESSAGE [ACTION]", where ACTION
is "reported", "fixed: WHAT" or "skipped: WHY", then a summary line. With
--json, JSON Lines instead: one object per finding
  {"type":"finding","path":...,"rule":...,"message":...,"action":...}
then one summary object
  {"type":"summary","root":...,"fix":bool,"rrd_files":N,"directories":N,
   "links":N,"findings":N,"fixed":N,"left":N,"exit":N}
A progress bar is drawn on standard error only when it is a terminal.

Exit status: 0 the tree is clean (or everything found was fixed), 1 problems
found, or left after --fix, 2 the check could not run (bad flags, no such
directory).

Flags:
`

// checkDeps is what check takes from the outside world beyond env; tests
// replace isTerminal to see the progress bar.
type checkDeps struct {
	isTerminal func(io.Writer) bool
}

// runCheck is the check command: see checkUsage.
func runCheck(ctx context.Context, e *env, args []string) int {
	return checkWith(ctx, e, args, checkDeps{isTerminal: isTerminal})
}

func checkWith(ctx context.Context, e *env, args []string, deps checkDeps) int {
	opts, asJSON, code, ok := parseCheckArgs(e.stderr, args)
	if !ok {
		return code
	}
	var bar *progressBar
	if deps.isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, e.now, "checking RRD files")
		opts.Progress = bar.update
	}
	rep, err := treecheck.Run(ctx, opts.root, opts.Options)
	bar.finish()
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm check: %v\n", err)
		return exitUsage
	}
	code = exitOK
	if rep.Left() > 0 {
		code = exitFailed
	}
	w := bufio.NewWriter(e.stdout)
	if asJSON {
		writeCheckJSON(w, rep, opts.Fix, code)
	} else {
		writeCheckText(w, rep)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm check: writing output: %v\n", err)
		return exitUsage
	}
	return code
}

type checkOptions struct {
	treecheck.Options
	root string
}

// parseCheckArgs reads the command line; ok is false when check must stop
// with code.
func parseCheckArgs(stderr io.Writer, args []string) (opts checkOptions, asJSON bool, code int, ok bool) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, checkUsage); fs.PrintDefaults() }
	tf := addTreeFlags(fs, &opts)
	fs.BoolVar(&opts.Fix, "fix", false, "repair what can be repaired safely now")
	fs.BoolVar(&asJSON, "json", false, "print JSON Lines: one object per finding, then a summary")
	code, ok = tf.parse(args, func(msg string) int { return checkUsageError(stderr, msg) })
	return opts, asJSON, code, ok
}

func checkUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ganglia-lpm check: %s\nRun \"ganglia-lpm help check\" for usage.\n", msg)
	return exitUsage
}

// writeCheckText prints the findings and a summary line for people (and
// cron mail).
func writeCheckText(w io.Writer, rep *treecheck.Report) {
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%s: %s: %s [%s]\n", f.Path, f.Rule, f.Message, f.Action)
	}
	fmt.Fprintf(w, "checked %s: %d RRD files, %d directories, %d links: ", rep.Root, rep.RRDFiles, rep.Dirs, rep.Links)
	switch fixed := len(rep.Findings) - rep.Left(); {
	case len(rep.Findings) == 0:
		fmt.Fprintln(w, "no problems")
	case fixed > 0:
		fmt.Fprintf(w, "%d problems, %d fixed, %d left\n", len(rep.Findings), fixed, rep.Left())
	default:
		fmt.Fprintf(w, "%d problems\n", len(rep.Findings))
	}
}

// checkFinding and checkSummary are the --json objects; the field order
// is the documented one.
type checkFinding struct {
	Type    string `json:"type"`
	Path    string `json:"path"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Action  string `json:"action"`
}

type checkSummary struct {
	Type     string `json:"type"`
	Root     string `json:"root"`
	Fix      bool   `json:"fix"`
	RRDFiles int    `json:"rrd_files"`
	Dirs     int    `json:"directories"`
	Links    int    `json:"links"`
	Findings int    `json:"findings"`
	Fixed    int    `json:"fixed"`
	Left     int    `json:"left"`
	Exit     int    `json:"exit"`
}

func writeCheckJSON(w io.Writer, rep *treecheck.Report, fix bool, code int) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, f := range rep.Findings {
		_ = enc.Encode(checkFinding{"finding", f.Path, string(f.Rule), f.Message, f.Action})
	}
	_ = enc.Encode(checkSummary{
		Type: "summary", Root: rep.Root, Fix: fix, RRDFiles: rep.RRDFiles, Dirs: rep.Dirs, Links: rep.Links,
		Findings: len(rep.Findings), Fixed: len(rep.Findings) - rep.Left(), Left: rep.Left(), Exit: code,
	})
}
