package cluster

import (
	"slices"
	"time"
)

// Expire deletes what stock gmond's cleanup_data deletes (PROTOCOL.md
// §2.7): hosts silent for more than host_dmax seconds (when host_dmax > 0),
// with all their metrics, and metrics whose metadata dmax > 0 has passed.
// A metric's age counts from the later of its metadata and its value (Q6;
// stock uses the metadata time only, which removes a metric that still
// receives values when its metadata is not resent). It returns the hosts
// and the metrics of surviving hosts it removed.
//
// Stock runs the sweep at most every cleanup_threshold seconds and prints
// expired entries until then; the caller decides how often to call Expire.
func (s *State) Expire(now time.Time) (removedHosts, removedMetrics int) {
	t := now.UnixNano()
	hostDMax := int64(s.opts.HostDMax) * 1e9
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order = slices.DeleteFunc(s.order, func(h *HostRecord) bool {
		if hostDMax > 0 && t-h.lastHeard > hostDMax {
			delete(s.hosts, h.key)
			s.metrics -= len(h.metrics)
			removedHosts++
			return true
		}
		n := h.expireMetrics(t)
		s.metrics -= n
		removedMetrics += n
		return false
	})
	return removedHosts, removedMetrics
}

// expireMetrics deletes h's metrics past their dmax and returns how many.
func (h *HostRecord) expireMetrics(t int64) int {
	n := len(h.order)
	h.order = slices.DeleteFunc(h.order, func(mt *metric) bool {
		if mt.meta == nil || mt.meta.dmax == 0 {
			return false // stock only expires metrics that have metadata
		}
		if t-max(mt.metaTime, mt.valTime) > int64(mt.meta.dmax)*1e9 {
			delete(h.metrics, mt.key)
			return true
		}
		return false
	})
	return n - len(h.order)
}
