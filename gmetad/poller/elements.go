package poller

import (
	"encoding/xml"
)

// startElement applies gmetad's start handler for t (process_xml.c). A
// non-empty reason skips t with its children and is counted.
func (p *parser) startElement(t xml.StartElement) (frameKind, Reason) {
	if t.Name.Space != "" {
		return frameOther, ""
	}
	switch t.Name.Local {
	case "GANGLIA_XML":
		p.startRoot(t.Attr)
	case "GRID":
		return p.startGrid(t.Attr)
	case "CLUSTER":
		return p.startCluster(t.Attr)
	case "HOST":
		return p.startHost(t.Attr)
	case "METRIC":
		return p.startMetric(t.Attr)
	case "EXTRA_ELEMENT":
		return frameOther, p.extraElement(t.Attr)
	case "HOSTS":
		return frameOther, p.hostsElement(t.Attr)
	case "METRICS":
		return frameOther, p.metricsElement(t.Attr)
	}
	return frameOther, ""
}

// startRoot reads the first GANGLIA_XML: a VERSION below 2.5 marks an old
// stream, whose hosts are judged by the 60-second rule.
func (p *parser) startRoot(attrs []xml.Attr) {
	if p.rootSeen {
		return
	}
	p.rootSeen = true
	for _, a := range attrs {
		switch key(a) {
		case "VERSION":
			p.rep.Version = a.Value
			p.rep.Old = oldVersion(a.Value)
		case "SOURCE":
			p.rep.Source = a.Value
		}
	}
}

// key is an attribute's name; prefixed names match nothing, as in expat
// without namespace processing.
func key(a xml.Attr) string {
	if a.Name.Space != "" {
		return ""
	}
	return a.Name.Local
}

// sourceName checks the NAME of a would-be depth-0 source.
func (p *parser) sourceName(attrs []xml.Attr) (string, Reason) {
	if p.rep.Kind != "" {
		return "", ReasonExtraSource
	}
	name := ""
	for _, a := range attrs {
		if key(a) == "NAME" {
			name = a.Value
		}
	}
	switch {
	case name == "":
		return "", ReasonMissingAttr
	case len(name) > p.opts.MaxNameLen:
		return "", ReasonNameTooLong
	}
	return name, ""
}

// startGrid: a GRID at depth 0 makes the source a grid; nested GRIDs only
// deepen the grid depth, below which nothing is kept in detail.
func (p *parser) startGrid(attrs []xml.Attr) (frameKind, Reason) {
	if p.gridDepth == 0 {
		name, reason := p.sourceName(attrs)
		if reason != "" {
			return frameOther, reason
		}
		g := &Grid{Name: name}
		for _, a := range attrs {
			switch key(a) {
			case "AUTHORITY":
				g.Authority = a.Value
			case "LOCALTIME":
				g.LocalTime = atoi(a.Value)
			}
		}
		p.rep.Kind, p.rep.Grid = KindGrid, g
		p.openSource(&g.Summary, g.LocalTime)
	}
	p.gridDepth++
	return frameGrid, ""
}

// startCluster: a CLUSTER at depth 0 makes the source a cluster, named by
// the CLUSTER NAME and not by the data_source (Q8). Clusters inside a grid
// only contribute their hosts to the grid's counts.
func (p *parser) startCluster(attrs []xml.Attr) (frameKind, Reason) {
	if p.gridDepth > 0 {
		return frameOther, ""
	}
	name, reason := p.sourceName(attrs)
	if reason != "" {
		return frameOther, reason
	}
	c := &Cluster{Name: name}
	for _, a := range attrs {
		switch key(a) {
		case "LOCALTIME":
			c.LocalTime = atoi(a.Value)
		case "OWNER":
			c.Owner = a.Value
		case "LATLONG":
			c.LatLong = a.Value
		case "URL":
			c.URL = a.Value
		}
	}
	p.rep.Kind, p.rep.Cluster = KindCluster, c
	p.openSource(&c.Summary, c.LocalTime)
	return frameSource, ""
}

func (p *parser) openSource(s *Summary, localTime int64) {
	p.inSource, p.localTime = true, localTime
	p.sum = newSummer(s, p.opts.MaxSummaryMetrics, p.rep)
}
