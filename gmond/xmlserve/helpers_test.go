package xmlserve

import (
	"context"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// waitTimeout bounds every wait on a channel or socket in these tests; only
// a bug gets near it.
const waitTimeout = 10 * time.Second

// testServer is a Server running Serve in a goroutine.
type testServer struct {
	*Server
	done     chan error
	stopOnce sync.Once
}

func start(t *testing.T, addr string, opts Options, h Handler) *testServer {
	t.Helper()
	srv, err := New(addr, opts)
	if err != nil {
		t.Fatalf("New(%q): %v", addr, err)
	}
	ts := &testServer{Server: srv, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(context.Background(), h) }()
	t.Cleanup(func() { ts.Close(); ts.wait(t) })
	return ts
}

// wait returns Serve's result once; later calls return nil.
func (ts *testServer) wait(t *testing.T) {
	t.Helper()
	ts.stopOnce.Do(func() {
		if err := waitErr(t, ts.done); err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	})
}

// stop shuts down gracefully, waits for Serve and returns the final stats.
func (ts *testServer) stop(t *testing.T) Stats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	ts.wait(t)
	return ts.Stats()
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(waitTimeout):
		t.Fatalf("nothing after %v", waitTimeout)
		return nil
	}
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("no %s after %v", what, waitTimeout)
		var zero T
		return zero
	}
}

// dialFrom connects to srv from the loopback address local.
func dialFrom(t testing.TB, local string, srv netip.AddrPort) *net.TCPConn {
	t.Helper()
	d := net.Dialer{
		LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(local), 0)),
		Timeout:   waitTimeout,
	}
	c, err := d.Dial("tcp", srv.String())
	if err != nil {
		t.Fatalf("dial %s from %s: %v", srv, local, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.SetDeadline(time.Now().Add(waitTimeout)); err != nil {
		t.Fatal(err)
	}
	return c.(*net.TCPConn)
}

// exchange sends raw (if any; halfClose then ends the client's side) and
// reads the answer to EOF.
func exchange(t testing.TB, srv netip.AddrPort, raw string, halfClose bool) ([]byte, error) {
	t.Helper()
	c := dialFrom(t, "127.0.0.1", srv)
	if raw != "" {
		if _, err := io.WriteString(c, raw); err != nil {
			return nil, err
		}
	}
	if halfClose {
		if err := c.CloseWrite(); err != nil {
			return nil, err
		}
	}
	// Close right after EOF, as gmetad and ganglia-web do; the server
	// lingers for this close.
	defer c.Close()
	return io.ReadAll(c)
}

// write returns a handler that writes s.
func write(s string) Handler {
	return HandlerFunc(func(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
		_, err := io.WriteString(w, s)
		return err
	})
}
