package schedule

import (
	"context"
	"math"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// zeroTime as a group's next collection or send means "due now", as 0 does
// in stock gmond.
var zeroTime time.Time

// Tick does what stock process_collection_groups does at time now: it
// collects every group whose collection is due, then sends every group
// whose send is due, in configuration order. Requests, ResendMetadata and
// SetHost that arrived since the last Tick take effect first.
func (s *Scheduler) Tick(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.now) {
		// The clock went back: stock would wait until it caught up with
		// the old schedule. Make every group due instead.
		s.logger.Info("clock went backwards; collecting and sending now", "by", s.now.Sub(now))
		for _, g := range s.groups {
			if !g.cfg.Once {
				g.nextCollect = zeroTime
			}
			g.nextSend = zeroTime
		}
	}
	s.now = now
	s.gen++
	s.applyPending()
	for _, g := range s.groups {
		if !g.nextCollect.After(now) {
			s.refresh() // once per Tick that collects anything
			break
		}
	}
	for _, g := range s.groups {
		if !g.nextCollect.After(now) {
			s.collect(g, now)
		}
	}
	for _, g := range s.groups {
		if !g.nextSend.After(now) {
			s.sendGroup(g, now)
		}
	}
	earliest := now.Add(onceAhead)
	for _, g := range s.groups {
		earliest = minTime(earliest, minTime(g.nextCollect, g.nextSend))
	}
	s.pend.mu.Lock()
	s.pend.ticked, s.pend.last, s.pend.earliest = true, now, earliest
	s.pend.mu.Unlock()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// applyPending takes over what RequestMetadata, ResendMetadata and SetHost
// queued. Marking metadata unsent and the group due is what stock's
// Ganglia_metadata_request plus the next collection amount to.
func (s *Scheduler) applyPending() {
	p := &s.pend
	p.mu.Lock()
	s.names, p.names = p.names, s.names[:0]
	all, host, hostSet, recollect := p.all, p.host, p.hostSet, p.recollect
	p.all, p.hostSet, p.recollect = false, false, false
	p.mu.Unlock()

	if hostSet && !s.spoof {
		s.host = host
	}
	for _, g := range s.groups {
		for _, m := range g.metrics {
			if all || hostSet {
				m.mdBad = false // its size depends on the host
			}
			if all {
				m.mdOK = false
			}
		}
		if all {
			g.nextSend = zeroTime
		}
		if recollect {
			g.nextCollect = zeroTime
		}
		for _, name := range s.names {
			if m := g.byName[name]; m != nil {
				m.mdOK, m.mdBad = false, false
				g.nextSend = zeroTime
			}
		}
	}
}

// collect reads g's collectors (each once per Tick, shared with the other
// groups collected in the same Tick) and stores the values of g's metrics.
// A metric its collector left out is not sent until it has a value again.
func (s *Scheduler) collect(g *group, now time.Time) {
	for _, m := range g.metrics {
		m.fresh = false
	}
	for _, ci := range g.colls {
		rs := s.read(ci, now)
		for i := range rs {
			if m := g.byName[rs[i].Name]; m != nil && m.coll == ci {
				if m.crossed(rs[i].Value) {
					g.nextSend = zeroTime
				}
				m.val, m.hasVal, m.fresh = rs[i].Value, true, true
			}
		}
	}
	complete := true
	for _, m := range g.metrics {
		switch {
		case !m.fresh:
			complete = false
		case !m.mdOK && !m.mdBad:
			// Metadata never sent (start-up, a request, a first value):
			// stock sends the group at once.
			g.nextSend = zeroTime
		}
	}
	every := max(g.cfg.Every, minWait)
	if g.cfg.Once && complete {
		g.nextCollect = now.Add(onceAhead)
	} else {
		// A collect_once group still missing a value tries again.
		g.nextCollect = now.Add(every)
	}
}

// crossed reports whether v moved at least the value_threshold from the
// last value, compared as the wire types, the way stock compares its g_val_t
// members (float in single precision). Strings never trigger.
func (m *bound) crossed(v metric.Value) bool {
	if m.vt < 0 || !m.numeric || !m.hasVal {
		return false
	}
	id, a, _ := m.def.XDR(m.val)
	_, b, _ := m.def.XDR(v)
	var d float64
	switch id {
	case xdr.IDUShort, xdr.IDUInt:
		d = float64(a.U) - float64(b.U)
	case xdr.IDShort, xdr.IDInt:
		d = float64(a.I) - float64(b.I)
	case xdr.IDFloat:
		d = float64(a.F32 - b.F32)
	case xdr.IDDouble:
		d = a.F64 - b.F64
	}
	return math.Abs(d) >= m.vt
}

// read returns collector ci's readings for this Tick, calling Collect only
// the first time: two groups due together (a collect_once group and a
// periodic one at start-up) must not make a rate collector compute a rate
// over no time at all. An error is logged when its text changes.
func (s *Scheduler) read(ci int, now time.Time) []metric.Reading {
	cs := s.colls[ci]
	if cs.gen == s.gen {
		return cs.readings
	}
	cs.gen = s.gen
	rs, err := cs.c.Collect(now)
	s.collected.Add(1)
	cs.readings = rs
	if err != nil {
		s.errs.Add(1)
		if text := err.Error(); text != cs.lastErr {
			cs.lastErr = text
			s.logger.Warn("collector failed; its metrics are not sent until it recovers",
				"collector", cs.name, "err", err)
		}
	} else if cs.lastErr != "" {
		cs.lastErr = ""
		s.logger.Info("collector recovered", "collector", cs.name)
	}
	return rs
}

// sendGroup sends every metric of g that has a value, each preceded by its
// metadata when that is unsent or older than send_metadata_interval, and
// schedules the next send time_threshold later (Ganglia_collection_group_send).
func (s *Scheduler) sendGroup(g *group, now time.Time) {
	for _, m := range g.metrics {
		if !m.fresh {
			continue
		}
		mid := xdr.MetricID{Host: s.host, Name: m.name, Spoof: s.spoof}
		if !m.mdBad && (!m.mdOK || s.mdInterval > 0 && m.mdSent.Before(now.Add(-s.mdInterval))) {
			s.sendMetadata(m, mid, now)
		}
		s.sendValue(m, mid)
	}
	g.nextSend = now.Add(g.cfg.Threshold)
}

func (s *Scheduler) sendMetadata(m *bound, mid xdr.MetricID, now time.Time) {
	buf, err := xdr.AppendMetadata(s.buf[:0], mid, &m.md)
	if err != nil {
		// Stock encodes metadata into 1464 bytes and drops what does not
		// fit; the value still goes out.
		m.mdBad = true
		s.errs.Add(1)
		s.throttle.Log(context.Background(), "metadata "+m.name,
			"metadata does not fit a datagram; not sent", "metric", m.name, "err", err)
		return
	}
	s.emit(buf)
	s.metadata.Add(1)
	m.mdSent, m.mdOK = now, true
}

func (s *Scheduler) sendValue(m *bound, mid xdr.MetricID) {
	id, v, err := m.def.XDR(m.val)
	buf := s.buf[:0]
	if err == nil {
		buf, err = xdr.AppendValue(buf, id, mid, &v)
	}
	if err != nil {
		s.errs.Add(1)
		s.throttle.Log(context.Background(), "value "+m.name,
			"value cannot be encoded; not sent", "metric", m.name, "err", err)
		return
	}
	s.emit(buf)
}

func (s *Scheduler) emit(pkt []byte) {
	s.buf = pkt[:0]
	s.sent.Add(1)
	s.send(pkt)
}
