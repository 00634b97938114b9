package cluster

import (
	"math"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// What each kind of packet changes on its host: Ganglia_metadata_save,
// Ganglia_value_save with Ganglia_update_vidals and Ganglia_metadata_check,
// and the bookkeeping of a metadata request (gmond.c 3.7.2). The caller
// holds the state's lock.

func (s *State) applyMetadata(h *HostRecord, m *xdr.Message, t int64) Drop {
	mt, d := s.metricFor(h, m)
	if d != DropNone {
		return d
	}
	h.lastHeard = t
	if mt.meta == nil || !mt.meta.equal(&m.Metadata) {
		mt.meta = cloneMetadata(&m.Metadata)
	}
	mt.metaTime = t
	s.stats.metadata++
	return DropNone
}

func (s *State) applyValue(h *HostRecord, m *xdr.Message, t int64, res *Result) Drop {
	mt, d := s.metricFor(h, m)
	if d != DropNone {
		return d
	}
	h.lastHeard = t
	if mt.val == nil {
		mt.val = make([]byte, 0, 16)
	}
	// Rendering straight into the stored buffer: a new VAL costs no
	// allocation unless it outgrows the buffer.
	mt.val = xdr.AppendVAL(mt.val[:0], m.ID, &m.Value)
	mt.hasValue, mt.id, mt.valTime = true, m.ID, t
	mt.num, mt.numeric = m.Float()
	if mt.hidden {
		s.vitals(h, mt, m, t)
	}
	if mt.meta == nil {
		// Ganglia_metadata_check: the request names the host as the
		// receiver knows it, "IP:name" for a spoofed metric.
		res.NeedMetadata = true
		res.Request = xdr.MetricID{Host: h.name, Name: mt.key, Spoof: m.Spoof}
		if m.Spoof {
			res.Request.Host = h.key + ":" + h.name
		}
	}
	s.stats.values++
	return DropNone
}

// vitals sets LOCATION and GMOND_STARTED (Ganglia_update_vidals).
func (s *State) vitals(h *HostRecord, mt *metric, m *xdr.Message, t int64) {
	if strings.EqualFold(mt.name, "location") {
		// Stock strdup()s the string arm whatever the kind (a numeric
		// location crashes it); we take the VAL text, which for a string
		// is the string up to its first NUL, like strdup.
		if !h.hasLocation || h.location != string(mt.val) {
			h.location = string(mt.val)
		}
		h.hasLocation, h.locTime = true, t
		return
	}
	h.started, h.startedTime = heartbeatValue(m), t
}

// heartbeatValue reads a heartbeat as a number. Stock reads the uint arm of
// any kind, which for gmetric's string heartbeat is a pointer's low bits
// (Q5): we parse the string instead.
func heartbeatValue(m *xdr.Message) int64 {
	switch m.ID {
	case xdr.IDUShort, xdr.IDUInt:
		return int64(m.Value.U)
	case xdr.IDShort, xdr.IDInt:
		return int64(m.Value.I)
	case xdr.IDString:
		return parseLeadingInt(m.Value.Str)
	}
	f, _ := m.Float()
	if math.IsNaN(f) || f <= math.MinInt64 || f >= math.MaxInt64 {
		return 0
	}
	return int64(f)
}

// parseLeadingInt reads an optionally signed decimal integer after leading
// blanks, as strtol does, stopping at the first other byte; no digits give
// 0 and an overflow saturates.
func parseLeadingInt(s string) int64 {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	var n uint64
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > (math.MaxInt64-9)/10 {
			n = math.MaxInt64
			break
		}
		n = n*10 + uint64(s[i]-'0')
	}
	if neg {
		return -int64(n)
	}
	return int64(n)
}

func (s *State) applyRequest(h *HostRecord, m *xdr.Message, t int64, res *Result) {
	h.lastHeard = t
	res.Requested = true
	if !m.Spoof && strings.IndexByte(m.Name, ':') >= 0 {
		res.RequestedName = string(sanitizeName(nil, m.Name))
	} else {
		res.RequestedName = strings.Clone(m.Name)
	}
	s.stats.requests++
}

// equal reports whether md holds the same metadata as the stored one.
func (a *metadata) equal(md *xdr.Metadata) bool {
	if a.typ != md.Type || a.units != md.Units || a.slope != md.Slope ||
		a.tmax != md.TMax || a.dmax != md.DMax || len(a.extra) != len(md.Extra) {
		return false
	}
	for i, e := range md.Extra {
		if a.extra[i] != e {
			return false
		}
	}
	return true
}

// cloneMetadata copies md out of the packet buffer: all its strings in one
// allocation.
func cloneMetadata(md *xdr.Metadata) *metadata {
	n := len(md.Type) + len(md.Units)
	for _, e := range md.Extra {
		n += len(e.Name) + len(e.Data)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(md.Type)
	b.WriteString(md.Units)
	for _, e := range md.Extra {
		b.WriteString(e.Name)
		b.WriteString(e.Data)
	}
	arena := b.String()
	next := func(n int) string {
		s := arena[:n]
		arena = arena[n:]
		return s
	}
	c := &metadata{slope: md.Slope, tmax: md.TMax, dmax: md.DMax}
	c.typ, c.units = next(len(md.Type)), next(len(md.Units))
	if len(md.Extra) > 0 {
		c.extra = make([]xdr.Extra, len(md.Extra))
		for i, e := range md.Extra {
			c.extra[i] = xdr.Extra{Name: next(len(e.Name)), Data: next(len(e.Data))}
		}
	}
	return c
}
