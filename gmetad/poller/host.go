package poller

import (
	"encoding/xml"
	"math"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/internal/cnum"
)

// startHost applies the alive rule and counts the host into UP or DOWN; in
// authority mode it also keeps the host.
func (p *parser) startHost(attrs []xml.Attr) (frameKind, Reason) {
	if !p.inSource {
		return frameOther, ReasonOutsideSource
	}
	h := readHost(attrs)
	if h.Name == "" {
		return frameOther, ReasonMissingAttr
	}
	h.Up = alive(p.rep.Old, h, p.localTime)
	p.sum.countHost(h.Up)
	p.inHost, p.hostAlive, p.hostIdx = true, h.Up, -1
	if p.gridDepth > 0 {
		return frameHost, ""
	}
	c := p.rep.Cluster
	switch {
	case len(h.Name) > p.opts.MaxNameLen:
		p.inHost = false
		return frameOther, ReasonNameTooLong
	case len(c.Hosts) >= p.opts.MaxHosts:
		p.inHost = false
		return frameOther, ReasonHostLimit
	}
	c.Hosts = append(c.Hosts, h)
	p.hostIdx = len(c.Hosts) - 1
	return frameHost, ""
}

// readHost reads a HOST's attributes; numbers as C's atoi/strtoul would.
func readHost(attrs []xml.Attr) Host {
	var h Host
	for _, a := range attrs {
		switch key(a) {
		case "NAME":
			h.Name = a.Value
		case "IP":
			h.IP = a.Value
		case "REPORTED":
			h.Reported = atoi(a.Value)
		case "TN":
			h.TN = atoi(a.Value)
		case "TMAX":
			h.TMax = atoi(a.Value)
		case "DMAX":
			h.DMax = atoi(a.Value)
		case "LOCATION":
			h.Location = a.Value
		case "TAGS":
			h.Tags = a.Value
		case "GMOND_STARTED":
			h.GmondStarted = atoi(a.Value)
		}
	}
	return h
}

// alive is gmetad's host alive rule (§4.4).
func alive(old bool, h Host, localTime int64) bool {
	if old || h.TMax == 0 {
		d := localTime - h.Reported
		return d > -60 && d < 60
	}
	return h.TMax > math.MaxInt64/4 || h.TN < 4*h.TMax
}

// startMetric keeps a metric of an alive host (authority mode) and adds a
// numeric one to the summary.
func (p *parser) startMetric(attrs []xml.Attr) (frameKind, Reason) {
	if !p.inHost {
		return frameOther, ReasonOutsideSource
	}
	if !p.hostAlive {
		return frameOther, ReasonHostDown
	}
	m, reason := p.readMetric(attrs)
	if reason != "" {
		return frameOther, reason
	}
	if p.hostIdx >= 0 {
		h := &p.rep.Cluster.Hosts[p.hostIdx]
		if len(h.Metrics) >= p.opts.MaxMetricsPerHost {
			return frameOther, ReasonMetricLimit
		}
		h.Metrics = append(h.Metrics, m)
		p.metricIdx = len(h.Metrics) - 1
	}
	p.metricSum = -1
	if m.Numeric {
		p.metricSum = p.sum.addMetric(&m)
	}
	return frameMetric, ""
}

// readMetric reads a METRIC's attributes and applies gmetad's filters:
// required NAME, VAL and TYPE, a known TYPE, and DMAX. Stock gmetad checks
// DMAX only in authority mode, so inside a grid source it would still sum
// an expired metric; a downstream gmetad never prints one (§5.2), and here
// the rule is the same at every depth.
func (p *parser) readMetric(attrs []xml.Attr) (Metric, Reason) {
	m := Metric{Source: "gmond"} // the DTD default (Q14)
	var hasName, hasVal, hasType bool
	for _, a := range attrs {
		switch key(a) {
		case "NAME":
			m.Name, hasName = a.Value, true
		case "VAL":
			m.Val, hasVal = a.Value, true
		case "TYPE":
			m.Type, hasType = a.Value, true
		case "UNITS":
			m.Units = a.Value
		case "TN":
			m.TN = atoi(a.Value)
		case "TMAX":
			m.TMax = atoi(a.Value)
		case "DMAX":
			m.DMax = atoi(a.Value)
		case "SLOPE":
			m.Slope = intern(a.Value)
		case "SOURCE":
			m.Source = intern(a.Value)
		}
	}
	if !hasName || m.Name == "" || !hasVal || !hasType {
		return m, ReasonMissingAttr
	}
	var class metricClass
	m.Type, class = typeClass(m.Type)
	switch {
	case class == classUnknown:
		return m, ReasonUnknownType
	case m.DMax > 0 && m.TN > m.DMax:
		return m, ReasonExpired
	case len(m.Name) > p.opts.MaxNameLen:
		return m, ReasonNameTooLong
	}
	if class == classNumeric {
		m.Numeric, m.Value = true, cnum.Strtod(m.Val)
	}
	return m, ""
}

// extraElement appends an EXTRA_ELEMENT to the kept metric (at most 32) and
// copies it into the summary entry, except SPOOF_HOST.
func (p *parser) extraElement(attrs []xml.Attr) Reason {
	if p.hostIdx < 0 || p.metricIdx < 0 {
		return ""
	}
	var e Extra
	var hasName, hasVal bool
	for _, a := range attrs {
		switch key(a) {
		case "NAME":
			e.Name, hasName = a.Value, true
		case "VAL":
			e.Val, hasVal = a.Value, true
		}
	}
	m := &p.rep.Cluster.Hosts[p.hostIdx].Metrics[p.metricIdx]
	switch {
	case !hasName || !hasVal:
		return ReasonMissingAttr
	case len(e.Name) > p.opts.MaxNameLen:
		return ReasonNameTooLong
	case len(m.Extra) >= maxExtras:
		return ReasonExtraLimit
	}
	if m.Extra == nil {
		m.Extra = make([]Extra, 0, 4) // gmond sends GROUP, DESC, TITLE (+ SPOOF_HOST)
	}
	m.Extra = append(m.Extra, e)
	if p.metricSum >= 0 && !strings.EqualFold(e.Name, "SPOOF_HOST") {
		p.sum.addExtra(p.metricSum, e)
	}
	return ""
}
