package cluster

import (
	"net/netip"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Result tells the caller what Apply did with one packet. Its strings belong
// to the state and may be kept.
type Result struct {
	ID      xdr.MsgID // the packet's message id
	Dropped Drop      // DropNone when the packet was applied

	Key     string // the host's key (XML IP); empty when dropped
	Host    string // the host's name (XML NAME); empty when dropped
	NewHost bool   // this packet created the host

	// NeedMetadata is set when a value arrived for a metric with no
	// stored metadata. Stock gmond then sends Request, a
	// gmetadata_request, to its send channels (§1.7); the caller sends it
	// back to the packet's source.
	NeedMetadata bool
	Request      xdr.MetricID

	// Requested is set for a gmetadata_request (136), and RequestedName is
	// the metric it asks for, sanitised as a stored name. A collector
	// ignores it; a gmond that collects that metric resends its metadata.
	Requested     bool
	RequestedName string
}

// Apply applies one decoded packet received from src at now, the way stock
// gmond's receive path does (PROTOCOL.md §1.13, §2.5):
//
//   - the host is keyed by src's IP text, or for a spoofed packet by the
//     IP part of "IP:name" (split at the first ':' that is not the first
//     character; a spoof string without a ':' or with an empty name is
//     dropped). A new host is named once: spoofed by the name part,
//     otherwise by Options.Namer (or the packet's host string with
//     HostnameFromPacket), and never renamed;
//   - every accepted packet refreshes the host's last-heard time;
//   - non-spoofed metric names have every ':' replaced by '_' (Q2);
//   - metadata replaces the stored metadata wholesale; a value replaces
//     the stored value (its VAL text as stock renders it, its number and
//     receive time), sets LOCATION for "location" and GMOND_STARTED for
//     "heartbeat" (any case), and asks for metadata when none is stored;
//   - a metadata request refreshes the host and is reported.
//
// A packet that breaks a limit of the Options, or that stock would reject,
// is dropped: it changes nothing but Stats().Dropped, and Result.Dropped
// says why.
//
// The message's strings may alias a buffer the caller reuses
// (xdr.DecodeInto): Apply copies what it keeps, and only when it changed, so
// updating a known metric allocates nothing.
func (s *State) Apply(m *xdr.Message, src netip.Addr, now time.Time) Result {
	res := Result{ID: m.ID}
	var ipBuf [64]byte
	id, d := s.identify(m, src, ipBuf[:0])
	if d == DropNone {
		d = s.check(m, &id)
	}
	if d != DropNone {
		return s.drop(res, d)
	}
	t := now.UnixNano()

	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.lookup(&id)
	if h == nil {
		if h, res.NewHost, d = s.create(m, src, &id); d != DropNone {
			res.Dropped = d
			s.stats.dropped[d]++
			return res
		}
	}
	switch {
	case m.ID == xdr.IDMetadata:
		d = s.applyMetadata(h, m, t)
	case m.ID.IsValue():
		d = s.applyValue(h, m, t, &res)
	default:
		s.applyRequest(h, m, t, &res)
	}
	if d != DropNone {
		res.Dropped = d
		s.stats.dropped[d]++
		return res
	}
	res.Key, res.Host = h.key, h.name
	return res
}

func (s *State) drop(res Result, d Drop) Result {
	s.mu.Lock()
	s.stats.dropped[d]++
	s.mu.Unlock()
	res.Dropped = d
	return res
}

// ident is a packet's host identity; its strings alias the message or a
// stack buffer of Apply and are copied only when a host is created.
type ident struct {
	spoof bool
	key   string // spoofed: the IP part of the spoof string
	name  string // spoofed: the name part
	ip    []byte // not spoofed: the source address text
}

// identify splits a spoof string as Ganglia_host_get does, or formats src.
// IPv4-mapped IPv6 sources are keyed as IPv4, as an inet4 channel sees them.
func (s *State) identify(m *xdr.Message, src netip.Addr, buf []byte) (ident, Drop) {
	if !m.ID.Known() {
		return ident{}, DropUnknownID
	}
	if m.Spoof {
		host := m.Host
		if len(host) < 2 {
			return ident{}, DropBadSpoof
		}
		i := strings.IndexByte(host[1:], ':') + 1
		if i == 0 || i == len(host)-1 {
			return ident{}, DropBadSpoof // no ':' or an empty name
		}
		return ident{spoof: true, key: host[:i], name: host[i+1:]}, DropNone
	}
	if !src.IsValid() {
		return ident{}, DropBadSource
	}
	return ident{ip: src.Unmap().AppendTo(buf)}, DropNone
}

// check applies the size limits before anything is looked up.
func (s *State) check(m *xdr.Message, id *ident) Drop {
	limit := s.opts.MaxNameLen
	if len(m.Name) > limit || len(id.key) > limit || len(id.name) > limit {
		return DropNameTooLong
	}
	switch {
	case m.ID == xdr.IDMetadata:
		if metadataSize(&m.Metadata) > xdr.MaxPacket {
			return DropOversize
		}
	case m.ID.IsValue():
		if len(m.Value.Fmt)+len(m.Value.Str) > xdr.MaxPacket {
			return DropOversize
		}
	}
	return DropNone
}

// metadataSize is what md's variable parts take on the wire, at least.
func metadataSize(md *xdr.Metadata) int {
	n := len(md.Type) + len(md.Units)
	for _, e := range md.Extra {
		n += 8 + len(e.Name) + len(e.Data)
	}
	return n
}

// lookup finds the host of id; the caller holds mu.
func (s *State) lookup(id *ident) *HostRecord {
	if id.spoof {
		return s.hosts[id.key]
	}
	return s.hosts[string(id.ip)]
}

// create adds the host of a packet. The caller holds mu; it is released
// while Namer runs (reverse DNS may take long), so the table is looked up
// again before inserting.
func (s *State) create(m *xdr.Message, src netip.Addr, id *ident) (h *HostRecord, created bool, d Drop) {
	var key, name string
	if id.spoof {
		key, name = strings.Clone(id.key), strings.Clone(id.name)
	} else {
		key = string(id.ip)
		if s.opts.HostnameFromPacket && m.Host != "" && len(m.Host) <= s.opts.MaxNameLen {
			name = strings.Clone(m.Host)
		} else if s.opts.Namer != nil {
			s.mu.Unlock()
			func() {
				defer s.mu.Lock() // also when Namer panics: Apply's deferred Unlock needs it
				name = s.opts.Namer(src.Unmap())
			}()
			if h := s.hosts[key]; h != nil {
				return h, false, DropNone // created meanwhile; its name stands
			}
		}
		if name == "" || len(name) > s.opts.MaxNameLen {
			name = key // getnameinfo failed: stock uses the IP text
		}
	}
	if len(s.hosts) >= s.opts.MaxHosts {
		return nil, false, DropTooManyHosts
	}
	h = newHost(key, name)
	s.insertHost(h)
	return h, true, DropNone
}

// metricFor returns the metric m's name is stored under on h, creating it.
// Non-spoofed names have every ':' replaced by '_' (sanitize_metric_name,
// Q2); the sanitised name is built in a scratch buffer and copied only when
// the metric is new.
func (s *State) metricFor(h *HostRecord, m *xdr.Message) (*metric, Drop) {
	var mt *metric
	sanitize := !m.Spoof && strings.IndexByte(m.Name, ':') >= 0
	if sanitize {
		s.nameBuf = sanitizeName(s.nameBuf[:0], m.Name)
		mt = h.metrics[string(s.nameBuf)]
	} else {
		mt = h.metrics[m.Name]
	}
	if mt != nil {
		return mt, DropNone
	}
	if len(h.metrics) >= s.opts.MaxMetricsPerHost {
		return nil, DropTooManyMetrics
	}
	if sanitize {
		mt = newMetric(string(s.nameBuf))
	} else {
		mt = newMetric(strings.Clone(m.Name))
	}
	h.addMetric(mt)
	s.metrics++
	return mt, DropNone
}

// sanitizeName appends name with every ':' replaced by '_'.
func sanitizeName(dst []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == ':' {
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}
