package sender

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Backoff after a failed read that is neither a close nor a queued ICMP
// error, so a socket in a persistent error state does not spin a CPU.
const (
	minBackoff = 5 * time.Millisecond
	maxBackoff = time.Second
)

// longAgo is a read deadline in the past: it wakes blocked readers without
// closing the socket, so Send keeps working after Serve's context ends.
var longAgo = time.Unix(1, 0)

// Serve reads every send socket until Close is called or ctx is done, and
// then returns nil. A gmetadata_request is counted and passed to
// OnRequest; every other datagram is counted as Dropped (and as Malformed
// when it does not decode). Serve may be called once; after Close it
// returns nil at once.
func (s *Sender) Serve(ctx context.Context) error {
	if !s.serving.CompareAndSwap(false, true) {
		return ErrServing
	}
	if s.closed.Load() {
		return nil
	}
	var stopping atomic.Bool
	stop := context.AfterFunc(ctx, func() {
		stopping.Store(true)
		for _, sk := range s.socks {
			sk.conn.SetReadDeadline(longAgo)
		}
	})
	defer stop()
	var wg sync.WaitGroup
	for _, sk := range s.socks {
		wg.Go(func() { s.readLoop(ctx, sk, &stopping) })
	}
	if len(s.socks) == 0 {
		select {
		case <-ctx.Done():
		case <-s.done:
		}
	}
	wg.Wait()
	return nil
}

// readLoop reads one socket. Its buffer is one byte longer than the
// largest datagram stock gmond reads, so a longer one shows as oversize
// instead of arriving silently cut.
func (s *Sender) readLoop(ctx context.Context, sk *sock, stopping *atomic.Bool) {
	buf := make([]byte, xdr.MaxPacket+1)
	var delay time.Duration
	for {
		n, from, err := sk.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || stopping.Load() {
				return
			}
			if pendingError(err) {
				// An ICMP error for one of our datagrams, reported
				// on the read side; the socket is fine.
				s.drain(sk)
				continue
			}
			s.throttle.Log(ctx, "read "+sk.local, "reading a UDP send socket failed", "local", sk.local, "err", err)
			delay = min(max(2*delay, minBackoff), maxBackoff)
			if !s.pause(ctx, delay) {
				return
			}
			continue
		}
		delay = 0
		s.handle(buf[:n], netip.AddrPortFrom(from.Addr().Unmap(), from.Port()), sk.local)
	}
}

// handle is the receive path of one datagram.
func (s *Sender) handle(pkt []byte, from netip.AddrPort, local string) {
	if len(pkt) > xdr.MaxPacket {
		s.dropMalformed(from, local, errOversize)
		return
	}
	m, err := xdr.Decode(pkt)
	if err != nil {
		s.dropMalformed(from, local, err)
		return
	}
	if m.ID != xdr.IDMetadataRequest {
		// Nothing but requests is meant for a send socket; stock
		// gmond does not read it at all.
		s.dropped.Add(1)
		s.log.Debug("datagram on a send socket dropped", "local", local, "from", from.String(), "id", m.ID.String())
		return
	}
	s.requests.Add(1)
	s.log.Debug("metadata requested", "local", local, "from", from.String(), "host", m.Host, "metric", m.Name, "spoof", m.Spoof)
	if s.onRequest != nil {
		s.onRequest(m.MetricID)
	}
}

var errOversize = errors.New("datagram longer than max_udp_msg_len")

func (s *Sender) dropMalformed(from netip.AddrPort, local string, err error) {
	s.malformed.Add(1)
	s.dropped.Add(1)
	s.throttle.Log(context.Background(), "malformed", "malformed datagram on a UDP send socket dropped",
		"local", local, "from", from.String(), "err", err)
}

// pause waits d, or less when ctx ends or the Sender closes; it reports
// whether to go on.
func (s *Sender) pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}
