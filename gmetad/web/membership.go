package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
)

// interval is a half-open span [From, To) of time; a zero From reaches
// back forever and a zero To runs on forever.
type interval struct {
	From, To time.Time
}

// contains reports whether t falls in the interval.
func (iv interval) contains(t time.Time) bool {
	return (iv.From.IsZero() || !t.Before(iv.From)) && (iv.To.IsZero() || t.Before(iv.To))
}

// overlaps reports whether the interval meets [start, end].
func (iv interval) overlaps(start, end time.Time) bool {
	return (iv.From.IsZero() || !iv.From.After(end)) && (iv.To.IsZero() || iv.To.After(start))
}

// memberIntervals returns when host was on system, from its moves (any
// order; other hosts' moves are ignored) and the system that lists it now
// (current, "" if none). A host that never moved belongs to its current
// system for all time. A host that moved was, before its first recorded
// move, on the system that move left (the history is bounded, so that is
// the best guess), then on each move's destination until the next move.
func memberIntervals(host, system string, moves []grid.Move, current string) []interval {
	var own []grid.Move
	for _, m := range moves {
		if m.Host == host {
			own = append(own, m)
		}
	}
	if len(own) == 0 {
		if current != "" && current == system {
			return []interval{{}}
		}
		return nil
	}
	slices.SortStableFunc(own, func(a, b grid.Move) int { return a.Time.Compare(b.Time) })
	var out []interval
	loc, from := own[0].From, time.Time{}
	for _, m := range own {
		if loc == system && (from.IsZero() || m.Time.After(from)) {
			out = append(out, interval{From: from, To: m.Time})
		}
		loc, from = m.To, m.Time
	}
	if loc == system {
		out = append(out, interval{From: from})
	}
	return out
}

// systemMembers returns every host that was on system at some time in
// [start, end], with the intervals it was there: the hosts it lists now
// (current maps host → system) and those that moved in or out.
func systemMembers(system string, current map[string]string, moves []grid.Move, start, end time.Time) map[string][]interval {
	candidates := map[string]bool{}
	for h, s := range current {
		if s == system {
			candidates[h] = true
		}
	}
	for _, m := range moves {
		if m.From == system || m.To == system {
			candidates[m.Host] = true
		}
	}
	out := map[string][]interval{}
	for h := range candidates {
		var keep []interval
		for _, iv := range memberIntervals(h, system, moves, current[h]) {
			if iv.overlaps(start, end) {
				keep = append(keep, iv)
			}
		}
		if len(keep) > 0 {
			out[h] = keep
		}
	}
	return out
}

// inAny reports whether t falls in one of ivs.
func inAny(ivs []interval, t time.Time) bool {
	for _, iv := range ivs {
		if iv.contains(t) {
			return true
		}
	}
	return false
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmp.Compare[string])
	return keys
}
