package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// writePlan prints what migrate will do, before it does any of it.
func (p *migrationPlan) writePlan(w io.Writer) {
	fmt.Fprintf(w, "Migration plan for %s (host histories go to %s):\n\n", p.root, filepath.Join(p.root, p.opts.LPARDir))
	for _, s := range p.systems {
		fmt.Fprintf(w, "Managed system %s: %s to adopt, %s already in place\n", s.name,
			quantity(len(s.dirs), "host directory", "host directories"), quantity(s.links, "link", "links"))
		for _, d := range s.dirs {
			fmt.Fprintf(w, "  %s: %s\n", d.name, quantity(len(d.files), "RRD file", "RRD files"))
		}
	}
	if len(p.systems) == 0 {
		fmt.Fprintln(w, "No managed system directories.")
	}
	p.writeSeveral(w)
	section(w, "Links an interrupted run did not make, to be made now:", p.relinks, func(e hostEntry) string {
		return fmt.Sprintf("%s -> ../%s/%s", e.rel(), p.opts.LPARDir, p.canonical(e.name))
	})
	section(w, "Temporary files of interrupted merges, to be removed (they hold nothing the RRD files lack):",
		p.cleanup, func(s string) string { return s })
	section(w, "Left alone:", p.leftAlone(), func(s string) string { return s })
	if !p.work() {
		fmt.Fprintf(w, "\nIn total: %s, nothing to change.\n", quantity(len(p.systems), "managed system", "managed systems"))
		return
	}
	fmt.Fprintf(w, "\nIn total: %s, %s in %s with %s (%d to move, %d to merge), %s to make.\n",
		quantity(len(p.systems), "managed system", "managed systems"), quantity(p.adoptedHosts(), "host", "hosts"),
		quantity(len(p.adoptions()), "host directory", "host directories"), quantity(p.files(), "RRD file", "RRD files"),
		p.files()-p.merges(), p.merges(), quantity(len(p.relinks), "link", "links"))
}

// section prints a titled list, or nothing when it is empty.
func section[T any](w io.Writer, title string, items []T, line func(T) string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  %s\n", line(it))
	}
}

// writeSeveral lists the hosts whose histories are merged, with the place
// each was written last: every managed system keeps a link, so which one
// the host is "in" does not matter to the tree, but the operator may want
// to know where it was last seen.
func (p *migrationPlan) writeSeveral(w io.Writer) {
	var names []string
	for name, h := range p.hosts {
		if h.several() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	section(w, "Hosts in several places, merged into one history each (every managed system keeps a link):",
		names, func(name string) string {
			h := p.hosts[name]
			type place struct {
				where string
				last  int64
			}
			var places []place
			for _, d := range h.dirs {
				places = append(places, place{d.system, d.last})
			}
			if len(h.lpar) > 0 {
				places = append(places, place{p.opts.LPARDir, h.last})
			}
			var parts []string
			newest := places[0]
			for _, pl := range places {
				parts = append(parts, pl.where+" "+lastText(pl.last))
				if pl.last > newest.last {
					newest = pl
				}
			}
			return fmt.Sprintf("%s: %s; newest in %s", name, strings.Join(parts, ", "), newest.where)
		})
}

// lastText formats a last update for the plan, in UTC so that a plan read
// elsewhere means the same.
func lastText(t int64) string {
	if t == 0 {
		return "(last update unknown)"
	}
	return "(last update " + time.Unix(t, 0).UTC().Format("2006-01-02 15:04:05 UTC") + ")"
}

// leftAlone lists what migrate does not touch, and why.
func (p *migrationPlan) leftAlone() []string {
	var out []string
	if p.summaries > 0 {
		out = append(out, quantity(p.summaries, summaryDirName+" directory", summaryDirName+" directories")+
			": summaries stay real directories, as gmetad keeps them")
	}
	for _, o := range p.orphans {
		out = append(out, o+": no managed system names this host and no earlier run recorded one "+
			"(check reports it as orphan-lpar; link it by hand)")
	}
	for _, d := range p.adoptions() {
		for _, f := range d.others {
			out = append(out, fmt.Sprintf("%s: not an RRD file, so %s stays a real directory; move it away and run migrate again",
				filepath.Join(d.rel(), f), d.rel()))
		}
	}
	return append(out, p.untouched...)
}

// adoptedHosts counts the hosts with a directory to adopt.
func (p *migrationPlan) adoptedHosts() int {
	n := 0
	for _, h := range p.hosts {
		if len(h.dirs) > 0 {
			n++
		}
	}
	return n
}

// merges counts the files that join an existing history.
func (p *migrationPlan) merges() int {
	n := 0
	for _, h := range p.hosts {
		n += h.merges()
	}
	return n
}

// quantity writes n and the noun in the right number (decode.go's plural
// only adds an s).
func quantity(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
