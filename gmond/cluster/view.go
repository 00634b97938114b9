package cluster

import (
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// HostView is a copy of one host as the XML shows it, for summaries,
// persistence and moves. It shares nothing mutable with the state and may be
// kept.
type HostView struct {
	Key  string // table key, printed as IP
	Name string
	// Reported is when the host was last heard from (REPORTED; TN is the
	// time since).
	Reported time.Time
	// Location is the LOCATION attribute: "unspecified" until a location
	// value arrives.
	Location     string
	GmondStarted int64
	// Metrics are the metrics the XML lists (metadata and value both
	// stored; not heartbeat or location), in name order.
	Metrics []MetricView
}

// MetricView is one metric of a HostView.
type MetricView struct {
	Name  string // NAME
	VAL   string // VAL, unescaped
	Type  string
	Units string
	Slope xdr.Slope
	TMax  uint32
	DMax  uint32
	// Extra are the metadata's extra pairs in wire order (the XML prints
	// them reversed). The slice is shared: do not modify it.
	Extra []xdr.Extra
	// Value is the number a numeric value message carried (Numeric set);
	// a string message (all of gmetric's) leaves Numeric false, and
	// consumers that need a number parse VAL.
	Value   float64
	Numeric bool
	// Reported is the receive time of the last value (METRIC TN counts
	// from it); MetadataTime that of the last metadata.
	Reported, MetadataTime time.Time
}

// Range calls fn with a view of each host, in (name, key) order, until fn
// returns false. Each view is taken under the state's lock and fn runs
// without it, so fn may call the state (Take, Put, Apply).
func (s *State) Range(fn func(HostView) bool) {
	s.mu.Lock()
	hosts := append([]*HostRecord(nil), s.order...)
	s.mu.Unlock()
	for _, h := range hosts {
		s.mu.Lock()
		live := s.hosts[h.key] == h
		var v HostView
		if live {
			v = h.view()
		}
		s.mu.Unlock()
		if live && !fn(v) {
			return
		}
	}
}

// Hosts returns a view of every host, in (name, key) order.
func (s *State) Hosts() []HostView {
	var out []HostView
	s.Range(func(v HostView) bool {
		out = append(out, v)
		return true
	})
	return out
}

// Lookup returns the host named name. Names may repeat (two addresses that
// resolve alike, §2.5); then it is the one heard from last.
func (s *State) Lookup(name string) (HostView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best *HostRecord
	for i := s.firstNamed(name); i < len(s.order) && s.order[i].name == name; i++ {
		if best == nil || s.order[i].lastHeard > best.lastHeard {
			best = s.order[i]
		}
	}
	if best == nil {
		return HostView{}, false
	}
	return best.view(), true
}

// firstNamed is the index of the first host whose name is not below name.
func (s *State) firstNamed(name string) int {
	lo, hi := 0, len(s.order)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.order[mid].name < name {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// view copies h; the caller holds the lock h is guarded by. The VALs, the
// only bytes the state rewrites in place, are copied into one string.
func (h *HostRecord) view() HostView {
	v := HostView{
		Key: h.key, Name: h.name, Reported: time.Unix(0, h.lastHeard),
		Location: "unspecified", GmondStarted: h.started,
	}
	if h.hasLocation {
		v.Location = h.location
	}
	n, size := 0, 0
	for _, mt := range h.order {
		if mt.visible() {
			n, size = n+1, size+len(mt.val)
		}
	}
	if n == 0 {
		return v
	}
	var vals strings.Builder
	vals.Grow(size)
	for _, mt := range h.order {
		if mt.visible() {
			vals.Write(mt.val)
		}
	}
	all := vals.String()
	v.Metrics = make([]MetricView, 0, n)
	for _, mt := range h.order {
		if !mt.visible() {
			continue
		}
		md := mt.meta
		v.Metrics = append(v.Metrics, MetricView{
			Name: mt.name, VAL: all[:len(mt.val)], Type: md.typ, Units: md.units,
			Slope: md.slope, TMax: md.tmax, DMax: md.dmax, Extra: md.extra,
			Value: mt.num, Numeric: mt.numeric,
			Reported: time.Unix(0, mt.valTime), MetadataTime: time.Unix(0, mt.metaTime),
		})
		all = all[len(mt.val):]
	}
	return v
}
