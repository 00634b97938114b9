package main

import (
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/movelog"
)

// rebuildMoves fills an empty move history (no state file, a damaged one,
// or one from before moves were kept) from the links of the RRD tree,
// by the rule of package movelog, before the receivers start. The grid
// keeps the newest move_history of them. With rrdcached the files' headers
// lag behind, so their update times are not read.
func (a *app) rebuildMoves() {
	if a.tree == nil || len(a.grid.Moves()) > 0 {
		return
	}
	began := time.Now()
	tree, err := movelog.Scan(a.tree.Root(), movelog.ScanOptions{LPARDir: lparDir(a.mapping), ReadRRDs: !a.rrdcached})
	if err != nil {
		a.log.Warn("move history not rebuilt: cannot read the RRD tree", "rrd_rootdir", a.tree.Root(), "err", err)
		return
	}
	if len(tree.Errors) > 0 {
		a.log.Warn("move history: parts of the RRD tree unreadable, left out", "errors", len(tree.Errors), "first", tree.Errors[0])
	}
	h := movelog.Rebuild(tree, movelog.Options{})
	for _, s := range h.Skipped {
		a.log.Debug("move history: link left out", "host", s.Host, "cluster", s.System, "made", s.Made, "why", s.Reason)
	}
	if len(h.Moves) == 0 {
		a.log.Debug("move history: no move in the RRD tree's links", "links", len(tree.Links))
		return
	}
	name := a.hostNamer()
	moves := make([]grid.Move, len(h.Moves))
	for i, m := range h.Moves {
		moves[i] = grid.Move{Time: m.Time, Host: name(m.Host), From: m.From, To: m.To}
	}
	a.grid.SetMoveHistory(moves)
	a.log.Info("move history rebuilt from the RRD tree's links", "moves", len(moves), "kept", len(a.grid.Moves()),
		"hosts", h.Hosts, "links_left_out", len(h.Skipped), "took", time.Since(began).Round(time.Millisecond))
}

// hostNamer maps a host directory's name back to the host's name: the
// same, unless case_sensitive_hostnames is off and the grid (from the
// state file) knows the host under capitals.
func (a *app) hostNamer() func(dir string) string {
	if a.cfg.CaseSensitiveHostnames {
		return func(dir string) string { return dir }
	}
	known := map[string]string{}
	for _, src := range a.grid.Snapshot(a.env.now()).Sources {
		for _, h := range src.Hosts {
			known[lowerASCII(h.Name)] = h.Name
		}
	}
	return func(dir string) string {
		if n, ok := known[dir]; ok {
			return n
		}
		return dir
	}
}

// lowerASCII lower-cases ASCII letters only, as the RRD tree does for
// host directories (stock gmetad's tolower() in the C locale).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
