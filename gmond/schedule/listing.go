package schedule

import (
	"cmp"
	"fmt"
	"slices"
)

// Listed is one metric the collectors offer, for `gmond -m`.
type Listed struct {
	Name      string
	Group     string // GROUP extra element (cpu, memory, ibmpower...)
	Title     string // TITLE as sent, or the default configuration's title
	Desc      string
	Collector string // the collector that provides it
	Collected bool   // some collection group sends it
}

// String formats l as stock `gmond -m` prints a metric:
// "%-15s\t%s (module %s)" with the collector standing in for the module.
func (l Listed) String() string {
	return fmt.Sprintf("%-15s\t%s (module %s)", l.Name, l.Desc, l.Collector)
}

// Listing returns every metric the collectors offer, by name. Stock gmond
// prints them in APR hash order, which is neither stable nor reproducible;
// name order is the stable choice. The title is the one sent when a group
// binds the metric, else the default configuration's (Def.Title) or the name.
func (s *Scheduler) Listing() []Listed {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Listed, 0, len(s.offers))
	for _, o := range s.offers {
		cs := s.colls[o.coll]
		d := &cs.defs[o.def]
		l := Listed{Name: o.name, Group: d.Group, Desc: d.Desc, Collector: cs.name}
		l.Title = cmp.Or(d.Title, d.Name)
		for _, g := range s.groups {
			if m := g.byName[o.name]; m != nil {
				l.Title, l.Collected = m.md.Extra[0].Data, true
				break
			}
		}
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b Listed) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
