package grid

import (
	"math"
	"slices"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// Summaries as gmetad 3.7.2 keeps them (PROTOCOL.md §4.5): per source and
// metric name an entry that is zeroed, never removed, before each round
// (Q12: graphs show zeros rather than gaps), whose kind, units, slope and
// precision come from the first metric ever summed into it.

// maxSummaryExtras is gmetad's MAX_EXTRA_ELEMENTS.
const maxSummaryExtras = 32

// sumEntry is one METRICS element in the making.
type sumEntry struct {
	xmlout.SummaryMetric
}

// sumTable is a source's summary across rounds.
type sumTable struct {
	index    map[string]*sumEntry
	order    []*sumEntry // by name
	up, down int
}

// zero starts a round: every sum and count back to 0, entries kept.
func (t *sumTable) zero() {
	for _, e := range t.order {
		e.Sum, e.Num = 0, 0
	}
	t.up, t.down = 0, 0
}

// entry returns the entry for name, made by mk the first time.
func (t *sumTable) entry(name string, mk func() sumEntry) *sumEntry {
	if e := t.index[name]; e != nil {
		return e
	}
	if t.index == nil {
		t.index = make(map[string]*sumEntry)
	}
	e := new(sumEntry)
	*e = mk()
	e.Name = name
	t.index[name] = e
	i, _ := slices.BinarySearchFunc(t.order, name, func(e *sumEntry, name string) int { return strings.Compare(e.Name, name) })
	t.order = slices.Insert(t.order, i, e)
	return e
}

// add sums one value into e: NUM counts hosts (or a remote NUM).
func (e *sumEntry) add(v float64, num uint32) {
	e.Sum += v
	if e.Num > math.MaxUint32-num {
		e.Num = math.MaxUint32
	} else {
		e.Num += num
	}
}

// addExtra copies an extra element into e once per name and value
// (compared case-insensitively, as gmetad does), except SPOOF_HOST.
func (e *sumEntry) addExtra(x xmlout.Extra) {
	if strings.EqualFold(x.Name, "SPOOF_HOST") || len(e.Extra) >= maxSummaryExtras {
		return
	}
	for _, have := range e.Extra {
		if strings.EqualFold(have.Name, x.Name) && strings.EqualFold(have.Val, x.Val) {
			return
		}
	}
	e.Extra = append(e.Extra, x)
}

// summary copies the table out for a snapshot.
func (t *sumTable) summary() xmlout.Summary {
	s := xmlout.Summary{Up: t.up, Down: t.down, Metrics: make([]xmlout.SummaryMetric, 0, len(t.order))}
	for _, e := range t.order {
		m := e.SummaryMetric
		m.Extra = slices.Clip(m.Extra) // later appends must not show here
		s.Metrics = append(s.Metrics, m)
	}
	return s
}

// sumKind is gmetad's type class of a numeric TYPE; ok is false for
// string, timestamp and unknown types, which are never summed.
func sumKind(typ string) (xmlout.SumKind, bool) {
	switch typ {
	case "int8", "int16", "int32":
		return xmlout.Int, true
	case "uint8", "uint16", "uint32":
		return xmlout.UInt, true
	case "float", "double":
		return xmlout.Float, true
	}
	return 0, false
}

// Unsummarized reports whether the summaries of metric name get no RRD
// file (cluster, grid and root __SummaryInfo__): the names starting with
// an unsummarized_metrics prefix, and with unsummarized_sflow_vm_metrics
// those whose first '.' is followed by 'v' (sFlow's per-VM metrics). This
// is all those options do in stock gmetad 3.7.2 (write_root_summary,
// write_metric_summary): the METRICS elements are in the XML all the
// same, as a stock gmetad shows them. The persister asks before writing.
func (g *Grid) Unsummarized(name string) bool {
	return IsUnsummarized(name, g.opts.Unsummarized, g.opts.SkipSflowVM)
}

// IsUnsummarized is Unsummarized for the given options.
func IsUnsummarized(name string, prefixes []string, skipSflowVM bool) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	if skipSflowVM {
		if i := strings.IndexByte(name, '.'); i >= 0 && i+1 < len(name) && name[i+1] == 'v' {
			return true
		}
	}
	return false
}

// rootSummarized reports whether name is added to the root summary: all
// names, or with summarized_metrics only those.
func (g *Grid) rootSummarized(name string) bool {
	return len(g.opts.Summarized) == 0 || slices.Contains(g.opts.Summarized, name)
}
