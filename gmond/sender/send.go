package sender

import (
	"context"
	"errors"
	"net/netip"
	"syscall"
	"time"
)

// Send sends pkt to every channel. It never blocks on the network (a full
// socket buffer drops the datagram and counts an error) and never fails:
// errors are counted and logged at most once per ErrorInterval per
// channel. pkt is not kept. Send may be called from several goroutines
// and concurrently with Retarget; each call sees every channel's route from
// one moment.
func (s *Sender) Send(pkt []byte) {
	if s.closed.Load() {
		return
	}
	rs := *s.routes.Load()
	for i, ch := range s.chans {
		err := writeTo(ch.sock, rs[i].dst, pkt)
		if err != nil && pendingError(err) {
			// The kernel reported an ICMP error caused by an earlier
			// datagram (on Linux, IP_RECVERR) instead of sending this
			// one. Collect the queued errors for the channels they
			// belong to and send again.
			s.drain(ch.sock)
			err = writeTo(ch.sock, rs[i].dst, pkt)
		}
		if err != nil {
			if s.closed.Load() {
				return
			}
			s.fail(i, rs[i], err)
			continue
		}
		s.sent.Add(1)
	}
}

// pendingError reports whether err is one the kernel queues on a socket
// from an ICMP message and returns on the next call, whatever it is.
func pendingError(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTDOWN)
}

// drain reads the ICMP errors queued on sk and charges each to the
// channel that sends to its destination now. An error for a destination
// no channel has any more (a Retarget moved it) is only logged in debug.
func (s *Sender) drain(sk *sock) {
	for _, qe := range readErrQueue(sk.raw) {
		s.icmpError(sk, qe.dst, qe.err)
	}
}

func (s *Sender) icmpError(sk *sock, dst netip.AddrPort, err error) {
	dst = netip.AddrPortFrom(dst.Addr().Unmap(), dst.Port())
	rs := *s.routes.Load()
	for i, ch := range s.chans {
		if ch.sock == sk && rs[i].dst == dst {
			s.fail(i, rs[i], &ICMPError{Dst: dst, Err: err})
			return
		}
	}
	s.log.Debug("ICMP error for a former destination", "local", sk.local, "dst", dst.String(), "err", err)
}

// ICMPError is an error the network reported for a datagram already sent,
// such as "connection refused" from a collector port nobody listens on.
type ICMPError struct {
	Dst netip.AddrPort
	Err error
}

func (e *ICMPError) Error() string {
	return "ICMP from " + e.Dst.String() + ": " + e.Err.Error()
}

func (e *ICMPError) Unwrap() error { return e.Err }

// fail counts and logs a failure of channel i and may start a new lookup
// of its host name: a collector whose address changed shows up as errors.
func (s *Sender) fail(i int, r route, err error) {
	ch := s.chans[i]
	s.throttle.Log(context.Background(), ch.key, "UDP send channel failing; its packets are lost",
		"channel", r.String(), "dst", r.dst.String(), "local", ch.sock.local, "err", err)
	// Counted after the throttle saw it, so that whoever reads the count
	// knows the throttle's suppressed tally includes this error.
	s.sendErrors.Add(1)
	if ch.mcast || isLiteral(r.host) {
		return
	}
	now := s.now().UnixNano()
	if time.Duration(now-ch.lastResolve.Load()) < resolveEvery || !ch.resolving.CompareAndSwap(false, true) {
		return
	}
	ch.lastResolve.Store(now)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer ch.resolving.Store(false)
		s.reresolve(i, r.host)
	}()
}

func isLiteral(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// reresolve looks host up again for channel i and moves the channel to the
// new address, unless a Retarget changed its host meanwhile.
func (s *Sender) reresolve(i int, host string) {
	ctx, cancel := context.WithTimeout(s.ctx, resolveTimeout)
	defer cancel()
	ch := s.chans[i]
	addr, err := resolveAddr(ctx, s.lookup, host, ch.fam)
	if err != nil {
		if s.ctx.Err() == nil { // not a lookup cut short by Close
			s.throttle.Log(ctx, ch.key+" resolve", "UDP send channel: looking up the collector again failed",
				"host", host, "err", err)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := *s.routes.Load()
	r := cur[i]
	if r.host != host || r.dst.Addr() == addr {
		return
	}
	next := append([]route(nil), cur...)
	next[i].dst = netip.AddrPortFrom(addr, uint16(r.port))
	s.routes.Store(&next)
	s.log.Info("UDP send channel: collector address changed", "channel", r.String(),
		"from", r.dst.Addr().String(), "to", addr.String())
}
