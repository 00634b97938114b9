package cluster

// Moving hosts between States: with LPM a host starts sending to another
// managed system's port, so gmetad takes its record out of the old cluster
// and puts it into the new one, metadata included (DESIGN.md decision 5:
// gmetad keeps metadata across a move), instead of waiting for the sender to
// resend it.

// Take removes the host with key from the state and returns its record,
// metrics and metadata included; false if there is none.
func (s *State) Take(key string) (*HostRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hosts[key]
	if h == nil {
		return nil, false
	}
	s.removeHost(h)
	return h, true
}

// Put inserts a record from Take; the next packet for its key continues it.
// If the state already holds a host with that key (typically created by
// the first packet after the move), the two are merged into h: h keeps its
// name (a host is named once), and for the last-heard time, the location,
// the heartbeat and each metric's metadata and value the newer one wins.
// Put never drops: a move does not add hosts to the system, so MaxHosts and
// MaxMetricsPerHost are not applied. h must not be used after Put.
func (s *State) Put(h *HostRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.hosts[h.key]; old != nil {
		s.removeHost(old)
		h.merge(old)
	}
	s.insertHost(h)
}

// merge folds o, the same host's record kept elsewhere, into h.
func (h *HostRecord) merge(o *HostRecord) {
	h.lastHeard = max(h.lastHeard, o.lastHeard)
	if o.hasLocation && (!h.hasLocation || o.locTime > h.locTime) {
		h.location, h.hasLocation, h.locTime = o.location, true, o.locTime
	}
	if o.startedTime > h.startedTime {
		h.started, h.startedTime = o.started, o.startedTime
	}
	for _, om := range o.order {
		hm := h.metrics[om.key]
		if hm == nil {
			h.addMetric(om)
			continue
		}
		if om.meta != nil && (hm.meta == nil || om.metaTime > hm.metaTime) {
			hm.meta, hm.metaTime = om.meta, om.metaTime
		}
		if om.hasValue && (!hm.hasValue || om.valTime > hm.valTime) {
			hm.hasValue, hm.id, hm.val, hm.valTime = true, om.id, om.val, om.valTime
			hm.num, hm.numeric = om.num, om.numeric
		}
	}
}
