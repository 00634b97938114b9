package xmlserve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"
)

const (
	// writeBuffer is the answer buffer per connection. Stock gmetad calls
	// write(2) per element; a large buffer makes a 10 MB dump a few
	// hundred syscalls.
	writeBuffer = 64 << 10
	// lingerTimeout and maxDrain bound the read-and-discard after an
	// answer (see finish).
	lingerTimeout = 2 * time.Second
	maxDrain      = 1 << 20
)

// errHandlerPanic marks an answer whose handler panicked.
var errHandlerPanic = errors.New("xmlserve: handler panicked")

// connState is the reusable memory of one connection, pooled per Server so
// frequent polls (ganglia-web, gmetad) do not allocate 64 KiB each.
type connState struct {
	bw  *bufio.Writer
	out countingWriter
	req []byte
}

// countingWriter counts bytes that reached the kernel and remembers a write
// failure, which tells finish to abort instead of lingering.
type countingWriter struct {
	conn  net.Conn
	total *atomic.Uint64
	err   error
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.conn.Write(p)
	w.total.Add(uint64(n))
	if err != nil && w.err == nil {
		w.err = err
	}
	return n, err
}

func (s *Server) getState() *connState {
	if st, ok := s.pool.Get().(*connState); ok {
		return st
	}
	return &connState{
		bw:  bufio.NewWriterSize(nil, writeBuffer),
		out: countingWriter{total: &s.stats.bytes},
		req: make([]byte, s.opts.MaxRequest),
	}
}

func (s *Server) putState(st *connState) {
	st.bw.Reset(nil)
	st.out.conn, st.out.err = nil, nil
	s.pool.Put(st)
}

// serveConn answers one accepted connection.
func (s *Server) serveConn(c net.Conn, remote netip.AddrPort, h Handler) {
	defer s.release(c)
	st := s.getState()
	defer s.putState(st)
	request, err := s.readRequest(c, st.req)
	if err != nil {
		// Stock gmetad closes without output when readline fails.
		s.failed("request", remote, err)
		c.Close()
		return
	}
	err = s.answer(c, st, h, request, remote)
	if err != nil {
		s.failed("answer", remote, err)
	}
	if st.out.err != nil {
		abort(c)
		return
	}
	s.finish(c)
}

// readRequest reads the interactive request line under ReadTimeout; without
// ReadRequest it reads nothing, like gmond's dump and gmetad's xml_port.
func (s *Server) readRequest(c net.Conn, buf []byte) (string, error) {
	if !s.opts.ReadRequest {
		return "", nil
	}
	if err := c.SetReadDeadline(time.Now().Add(s.opts.ReadTimeout)); err != nil {
		return "", err
	}
	return readLine(c, buf)
}

// readLine reads one request line into buf the way stock gmetad's readline
// does: it ends at the first '\n' or '\r' or at EOF, and bytes after the
// terminator are ignored. A line that fills buf without a terminator is
// ErrRequestTooLong, even if EOF would follow, so the line plus terminator
// must fit in len(buf) bytes (2047 characters for stock's 2048).
func readLine(r io.Reader, buf []byte) (string, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		for i, b := range buf[n : n+m] {
			if b == '\n' || b == '\r' {
				return string(buf[:n+i]), nil
			}
		}
		n += m
		switch {
		case err == nil:
		case !errors.Is(err, io.EOF):
			return "", err
		case n < len(buf):
			return string(buf[:n]), nil
		}
	}
	return "", ErrRequestTooLong
}

// answer runs the handler with the whole answer under one write deadline.
func (s *Server) answer(c net.Conn, st *connState, h Handler, request string, remote netip.AddrPort) error {
	s.stats.requests.Add(1)
	deadline := time.Now().Add(s.opts.WriteTimeout)
	if err := c.SetWriteDeadline(deadline); err != nil {
		return err
	}
	ctx, cancel := context.WithDeadline(s.base, deadline)
	defer cancel()
	st.out.conn = c
	st.bw.Reset(&st.out)
	err := callHandler(ctx, h, st.bw, request, remote)
	if ferr := st.bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// callHandler turns a handler panic into an error, as net/http does, so one
// bad answer does not take the daemon and every other client down.
func callHandler(ctx context.Context, h Handler, w io.Writer, request string, remote netip.AddrPort) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", errHandlerPanic, p, debug.Stack())
		}
	}()
	return h.ServeXML(ctx, w, request, remote)
}

// finish closes after an answer as PROTOCOL.md §7 asks: FIN first, then
// read and discard whatever the client sent (the rest of a request, junk)
// until it closes or lingerTimeout passes. Closing a socket with unread
// input makes the kernel send RST, and an RST can destroy the tail of the
// document still in the client's receive buffer.
func (s *Server) finish(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok && tc.CloseWrite() == nil {
		if tc.SetReadDeadline(time.Now().Add(lingerTimeout)) == nil {
			_, _ = io.CopyN(io.Discard, tc, maxDrain)
		}
	}
	c.Close()
}

// abort drops a connection whose answer failed (a stalled reader past
// WriteTimeout, a vanished client) at once: with linger 0 the kernel sends
// RST and frees the unsent data instead of keeping an orphan socket.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// failed counts and logs (throttled) a connection that ended badly.
func (s *Server) failed(stage string, remote netip.AddrPort, err error) {
	s.stats.errors.Add(1)
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		s.stats.timeouts.Add(1)
	}
	s.throttle.Log(s.base, stage, "XML connection failed", "addr", s.Addr(), "stage", stage, "remote", remote, "err", err)
}
