package poller

import (
	"encoding/xml"
	"math"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/internal/cnum"
)

// summer builds a source's Summary: gmetad's metric_summary_pending.
type summer struct {
	s     *Summary
	index map[string]int
	max   int
	rep   *Report
}

func newSummer(s *Summary, max int, rep *Report) *summer {
	return &summer{s: s, index: make(map[string]int), max: max, rep: rep}
}

func (u *summer) countHost(up bool) {
	if up {
		u.addHosts(1, 0)
	} else {
		u.addHosts(0, 1)
	}
}

func (u *summer) addHosts(up, down uint32) {
	u.s.Up = addSat(u.s.Up, up)
	u.s.Down = addSat(u.s.Down, down)
}

// entry returns the index of the entry for e.Name, creating it from e (its
// TYPE, UNITS, SLOPE and precision are the first ones seen, as in gmetad),
// or -1 past the limit.
func (u *summer) entry(e SummaryMetric) int {
	if i, ok := u.index[e.Name]; ok {
		return i
	}
	if len(u.s.Metrics) >= u.max {
		u.rep.Skipped[ReasonSummaryLimit]++
		return -1
	}
	e.Sum, e.Num = 0, 0
	u.s.Metrics = append(u.s.Metrics, e)
	u.index[e.Name] = len(u.s.Metrics) - 1
	return len(u.s.Metrics) - 1
}

// addMetric sums a numeric METRIC of an alive host; NUM counts the hosts.
func (u *summer) addMetric(m *Metric) int {
	i := u.entry(SummaryMetric{Name: m.Name, Type: m.Type, Units: m.Units, Slope: m.Slope,
		Precision: cnum.Precision(m.Val)})
	if i >= 0 {
		e := &u.s.Metrics[i]
		e.Sum += m.Value
		e.Num = addSat(e.Num, 1)
	}
	return i
}

// addSummary adds a METRICS element: its SUM and NUM.
func (u *summer) addSummary(m SummaryMetric) {
	if i := u.entry(m); i >= 0 {
		e := &u.s.Metrics[i]
		e.Sum += m.Sum
		e.Num = addSat(e.Num, m.Num)
	}
}

// addExtra copies an extra element into entry i once per name and value,
// compared case-insensitively as gmetad does.
func (u *summer) addExtra(i int, x Extra) {
	e := &u.s.Metrics[i]
	for _, have := range e.Extra {
		if strings.EqualFold(have.Name, x.Name) && strings.EqualFold(have.Val, x.Val) {
			return
		}
	}
	if len(e.Extra) < maxExtras {
		e.Extra = append(e.Extra, x)
	}
}

func addSat(a, b uint32) uint32 {
	if a > math.MaxUint32-b {
		return math.MaxUint32
	}
	return a + b
}

// hostsElement adds a HOSTS summary (from a downstream gmetad) to the
// source's counts.
func (p *parser) hostsElement(attrs []xml.Attr) Reason {
	if !p.inSource {
		return ReasonOutsideSource
	}
	var up, down uint32
	for _, a := range attrs {
		switch key(a) {
		case "UP":
			up = atou32(a.Value)
		case "DOWN":
			down = atou32(a.Value)
		}
	}
	p.sum.addHosts(up, down)
	return ""
}

// metricsElement adds a METRICS summary entry to the source's summary.
func (p *parser) metricsElement(attrs []xml.Attr) Reason {
	if !p.inSource {
		return ReasonOutsideSource
	}
	var e SummaryMetric
	var sum string
	for _, a := range attrs {
		switch key(a) {
		case "NAME":
			e.Name = a.Value
		case "SUM":
			sum = a.Value
		case "NUM":
			e.Num = atou32(a.Value)
		case "TYPE":
			e.Type = a.Value
		case "UNITS":
			e.Units = a.Value
		case "SLOPE":
			e.Slope = intern(a.Value)
		}
	}
	var class metricClass
	e.Type, class = typeClass(e.Type)
	switch {
	case e.Name == "":
		return ReasonMissingAttr
	case class != classNumeric:
		return ReasonUnknownType
	case len(e.Name) > p.opts.MaxNameLen:
		return ReasonNameTooLong
	}
	e.Sum, e.Precision = cnum.Strtod(sum), cnum.Precision(sum)
	p.sum.addSummary(e)
	return ""
}
