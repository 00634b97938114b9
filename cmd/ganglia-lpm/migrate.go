package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
)

const migrateUsage = `usage: ganglia-lpm migrate --root DIR [--dry-run] [--lpar-dir LPARS] [--user NAME]

Converts a stock gmetad RRD tree, DIR/<managed system>/<host>/<metric>.rrd,
in place into the LPARS layout: DIR/LPARS/<host>/<metric>.rrd, with
DIR/<managed system>/<host> -> ../LPARS/<host> in every managed system the
host has been in. A host stock gmetad wrote in several managed systems (an
LPAR moved by LPM) gets one history: its files are merged sample by sample
(a known value beats an unknown one; where both are known, the file updated
last wins). __SummaryInfo__ directories stay real directories, untouched.

migrate first prints its plan: per managed system the host directories it
adopts, the hosts found in several places (and where each was updated
last), and what it leaves alone. --dry-run stops there and changes nothing.

Then, host by host, each file gets its new name before it loses the old one
(link, then unlink), a file LPARS/<host> already has is merged into and only
then removed, the emptied directory is removed and the link put in its
place. No backup copy is needed: every sample is reachable at every moment,
so an interrupted run (^C, a crash, a kill) loses nothing, and running
migrate again finishes the job. Until then DIR/.ganglia-lpm-migrate records
the host directories under way, for links an interruption left unmade.

It is safe while gmetad runs: a file gmetad is writing is left where it is
and named; run migrate again (stopping gmetad first avoids this). A
progress bar is drawn on standard error when it is a terminal. At the end
the tree is checked as "ganglia-lpm check" does.

Exit status: 0 done, and the tree passes ganglia-lpm check; 1 something is
left (files locked or not RRDs, an interruption, problems check reports);
2 migrate could not run (bad flags, no such directory, the record of the
run could not be written).

Flags:
`

// migrateDeps is what migrate takes from the outside world beyond env;
// tests replace adopt to interrupt a run between hosts, and isTerminal to
// see the progress bar.
type migrateDeps struct {
	isTerminal func(io.Writer) bool
	adopt      func(root, system, host string, opts treecheck.Options) (treecheck.AdoptResult, error)
}

// runMigrate is the migrate command: see migrateUsage.
func runMigrate(ctx context.Context, e *env, args []string) int {
	return migrateWith(ctx, e, args, migrateDeps{isTerminal: isTerminal, adopt: treecheck.AdoptHostDir})
}

func migrateWith(ctx context.Context, e *env, args []string, deps migrateDeps) int {
	opts, dryRun, code, ok := parseMigrateArgs(e.stderr, args)
	if !ok {
		return code
	}
	root, err := resolveRoot(opts.root)
	var p *migrationPlan
	if err == nil {
		p, err = planMigration(root, opts.Options)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm migrate: %v\n", err)
		return exitUsage
	}
	p.writePlan(e.stdout)
	if dryRun {
		fmt.Fprintln(e.stdout, "\n--dry-run: nothing was changed.")
		return exitOK
	}
	out, err := p.apply(ctx, e, deps)
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm migrate: %v\n", err)
		return exitUsage
	}
	return p.finish(ctx, e, deps, out)
}

// parseMigrateArgs reads the command line; ok is false when migrate must
// stop with code.
func parseMigrateArgs(stderr io.Writer, args []string) (opts checkOptions, dryRun bool, code int, ok bool) {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, migrateUsage); fs.PrintDefaults() }
	tf := addTreeFlags(fs, &opts)
	fs.BoolVar(&dryRun, "dry-run", false, "print the plan and stop; change nothing")
	code, ok = tf.parse(args, func(msg string) int { return migrateUsageError(stderr, msg) })
	return opts, dryRun, code, ok
}

func migrateUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ganglia-lpm migrate: %s\nRun \"ganglia-lpm help migrate\" for usage.\n", msg)
	return exitUsage
}

// resolveRoot makes root absolute and free of links, as AdoptHostDir and
// the check see it, and makes sure it is a directory.
func resolveRoot(root string) (string, error) {
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s: not a directory", abs)
	}
	return abs, nil
}

// migrateOutcome is what a run did and what it left.
type migrateOutcome struct {
	adopted, moved, merged, linked, cleaned int
	left                                    []string // one line per thing left for the next run
	notDone                                 int      // host directories and links not tried (interrupted)
}

// record adds one AdoptHostDir call's result.
func (o *migrateOutcome) record(rel string, res treecheck.AdoptResult, err error) {
	o.moved += res.Moved
	o.merged += res.Merged
	switch {
	case err == nil:
	case errors.Is(err, treecheck.ErrIncomplete) && len(res.Kept) > 0:
		for _, k := range res.Kept {
			o.left = append(o.left, filepath.Join(rel, k.Name)+": "+k.Reason)
		}
	default:
		o.left = append(o.left, fmt.Sprintf("%s: %v", rel, err))
	}
}

// apply carries the plan out: the record first, then leftovers of killed
// merges, every host directory, every missing link. It stops between two
// hosts when ctx ends. The error is for a record that cannot be written,
// in which case nothing was changed.
func (p *migrationPlan) apply(ctx context.Context, e *env, deps migrateDeps) (migrateOutcome, error) {
	var out migrateOutcome
	if !p.work() {
		return out, nil
	}
	if err := p.writeJournal(); err != nil {
		return out, err
	}
	for _, rel := range p.cleanup {
		if err := os.Remove(filepath.Join(p.root, rel)); err == nil || errors.Is(err, os.ErrNotExist) {
			out.cleaned++
		} else {
			out.left = append(out.left, fmt.Sprintf("%s: %v", rel, err))
		}
	}
	var bar *progressBar
	if total := p.files(); total > 0 && deps.isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, e.now, "migrating RRD files")
	}
	dirs, done := p.adoptions(), 0
	for i, d := range dirs {
		if ctx.Err() != nil {
			out.notDone = len(dirs) - i + len(p.relinks)
			bar.finish()
			return out, nil
		}
		res, err := deps.adopt(p.root, d.system, d.name, p.opts)
		out.record(d.rel(), res, err)
		if err == nil {
			out.adopted++
		}
		done += len(d.files)
		bar.update(done, p.files())
	}
	bar.finish()
	for i, l := range p.relinks {
		if ctx.Err() != nil {
			out.notDone = len(p.relinks) - i
			return out, nil
		}
		if !p.lparHas(p.canonical(l.name)) {
			continue // gone since the plan: a link to it would lead nowhere
		}
		res, err := deps.adopt(p.root, l.system, l.name, p.opts)
		out.record(l.rel(), res, err)
		if err == nil && res.Linked {
			out.linked++
		}
	}
	return out, nil
}

// finish reports the run and, when nothing is left, drops the record and
// checks the result as ganglia-lpm check would.
func (p *migrationPlan) finish(ctx context.Context, e *env, deps migrateDeps, out migrateOutcome) int {
	w := e.stdout
	if !p.work() {
		fmt.Fprintln(w, "\nNothing to migrate.")
	} else {
		fmt.Fprintf(w, "\nMigrated: %s adopted (%s moved, %d merged)", quantity(out.adopted, "host directory", "host directories"),
			quantity(out.moved, "RRD file", "RRD files"), out.merged)
		if out.linked > 0 {
			fmt.Fprintf(w, ", %s made", quantity(out.linked, "missing link", "missing links"))
		}
		if out.cleaned > 0 {
			fmt.Fprintf(w, ", %s of interrupted merges removed", quantity(out.cleaned, "temporary file", "temporary files"))
		}
		fmt.Fprintln(w, ".")
	}
	if len(out.left) > 0 || out.notDone > 0 {
		section(w, "Left for the next run:", out.left, func(s string) string { return s })
		if out.notDone > 0 {
			fmt.Fprintf(w, "\nInterrupted with %d host directories and links still to do.\n", out.notDone)
		}
		fmt.Fprintf(w, "\nRun ganglia-lpm migrate again to finish; it resumes where this run stopped.\n"+
			"A file left because it was locked (gmetad writing it) needs nothing more; stopping gmetad first avoids locks.\n"+
			"Move anything that is not an RRD file away first; merge files of another layout by hand.\n"+
			"Until the migration is complete, %s records it.\n", filepath.Join(p.root, journalName))
		return exitFailed
	}
	if err := p.removeJournal(); err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm migrate: %v\n", err)
		return exitFailed
	}
	return p.verify(ctx, e, deps)
}

// verify runs the check on the migrated tree.
func (p *migrationPlan) verify(ctx context.Context, e *env, deps migrateDeps) int {
	opts := p.opts
	var bar *progressBar
	if deps.isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, e.now, "checking RRD files")
		opts.Progress = bar.update
	}
	rep, err := treecheck.Run(ctx, p.root, opts)
	bar.finish()
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm migrate: checking the result: %v\n", err)
		return exitFailed
	}
	if len(rep.Findings) == 0 {
		fmt.Fprintf(e.stdout, "The tree passes ganglia-lpm check: %d RRD files, %d links, no problems.\n", rep.RRDFiles, rep.Links)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "\nganglia-lpm check finds %s that migrate does not repair:\n",
		quantity(len(rep.Findings), "problem", "problems"))
	for _, f := range rep.Findings {
		fmt.Fprintf(e.stdout, "  %s: %s: %s\n", f.Path, f.Rule, f.Message)
	}
	fmt.Fprintln(e.stdout, "Run ganglia-lpm check --fix for those it can repair.")
	return exitFailed
}
