package sender

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
)

// Retarget points every unicast channel at host:port, as the agent does
// after a Live Partition Mobility move to another managed system. host ""
// keeps each channel's current host and address (no lookup); multicast
// channels are left alone. No socket is closed or opened, so the source
// address and port stay the same and firewall rules keyed on them still
// match. A Send running at the same time uses either all the old routes
// or all the new ones. On error nothing changes.
func (s *Sender) Retarget(host string, port int) error {
	if port <= 0 || port > 65535 {
		return fmt.Errorf("sender: retarget: port %d out of range 1..65535", port)
	}
	if s.closed.Load() {
		return ErrClosed
	}
	// Held across the lookup so that the hosts lookupFor saw are still
	// the hosts when the routes are swapped.
	s.retargetMu.Lock()
	defer s.retargetMu.Unlock()
	addrs, err := s.lookupFor(host)
	if err != nil {
		return err
	}
	s.mu.Lock()
	cur := *s.routes.Load()
	next := append([]route(nil), cur...)
	var from, to []string
	for i, ch := range s.chans {
		if ch.mcast {
			continue
		}
		r := &next[i]
		from = append(from, r.String())
		if host != "" && host != r.host {
			r.host = host
			r.dst = netip.AddrPortFrom(addrs[ch.fam], 0)
		}
		r.port = port
		r.dst = netip.AddrPortFrom(r.dst.Addr(), uint16(port))
		to = append(to, r.String())
	}
	s.routes.Store(&next)
	s.mu.Unlock()
	s.log.Info("UDP send channels retargeted", "from", strings.Join(from, ","), "to", strings.Join(to, ","))
	return nil
}

// lookupFor resolves host once for each address family that a unicast
// channel moving to it needs, before Retarget takes the lock, so a slow
// lookup holds up nothing else. It fails with ErrNoUnicast when there is
// no unicast channel at all.
func (s *Sender) lookupFor(host string) (map[int]netip.Addr, error) {
	cur := *s.routes.Load()
	addrs := map[int]netip.Addr{}
	unicast := false
	ctx, cancel := context.WithTimeout(s.ctx, resolveTimeout)
	defer cancel()
	now := s.now().UnixNano()
	for i, ch := range s.chans {
		if ch.mcast {
			continue
		}
		unicast = true
		if host == "" || host == cur[i].host {
			continue
		}
		ch.lastResolve.Store(now)
		if _, ok := addrs[ch.fam]; ok {
			continue
		}
		a, err := resolveAddr(ctx, s.lookup, host, ch.fam)
		if err != nil {
			return nil, fmt.Errorf("sender: retarget to %s: %w", host, err)
		}
		addrs[ch.fam] = a
	}
	if !unicast {
		return nil, ErrNoUnicast
	}
	return addrs, nil
}
