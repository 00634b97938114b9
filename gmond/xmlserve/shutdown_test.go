package xmlserve

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

// watchedCtx tells when Shutdown starts waiting on it: Shutdown calls Done
// only after it has stopped accepting and begun to wait for connections.
type watchedCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *watchedCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// blockingHandler writes doc once release is closed, after telling entered.
func blockingHandler(entered chan<- struct{}, release <-chan struct{}, doc string) Handler {
	return HandlerFunc(func(ctx context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
		entered <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		_, err := io.WriteString(w, doc)
		return err
	})
}

func TestShutdownWaitsForInFlightAnswer(t *testing.T) {
	doc := strings.Repeat("<METRIC/>\n", 100_000)
	entered, release := make(chan struct{}, 1), make(chan struct{})
	ts := start(t, "127.0.0.1:0", Options{}, blockingHandler(entered, release, doc))
	answer := make(chan string, 1)
	go func() {
		b, err := exchange(t, ts.Addr(), "", false)
		if err != nil {
			t.Errorf("in-flight client: %v", err)
		}
		answer <- string(b)
	}()
	waitFor(t, entered, "handler")

	ctx := &watchedCtx{Context: context.Background(), waiting: make(chan struct{})}
	shut := make(chan error, 1)
	go func() { shut <- ts.Shutdown(ctx) }()
	waitFor(t, ctx.waiting, "Shutdown to wait")
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while an answer was in flight", err)
	default:
	}
	if c, err := net.Dial("tcp", ts.Addr().String()); err == nil {
		c.Close()
		t.Errorf("a new connection was accepted during Shutdown")
	}
	close(release)
	if got := waitFor(t, answer, "answer"); got != doc {
		t.Errorf("in-flight answer: %d bytes, want %d", len(got), len(doc))
	}
	if err := waitErr(t, shut); err != nil {
		t.Errorf("Shutdown = %v, want nil", err)
	}
	ts.wait(t)
}

func TestShutdownDeadlineClosesConnections(t *testing.T) {
	entered := make(chan struct{}, 1)
	ts := start(t, "127.0.0.1:0", Options{}, blockingHandler(entered, nil, "never"))
	answer := make(chan []byte, 1)
	go func() {
		b, _ := exchange(t, ts.Addr(), "", false)
		answer <- b
	}()
	waitFor(t, entered, "handler")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ts.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want context.Canceled", err)
	}
	if got := waitFor(t, answer, "client end"); len(got) != 0 {
		t.Errorf("client got %q from a cancelled answer", got)
	}
	ts.wait(t) // Serve returns once the handler has seen its context end
	if s := ts.Stats(); s.Errors != 1 {
		t.Errorf("stats = %+v, want the cut answer counted", s)
	}
}

func TestServeContextCancelCloses(t *testing.T) {
	srv, err := New("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, blockingHandler(entered, nil, "never")) }()
	client := make(chan error, 1)
	go func() {
		_, err := exchange(t, srv.Addr(), "", false)
		client <- err
	}()
	waitFor(t, entered, "handler")
	cancel()
	if err := waitErr(t, done); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	waitErr(t, client)
	if _, err := net.Dial("tcp", srv.Addr().String()); err == nil {
		t.Errorf("listener still open after cancel")
	}
}

// TestNoResetLosesTail: a client that sends junk the server never reads and
// then reads to EOF must get the whole 10 MB document every time. Without
// the read-and-discard before close, the kernel answers the unread junk with
// RST and the client loses the tail (PROTOCOL.md §7).
func TestNoResetLosesTail(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 10<<20; i++ {
		b.WriteString("<METRIC NAME=\"m")
		b.WriteString(strings.Repeat("x", i%50))
		b.WriteString("\"/>\n")
	}
	doc := b.String()
	ts := start(t, "127.0.0.1:0", Options{}, write(doc))
	junk := strings.Repeat("GET / HTTP/1.0\r\nX-Junk: yes\r\n", 100)
	buf := make([]byte, len(doc)+1) // reused: keeps the race detector's cost down
	for i := range 20 {
		c := dialFrom(t, "127.0.0.1", ts.Addr())
		if _, err := io.WriteString(c, junk); err != nil {
			t.Fatal(err)
		}
		n, err := io.ReadFull(c, buf)
		c.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) || n != len(doc) || string(buf[:n]) != doc {
			t.Fatalf("round %d: got %d of %d bytes, err %v", i, n, len(doc), err)
		}
	}
	if s := ts.stop(t); s.Requests != 20 || s.Errors != 0 || s.BytesWritten != 20*uint64(len(doc)) {
		t.Errorf("stats = %+v", s)
	}
}
