package grid

import (
	"net/netip"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Handle applies one packet that arrived on port from src at now: the
// receive path of the collector gmond that port replaces, plus the LPM
// rules of the package doc (move or conflict when another cluster holds
// the host). m's strings may alias a buffer the caller reuses; whatever is
// kept is copied. A value for a host the port's cluster already holds
// allocates nothing.
func (g *Grid) Handle(port int, m *xdr.Message, src netip.Addr, now time.Time) HandleResult {
	var buf [64]byte
	key, spoofName, ok := keyOf(m, src, buf[:0])
	if len(key) > g.maxNameLen || len(spoofName) > g.maxNameLen || len(m.Name) > g.maxNameLen {
		ok = false // the cluster drops it: no need to look further
	}
	g.mu.RLock()
	c := g.ports[port]
	if c == nil {
		g.mu.RUnlock()
		g.noCluster.Add(1)
		return HandleResult{NoCluster: true}
	}
	h := g.keys[string(key)]
	if !ok || h != nil && h.owner == c {
		// The common case (or a packet the cluster drops before it
		// looks a host up): the host cannot be created or moved here.
		res := c.state.Apply(m, src, now)
		name := c.spec.Name
		g.mu.RUnlock()
		return HandleResult{Result: res, Cluster: name}
	}
	g.mu.RUnlock()

	k := string(key)
	var name string
	named := h == nil
	if named {
		name = g.newName(m, src, k, spoofName)
	}
	for {
		res, retry := g.handleLocked(port, k, name, named, m, src, now)
		if !retry {
			return res
		}
		// The host was expired between the two locks: name it afresh,
		// without a lock held.
		name, named = g.newName(m, src, k, spoofName), true
	}
}

// newName is the name stock gmond gives a new host (PROTOCOL.md §2.5):
// the spoof string's name part, or the packet's host string when the
// cluster trusts it, or Namer's answer (reverse DNS), or the IP text. The
// State would decide the same; the grid needs it first, to apply the LPM
// rules by name, and must call Namer without a lock held.
func (g *Grid) newName(m *xdr.Message, src netip.Addr, key, spoofName string) string {
	if m.Spoof {
		return spoofName
	}
	if g.opts.Cluster.HostnameFromPacket && m.Host != "" && len(m.Host) <= g.maxNameLen {
		return m.Host
	}
	var name string
	if g.opts.Namer != nil {
		name = g.opts.Namer(src.Unmap())
	}
	if name == "" || len(name) > g.maxNameLen {
		return key
	}
	return name
}

// handleLocked decides, under mu held exclusively, what a packet for a
// host that port's cluster does not hold does: create it, move it here,
// or refuse it as a conflict. retry asks the caller for a name: the host
// vanished since Handle looked.
func (g *Grid) handleLocked(port int, key, name string, named bool, m *xdr.Message, src netip.Addr, now time.Time) (res HandleResult, retry bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.ports[port]
	if c == nil {
		g.noCluster.Add(1)
		return HandleResult{NoCluster: true}, false
	}
	t := now.UnixNano()
	h := g.keys[key]
	switch {
	case h == nil && !named:
		return res, true
	case h == nil:
		if o := g.nameHolder(name, c); o != nil {
			if g.conflicting(o, t, true) {
				return g.conflict(o, c, key, now), false
			}
			res.MovedFrom = g.move(o, c, key, now)
			h = o
		}
	case h.owner != c:
		if g.conflicting(h, t, false) {
			return g.conflict(h, c, key, now), false
		}
		res.MovedFrom = g.move(h, c, key, now)
	}
	res.Moved = res.MovedFrom != ""
	if h != nil {
		name = h.name
	}
	g.pendingAddr, g.pendingName = src.Unmap(), name
	res.Result = c.state.Apply(m, src, now)
	g.pendingAddr, g.pendingName = netip.Addr{}, ""
	res.Cluster = c.spec.Name
	if h == nil && (res.NewHost || res.Dropped == cluster.DropNone) {
		if res.Host != "" {
			name = res.Host
		}
		g.index(&hostEntry{key: key, name: name, owner: c})
	}
	return res, false
}

// index adds h to the key and name indexes.
func (g *Grid) index(h *hostEntry) {
	g.keys[h.key] = h
	g.names[h.name] = append(g.names[h.name], h)
}

// unindex removes h from both indexes.
func (g *Grid) unindex(h *hostEntry) {
	if g.keys[h.key] == h {
		delete(g.keys, h.key)
	}
	list := g.names[h.name]
	for i, o := range list {
		if o == h {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(g.names, h.name)
	} else {
		g.names[h.name] = list
	}
}

// keyOf returns the key stock gmond files m's host under (PROTOCOL.md
// §2.5): the spoof string's IP part, or the source address text appended to
// buf. ok is false when the cluster would drop the packet before keying it.
func keyOf(m *xdr.Message, src netip.Addr, buf []byte) (key []byte, spoofName string, ok bool) {
	if !m.ID.Known() {
		return nil, "", false
	}
	if m.Spoof {
		host := m.Host
		if len(host) < 2 {
			return nil, "", false
		}
		i := indexColon(host[1:]) + 1
		if i == 0 || i == len(host)-1 {
			return nil, "", false
		}
		return append(buf, host[:i]...), host[i+1:], true
	}
	if !src.IsValid() {
		return nil, "", false
	}
	return src.Unmap().AppendTo(buf), "", true
}

func indexColon(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}
