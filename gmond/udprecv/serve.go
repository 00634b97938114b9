package udprecv

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Backoff after a failed read, so a socket in a persistent error state does
// not spin a CPU (net/http does the same for Accept).
const (
	minBackoff = 5 * time.Millisecond
	maxBackoff = time.Second
)

// Serve reads datagrams with Options.Readers goroutines and passes each one
// that is not denied or oversize to h. It blocks until Close is called or ctx
// is cancelled (which closes the socket) and then returns nil. It may be
// called only once.
func (r *Receiver) Serve(ctx context.Context, h Handler) error {
	if !r.serving.CompareAndSwap(false, true) {
		return ErrServing
	}
	stop := context.AfterFunc(ctx, func() { r.Close() })
	defer stop()
	var wg sync.WaitGroup
	for i := range r.counters {
		c := &r.counters[i]
		wg.Go(func() { r.readLoop(ctx, h, c) })
	}
	wg.Wait()
	return nil
}

// readLoop is one reader. Its buffer is one byte longer than MaxPacket: the
// kernel truncates a longer datagram to the buffer, so a read that fills it
// proves the datagram was oversize instead of passing on a silently cut one.
func (r *Receiver) readLoop(ctx context.Context, h Handler, c *counters) {
	buf := make([]byte, r.opts.MaxPacket+1)
	var delay time.Duration
	for {
		n, from, err := r.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			c.errors.Add(1)
			r.throttle.Log(ctx, "read", "UDP read failed", "addr", r.addr, "err", err)
			delay = min(max(2*delay, minBackoff), maxBackoff)
			if !pause(ctx, delay) {
				return
			}
			continue
		}
		delay = 0
		c.packets.Add(1)
		c.bytes.Add(uint64(n))
		// A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; the
		// ACL and host keys want the plain IPv4 address.
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		if r.opts.Allow != nil && !r.opts.Allow(from.Addr()) {
			// Only counted, as stock gmond drops them silently: a
			// foreign sender on the port must not cost a log line or
			// an allocation per datagram.
			c.denied.Add(1)
			continue
		}
		if n > r.opts.MaxPacket {
			c.oversize.Add(1)
			// Throttled: a misconfigured sender repeats every cycle.
			r.throttle.Log(ctx, "oversize", "UDP datagram longer than max_udp_msg_len dropped",
				"addr", r.addr, "from", from, "max", r.opts.MaxPacket)
			continue
		}
		h.HandlePacket(buf[:n], from)
	}
}

// pause waits d or until ctx is done; it reports whether to go on.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
