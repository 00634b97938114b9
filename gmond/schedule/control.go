package schedule

// RequestMetadata answers a gmetadata_request: if name is one of the
// metrics this scheduler sends, its metadata is marked unsent and its group
// sends at the next Tick, metadata first. Names it does not send (another
// host's metric, a gmetric metric) are ignored, as stock does. It never
// waits for a running Tick.
func (s *Scheduler) RequestMetadata(name string) {
	p := &s.pend
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.known[name]; !ok || p.all {
		return
	}
	for _, n := range p.names {
		if n == name {
			return
		}
	}
	if len(p.names) >= maxPending {
		// A flood of requests: resending everything answers them all.
		p.all, p.names = true, p.names[:0]
		return
	}
	p.names = append(p.names, name)
}

// ResendMetadata marks all metadata unsent so that every group sends at the
// next Tick, each metric's metadata before its value: after the send
// channel was re-targeted (LPM move) or the configuration reloaded. It
// never waits for a running Tick.
func (s *Scheduler) ResendMetadata() {
	s.pend.mu.Lock()
	s.pend.all, s.pend.names = true, s.pend.names[:0]
	s.pend.mu.Unlock()
}

// Recollect makes every group, collect_once groups included, collect at
// the next Tick. After an LPM move the values that describe the frame
// (location, serial_num, model_name, cpu_in_machine, ...) change, and stock
// configurations keep them in collect_once groups that would otherwise
// never be read again.
func (s *Scheduler) Recollect() {
	s.pend.mu.Lock()
	s.pend.recollect = true
	s.pend.mu.Unlock()
}

// SetHost changes the host name sent in messages from the next Tick on.
// Under override_hostname messages keep the spoof string. It does not
// resend metadata (receivers key hosts by address, not by this field); call
// ResendMetadata for that.
func (s *Scheduler) SetHost(host string) {
	s.pend.mu.Lock()
	s.pend.host, s.pend.hostSet = host, true
	s.pend.mu.Unlock()
}
