package xmlserve

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"time"
)

// Backoff after a failed Accept (EMFILE and the like), as net/http does, so
// the loop does not spin while the condition lasts.
const (
	minBackoff = 5 * time.Millisecond
	maxBackoff = time.Second
)

// Serve accepts connections and answers each in its own goroutine with h.
// It returns nil once Shutdown or Close has been called, or ctx is cancelled
// (which closes like Close), and every connection has ended; a handler that
// ignores its context can therefore delay it. It may be called only once.
func (s *Server) Serve(ctx context.Context, h Handler) error {
	s.mu.Lock()
	if s.serving {
		s.mu.Unlock()
		return ErrServing
	}
	s.serving = true
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	// The accept loop holds a count so that connections added later never
	// raise the WaitGroup from zero while Shutdown waits on it.
	s.wg.Add(1)
	s.mu.Unlock()

	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	s.acceptLoop(h)
	s.wg.Done()
	s.wg.Wait()
	return nil
}

func (s *Server) acceptLoop(h Handler) {
	var delay time.Duration
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.throttle.Log(s.base, "accept", "accept failed", "addr", s.Addr(), "err", err)
			delay = min(max(2*delay, minBackoff), maxBackoff)
			if !pause(s.base, delay) {
				return
			}
			continue
		}
		delay = 0
		s.admit(c, h)
	}
}

// admit applies the ACL and MaxConns to a new connection and starts its
// goroutine. Refused connections are closed without a byte, as stock gmond
// and gmetad do for untrusted peers.
func (s *Server) admit(c net.Conn, h Handler) {
	s.stats.connections.Add(1)
	remote := remoteAddr(c)
	if s.opts.Allow != nil && !s.opts.Allow(remote.Addr()) {
		s.stats.rejected.Add(1)
		c.Close()
		s.throttle.LogLevel(s.base, slog.LevelInfo, "rejected", "connection refused by ACL", "addr", s.Addr(), "remote", remote)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		c.Close()
	case len(s.conns) >= s.opts.MaxConns:
		s.stats.overflow.Add(1)
		c.Close()
		s.throttle.Log(s.base, "overflow", "too many connections; closed a new one", "addr", s.Addr(), "max_conns", s.opts.MaxConns)
	default:
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		go s.serveConn(c, remote, h)
	}
}

// release forgets a finished connection.
func (s *Server) release(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.wg.Done()
}

// Shutdown stops accepting, then waits until every connection has been
// answered and closed, or ctx is done; then it closes the remaining
// connections, cancels their handlers' contexts and returns ctx's error.
// This is net/http's Server.Shutdown shape.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.stopAccepting()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		s.closeConns()
		return ctx.Err()
	}
}

// Close stops accepting and closes every connection at once; handlers see
// their context cancelled and their writes fail.
func (s *Server) Close() error {
	err := s.stopAccepting()
	s.closeConns()
	return err
}

func (s *Server) stopAccepting() error {
	s.mu.Lock()
	already := s.closing
	s.closing = true
	s.mu.Unlock()
	if already {
		return nil
	}
	return s.ln.Close()
}

func (s *Server) closeConns() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// remoteAddr returns the peer with IPv4 unmapped (a dual-stack listener
// reports ::ffff:a.b.c.d), which is what ACLs and trusted_hosts compare.
func remoteAddr(c net.Conn) netip.AddrPort {
	ta, ok := c.RemoteAddr().(*net.TCPAddr)
	if !ok {
		return netip.AddrPort{}
	}
	ap := ta.AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
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
