package cluster

import (
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Export and Import carry a State across a restart of gmetad (its state
// file): stock gmond forgets everything when it restarts, so its hosts
// vanish from the XML until they send again and their metrics until their
// metadata is resent; after Import the XML is back at once, and values keep
// their receive times so TN keeps counting from the last packet.

// HostDump is one host as Export writes it and Import reads it back: every
// field the state keeps, so that WriteXML after Import equals WriteXML
// before Export. It marshals to JSON (see export_json.go) keeping the bytes
// of names that are not UTF-8.
type HostDump struct {
	Key  string // table key, printed as IP
	Name string
	// LastHeard is the time of the last accepted packet (REPORTED).
	LastHeard time.Time
	// Location is the LOCATION value; HasLocation is false until a
	// location value arrived (LOCATION prints "unspecified").
	Location     string
	HasLocation  bool
	LocationTime time.Time
	// GmondStarted is the last heartbeat value, StartedTime its arrival.
	GmondStarted int64
	StartedTime  time.Time
	// Metrics are every stored name: also heartbeat and location, values
	// still waiting for metadata and metadata still waiting for a value.
	Metrics []MetricDump
}

// MetricDump is one stored metric name of a HostDump.
type MetricDump struct {
	// Name is the stored name: after the ':'→'_' of non-spoofed names
	// (Q2), with a spoofed "X:Y" name whole.
	Name  string
	Meta  *MetadataDump // nil until a gmetadata_full arrived
	Value *ValueDump    // nil until a value arrived
}

// MetadataDump is a stored gmetadata_full and its receive time.
type MetadataDump struct {
	Type, Units string
	Slope       xdr.Slope
	TMax, DMax  uint32
	Extra       []xdr.Extra // wire order
	Time        time.Time
}

// ValueDump is a stored value message: the VAL text as rendered, the
// message kind (string VALs are escaped differently), the number a numeric
// message carried and the receive time.
type ValueDump struct {
	ID      xdr.MsgID
	VAL     string
	Number  float64
	Numeric bool
	Time    time.Time
}

// Export returns a dump of every host, in (name, key) order. Like Range it
// takes the lock once per host.
func (s *State) Export() []HostDump {
	s.mu.Lock()
	hosts := slices.Clone(s.order)
	s.mu.Unlock()
	out := make([]HostDump, 0, len(hosts))
	for _, h := range hosts {
		s.mu.Lock()
		if s.hosts[h.key] == h {
			out = append(out, h.dump())
		}
		s.mu.Unlock()
	}
	return out
}

// dump copies h; the caller holds the lock that guards it.
func (h *HostRecord) dump() HostDump {
	d := HostDump{
		Key: h.key, Name: h.name, LastHeard: unixTime(h.lastHeard),
		GmondStarted: h.started, StartedTime: unixTime(h.startedTime),
		Metrics: make([]MetricDump, 0, len(h.order)),
	}
	if h.hasLocation {
		d.Location, d.HasLocation, d.LocationTime = h.location, true, unixTime(h.locTime)
	}
	for _, mt := range h.order {
		md := MetricDump{Name: mt.key}
		if m := mt.meta; m != nil {
			md.Meta = &MetadataDump{Type: m.typ, Units: m.units, Slope: m.slope, TMax: m.tmax, DMax: m.dmax,
				Extra: slices.Clone(m.extra), Time: unixTime(mt.metaTime)}
		}
		if mt.hasValue {
			md.Value = &ValueDump{ID: mt.id, VAL: string(mt.val), Number: mt.num, Numeric: mt.numeric,
				Time: unixTime(mt.valTime)}
		}
		d.Metrics = append(d.Metrics, md)
	}
	return d
}

// unixTime is the time of a stored unix-nanosecond stamp; 0 (never) is
// the zero Time, which the JSON form leaves out.
func unixTime(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// Import adds the dumped hosts, as Put adds a moved host: a host already
// present keeps its name and is merged with its dump (for each field the
// newer one wins), and no
// limit of the Options is applied, since the hosts were accepted once.
// Times after now (a clock that went back) are set to now; hosts silent
// for longer than host_dmax at now, and dumps without a key, are left
// out. It returns the number of hosts imported.
func (s *State) Import(dumps []HostDump, now time.Time) int {
	t := now.UnixNano()
	hostDMax := int64(s.opts.HostDMax) * 1e9
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for i := range dumps {
		h := recordFromDump(&dumps[i], t)
		if h == nil || hostDMax > 0 && t-h.lastHeard > hostDMax {
			continue
		}
		if old := s.hosts[h.key]; old != nil {
			s.removeHost(old) // re-inserted below: its metric count changes
			old.merge(h)      // the live host keeps its name
			h = old
		}
		s.insertHost(h)
		n++
	}
	return n
}

// recordFromDump builds a host record from d with every time clamped to
// t; nil when d has no key.
func recordFromDump(d *HostDump, t int64) *HostRecord {
	if d.Key == "" {
		return nil
	}
	name := d.Name
	if name == "" {
		name = d.Key
	}
	h := newHost(strings.Clone(d.Key), strings.Clone(name))
	h.lastHeard = stamp(d.LastHeard, t)
	if d.HasLocation {
		h.location, h.hasLocation, h.locTime = strings.Clone(d.Location), true, stamp(d.LocationTime, t)
	}
	h.started, h.startedTime = d.GmondStarted, stamp(d.StartedTime, t)
	for i := range d.Metrics {
		md := &d.Metrics[i]
		if md.Name == "" {
			continue
		}
		mt := h.metrics[md.Name]
		if mt == nil {
			mt = newMetric(strings.Clone(md.Name))
			h.addMetric(mt)
		}
		if m := md.Meta; m != nil {
			mt.meta = cloneMetadata(&xdr.Metadata{Type: m.Type, Units: m.Units, Slope: m.Slope,
				TMax: m.TMax, DMax: m.DMax, Extra: m.Extra})
			mt.metaTime = stamp(m.Time, t)
		}
		if v := md.Value; v != nil {
			mt.hasValue, mt.id, mt.val = true, v.ID, []byte(v.VAL)
			mt.num, mt.numeric, mt.valTime = v.Number, v.Numeric, stamp(v.Time, t)
		}
	}
	return h
}

// stamp converts a dumped time to the stored form, clamped to now.
func stamp(tm time.Time, now int64) int64 {
	if tm.IsZero() {
		return 0
	}
	return min(tm.UnixNano(), now)
}

// Keys returns the key of every host, in (name, key) order. gmetad uses it
// to keep its index of which cluster holds which host right after Expire.
func (s *State) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]string, len(s.order))
	for i, h := range s.order {
		keys[i] = h.key
	}
	return keys
}

// LastHeard returns when the host with key was last heard from, and
// whether the state holds it.
func (s *State) LastHeard(key string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hosts[key]
	if h == nil {
		return time.Time{}, false
	}
	return time.Unix(0, h.lastHeard), true
}

// Rekey gives a record from Take a new key (XML IP), keeping its name,
// metrics and metadata: gmetad uses it when a host comes back under
// another address (an LPAR that changed its IP during a move). Call it only
// between Take and Put.
func (h *HostRecord) Rekey(key string) { h.key = strings.Clone(key) }

// Visit is Range for readers that copy what they need out of each view at
// once, like gmetad's snapshot: v.Metrics is reused from one host to the
// next, so fn must not keep the slice (the strings in it may be kept).
// It saves a copy of every metric per pass, which for 10,000 hosts × 50
// metrics is 80 MB of garbage per snapshot.
func (s *State) Visit(fn func(v *HostView) bool) {
	s.mu.Lock()
	hosts := slices.Clone(s.order)
	s.mu.Unlock()
	var v HostView
	for _, h := range hosts {
		s.mu.Lock()
		live := s.hosts[h.key] == h
		if live {
			h.viewInto(&v)
		}
		s.mu.Unlock()
		if live && !fn(&v) {
			return
		}
	}
}

// viewInto is view with v.Metrics reused; the caller holds the lock.
func (h *HostRecord) viewInto(v *HostView) {
	*v = HostView{
		Key: h.key, Name: h.name, Reported: time.Unix(0, h.lastHeard),
		Location: "unspecified", GmondStarted: h.started, Metrics: v.Metrics[:0],
	}
	if h.hasLocation {
		v.Location = h.location
	}
	size := 0
	for _, mt := range h.order {
		if mt.visible() {
			size += len(mt.val)
		}
	}
	var vals strings.Builder
	vals.Grow(size)
	for _, mt := range h.order {
		if mt.visible() {
			vals.Write(mt.val)
		}
	}
	all := vals.String()
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
}
