package schedule

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

// refresh re-reads every collector's Defs and binds again when one of them
// changed, so a metric a collector discovers later (a new network
// interface) joins the groups whose names or name_match patterns select it.
func (s *Scheduler) refresh() {
	changed := false
	for _, cs := range s.colls {
		defs := cs.c.Defs()
		if !slices.Equal(defs, cs.defs) {
			cs.defs = slices.Clone(defs)
			changed = true
		}
	}
	if changed {
		s.bind(false)
	}
}

// bind (re)builds every group's metric list from its entries and the
// metrics the collectors offer now. Metrics bound before keep their values
// and metadata state; a group that gained metrics is collected at once.
func (s *Scheduler) bind(initial bool) {
	s.offers = s.offers[:0]
	s.offIdx = make(map[string]int)
	for ci, cs := range s.colls {
		for di := range cs.defs {
			name := cs.defs[di].Name
			if _, dup := s.offIdx[name]; dup {
				continue // the first collector offering a name provides it
			}
			s.offIdx[name] = len(s.offers)
			s.offers = append(s.offers, offer{name: name, coll: ci, def: di})
		}
	}
	known := make(map[string]struct{})
	s.missing = s.missing[:0]
	for _, g := range s.groups {
		if s.bindGroup(g) && !initial {
			g.nextCollect = zeroTime
		}
		for name := range g.byName {
			known[name] = struct{}{}
		}
	}
	if len(s.missing) > 0 {
		// One line for all of them: on a machine without a source (no
		// lparcfg on x86) a whole group is missing, and its collector
		// has already said why.
		s.logger.Info("no collector offers these configured metrics; skipped", "metrics", s.missing)
	}
	s.pend.mu.Lock()
	s.pend.known = known
	s.pend.mu.Unlock()
}

// bindGroup binds g's entries and reports whether g gained a metric.
func (s *Scheduler) bindGroup(g *group) (added bool) {
	old := g.byName
	g.byName = make(map[string]*bound)
	g.metrics = nil
	for ei := range g.entries {
		e := &g.entries[ei]
		found := false
		if e.re == nil {
			if oi, ok := s.offIdx[e.cfg.Name]; ok {
				found = true
				added = s.add(g, old, e, s.offers[oi], e.cfg.Title) || added
			}
		} else {
			for _, o := range s.offers {
				loc := e.re.FindStringSubmatchIndex(o.name)
				if loc == nil {
					continue
				}
				found = true
				added = s.add(g, old, e, o, expandTitle(e.cfg.Title, o.name, loc)) || added
			}
		}
		s.logMissing(g, e, found)
	}
	g.colls = g.colls[:0]
	for _, m := range g.metrics {
		if !slices.Contains(g.colls, m.coll) {
			g.colls = append(g.colls, m.coll)
		}
	}
	return added
}

// logMissing logs once, at Info as stock's "Unable to find the metric
// information" is a notice, that an entry binds nothing; and once more if
// it binds something later.
func (s *Scheduler) logMissing(g *group, e *entry, found bool) {
	what, key := "name", e.cfg.Name
	if e.re != nil {
		what, key = "name_match", e.cfg.Match
	}
	switch {
	case !found && !e.missing:
		e.missing = true
		s.missing = append(s.missing, key)
		s.logger.Debug("no collector offers this metric; skipped", what, key, "collection_group", g.num)
	case found && e.missing:
		e.missing = false
		s.logger.Info("metric now offered; collecting it", what, key, "collection_group", g.num)
	}
}

// add binds offer o in g unless g already has that name; it reports
// whether a metric new to g was bound.
func (s *Scheduler) add(g *group, old map[string]*bound, e *entry, o offer, title string) bool {
	if _, dup := g.byName[o.name]; dup {
		return false
	}
	def := s.colls[o.coll].defs[o.def]
	if _, err := def.Type.MsgID(); err != nil {
		if !s.badDef[o.name] {
			s.badDef[o.name] = true
			s.logger.Warn("metric type cannot be sent; skipped", "metric", o.name,
				"collector", s.colls[o.coll].name, "err", err)
		}
		return false
	}
	m, reused := old[o.name]
	if !reused || m.coll != o.coll {
		m, reused = &bound{name: o.name, coll: o.coll}, false
	}
	if !reused || m.def != def || m.title != title {
		m.def, m.title = def, title
		m.md = def.Metadata(title)
		m.md.DMax = 0 // gmond sends its own metrics with dmax 0 (§1.12)
		m.numeric = def.Type.Numeric()
		m.mdOK, m.mdBad = false, false
	}
	m.vt = e.cfg.ValueThreshold
	g.byName[o.name] = m
	g.metrics = append(g.metrics, m)
	return !reused
}

// checkTitle rejects a name_match title that refers to a subpattern the
// expression does not have; stock gmond exits on the same mistake.
func checkTitle(title string, subexps int) error {
	for i := 0; i < len(title); i++ {
		if title[i] != '\\' {
			continue
		}
		i++
		if i == len(title) {
			return errors.New(`ends with a lone "\"`)
		}
		n := int(title[i] - '0')
		if n < 1 || n > 9 || n > subexps {
			return fmt.Errorf(`%q refers to subpattern \%c, the expression has %d`, title, title[i], subexps)
		}
	}
	return nil
}

// expandTitle replaces \1 to \9 in title by the submatches loc locates in
// name; checkTitle has vetted title.
func expandTitle(title, name string, loc []int) string {
	if !strings.Contains(title, `\`) {
		return title
	}
	var b strings.Builder
	for i := 0; i < len(title); i++ {
		if title[i] != '\\' || i+1 == len(title) {
			b.WriteByte(title[i])
			continue
		}
		i++
		n := int(title[i] - '0')
		if 2*n+1 < len(loc) && loc[2*n] >= 0 {
			b.WriteString(name[loc[2*n]:loc[2*n+1]])
		}
	}
	return b.String()
}

// ResetBaselines calls ResetBaselines on every collector that computes
// rates from counters (metric.Resetter), so that after an LPM move no rate
// spans two frames' counters. It waits for a running Tick to finish.
func (s *Scheduler) ResetBaselines() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cs := range s.colls {
		if r, ok := cs.c.(metric.Resetter); ok {
			r.ResetBaselines()
		}
	}
	s.logger.Debug("counter baselines reset")
}
