package xmlserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"
)

// TestModes covers the three uses: gmond's dump (no request), gmetad's
// xml_port (no request, trusted hosts) and gmetad's interactive port.
func TestModes(t *testing.T) {
	trusted := func(a netip.Addr) bool { return a == netip.MustParseAddr("127.0.0.1") || a == netip.IPv6Loopback() }
	tests := []struct {
		name   string
		bind   string
		opts   Options
		client string // local address of the client
		send   string
		want   string
	}{
		{"gmond dump", "127.0.0.1:0", Options{}, "127.0.0.1", "", `request="" from 127.0.0.1`},
		{"gmond dump ignores client bytes", "127.0.0.1:0", Options{}, "127.0.0.1", "/ignored\n", `request="" from 127.0.0.1`},
		{"gmetad xml_port", "127.0.0.1:0", Options{Allow: trusted}, "127.0.0.1", "", `request="" from 127.0.0.1`},
		{"gmetad interactive", "127.0.0.1:0", Options{Allow: trusted, ReadRequest: true}, "127.0.0.1",
			"/P550-DC1-R01/lpar01?filter=summary\n", `request="/P550-DC1-R01/lpar01?filter=summary" from 127.0.0.1`},
		{"interactive HTTP form", "127.0.0.1:0", Options{ReadRequest: true}, "127.0.0.1",
			"GET /status HTTP/1.0\r\n\r\n", `request="GET /status HTTP/1.0" from 127.0.0.1`},
		{"ipv6", "[::1]:0", Options{Allow: trusted, ReadRequest: true}, "::1", "/\n", `request="/" from ::1`},
		{"dual-stack listener unmaps ipv4", "[::]:0", Options{Allow: trusted}, "127.0.0.1", "", `request="" from 127.0.0.1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := start(t, tt.bind, tt.opts, HandlerFunc(func(_ context.Context, w io.Writer, req string, remote netip.AddrPort) error {
				_, err := fmt.Fprintf(w, "request=%q from %s", req, remote.Addr())
				return err
			}))
			to := ts.Addr()
			if to.Addr().IsUnspecified() {
				to = netip.AddrPortFrom(netip.MustParseAddr(tt.client), to.Port())
			}
			c := dialFrom(t, tt.client, to)
			if tt.send != "" {
				io.WriteString(c, tt.send)
			}
			got, err := io.ReadAll(c)
			c.Close()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("answer %q, want %q", got, tt.want)
			}
			s := ts.stop(t)
			if s.Connections != 1 || s.Requests != 1 || s.Errors != 0 || s.BytesWritten != uint64(len(got)) {
				t.Errorf("stats = %+v", s)
			}
		})
	}
}

func TestAllowRejects(t *testing.T) {
	called := make(chan struct{}, 1)
	ts := start(t, "127.0.0.1:0", Options{
		ReadRequest: true,
		Allow:       func(a netip.Addr) bool { return a != netip.MustParseAddr("127.0.0.2") },
	}, HandlerFunc(func(context.Context, io.Writer, string, netip.AddrPort) error {
		called <- struct{}{}
		return nil
	}))
	c := dialFrom(t, "127.0.0.2", ts.Addr())
	got, err := io.ReadAll(c)
	c.Close()
	if len(got) != 0 {
		t.Errorf("refused peer got %q (err %v)", got, err)
	}
	s := ts.stop(t)
	if s.Rejected != 1 || s.Requests != 0 || len(called) != 0 {
		t.Errorf("stats = %+v, handler called %d times", s, len(called))
	}
}

// TestRequestLine checks stock gmetad's readline rules end to end: the
// handler echoes what it was given; a failed read gets no answer at all.
func TestRequestLine(t *testing.T) {
	long := strings.Repeat("x", 2047)
	tests := []struct {
		name      string
		send      string
		halfClose bool // client sends EOF after send
		want      string
		wantErr   bool // no answer, counted as an error
	}{
		{"newline", "/a/b\n", false, "/a/b", false},
		{"CR terminator", "/a\rjunk after", false, "/a", false},
		{"CRLF", "/a\r\n", false, "/a", false},
		{"bytes after the line ignored", "/x\n/y\n", false, "/x", false},
		{"EOF without newline", "/no-newline", true, "/no-newline", false},
		{"empty line", "\n", false, "", false},
		{"EOF at once: empty request", "", true, "", false},
		{"2047 bytes and newline fit", long + "\n", false, long, false},
		{"2047 bytes and EOF fit", long, true, long, false},
		{"2048 bytes and newline: too long", long + "y\n", false, "", true},
		{"2048 bytes and EOF: too long", long + "y", true, "", true},
		{"far too long", strings.Repeat("z", 5000) + "\n", false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := start(t, "127.0.0.1:0", Options{ReadRequest: true}, HandlerFunc(
				func(_ context.Context, w io.Writer, req string, _ netip.AddrPort) error {
					_, err := fmt.Fprintf(w, "[%s]", req)
					return err
				}))
			got, _ := exchange(t, ts.Addr(), tt.send, tt.halfClose)
			want := "[" + tt.want + "]"
			if tt.wantErr {
				want = ""
			}
			if string(got) != want {
				t.Errorf("answer %.60q, want %.60q", got, want)
			}
			s := ts.stop(t)
			if (s.Errors == 1) != tt.wantErr || (s.Requests == 1) == tt.wantErr {
				t.Errorf("stats = %+v", s)
			}
		})
	}
}

func TestReadTimeout(t *testing.T) {
	ts := start(t, "127.0.0.1:0", Options{ReadRequest: true, ReadTimeout: 100 * time.Millisecond}, write("answer"))
	c := dialFrom(t, "127.0.0.1", ts.Addr())
	io.WriteString(c, "/never-finished") // no terminator, connection kept open
	got, _ := io.ReadAll(c)
	c.Close()
	if len(got) != 0 {
		t.Errorf("answer %q to an unfinished request", got)
	}
	if s := ts.stop(t); s.Timeouts != 1 || s.Errors != 1 || s.Requests != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestHandlerError(t *testing.T) {
	bad := errors.New("malformed request")
	ts := start(t, "127.0.0.1:0", Options{ReadRequest: true}, HandlerFunc(
		func(context.Context, io.Writer, string, netip.AddrPort) error { return bad }))
	got, err := exchange(t, ts.Addr(), "/>bad\n", false)
	if err != nil || len(got) != 0 {
		t.Errorf("answer %q, err %v; want a clean close without data", got, err)
	}
	if s := ts.stop(t); s.Errors != 1 || s.Timeouts != 0 || s.Requests != 1 {
		t.Errorf("stats = %+v", s)
	}
}

func TestHandlerPanic(t *testing.T) {
	ts := start(t, "127.0.0.1:0", Options{}, HandlerFunc(
		func(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
			io.WriteString(w, "<partial")
			panic("render bug")
		}))
	got, err := exchange(t, ts.Addr(), "", false)
	if err != nil || string(got) != "<partial" {
		t.Errorf("answer %q, %v; want the partial answer, then a clean close", got, err)
	}
	// The server survives: the next client is served too.
	if _, err := exchange(t, ts.Addr(), "", false); err != nil {
		t.Errorf("after a panic: %v", err)
	}
	if s := ts.stop(t); s.Errors != 2 || s.Requests != 2 {
		t.Errorf("stats = %+v", s)
	}
}

// TestStalledClient: a client that never reads must not hold up another
// client's full answer (stock gmetad served one client at a time, issue
// #223) and is cut off when WriteTimeout passes.
func TestStalledClient(t *testing.T) {
	const timeout = 2 * time.Second // far longer than a 1 MiB answer on loopback
	stalled := netip.MustParseAddr("127.0.0.2")
	doc := strings.Repeat("<HOST/>\n", 1<<17) // 1 MiB
	writing := make(chan struct{})
	stalledErr := make(chan error, 1)
	ts := start(t, "127.0.0.1:0", Options{WriteTimeout: timeout}, HandlerFunc(
		func(ctx context.Context, w io.Writer, _ string, remote netip.AddrPort) error {
			if remote.Addr() != stalled {
				_, err := io.WriteString(w, doc)
				return err
			}
			close(writing)
			chunk := make([]byte, 64<<10)
			var err error
			for written := 0; err == nil && written < 1<<30; written += len(chunk) {
				_, err = w.Write(chunk)
			}
			stalledErr <- err
			return err
		}))
	dialFrom(t, "127.0.0.2", ts.Addr()) // connects, never reads
	waitFor(t, writing, "stalled answer")

	got, err := exchange(t, ts.Addr(), "", false)
	if err != nil || string(got) != doc {
		t.Fatalf("second client got %d bytes (err %v), want %d", len(got), err, len(doc))
	}
	select {
	case err := <-stalledErr:
		t.Fatalf("the stalled answer ended (%v) before the other client was served", err)
	default:
	}
	if err := waitFor(t, stalledErr, "write timeout"); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("stalled write ended with %v, want a deadline error", err)
	}
	if s := ts.stop(t); s.Timeouts != 1 || s.Errors != 1 || s.Requests != 2 {
		t.Errorf("stats = %+v", s)
	}
}

func TestMaxConns(t *testing.T) {
	entered := make(chan struct{}, 2)
	release := make(chan struct{})
	ts := start(t, "127.0.0.1:0", Options{MaxConns: 2}, HandlerFunc(
		func(ctx context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
			entered <- struct{}{}
			<-release
			_, err := io.WriteString(w, "ok")
			return err
		}))
	answers := make(chan string, 2)
	for range 2 {
		go func() {
			b, err := exchange(t, ts.Addr(), "", false)
			answers <- fmt.Sprint(string(b), err)
		}()
	}
	waitFor(t, entered, "first handler")
	waitFor(t, entered, "second handler")
	if got, err := exchange(t, ts.Addr(), "", false); len(got) != 0 || err != nil {
		t.Errorf("third connection got %q, %v; want closed at once", got, err)
	}
	close(release)
	for range 2 {
		if a := waitFor(t, answers, "answer"); a != "ok<nil>" {
			t.Errorf("answer = %q", a)
		}
	}
	if s := ts.stop(t); s.Overflow != 1 || s.Connections != 3 || s.Requests != 2 {
		t.Errorf("stats = %+v", s)
	}
}

func TestServeTwiceAndAfterClose(t *testing.T) {
	srv, err := New("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	for range 2 {
		go func() { done <- srv.Serve(context.Background(), write("x")) }()
	}
	// Whichever call came second fails at once; Close ends the other.
	if err := waitErr(t, done); !errors.Is(err, ErrServing) {
		t.Errorf("second Serve = %v, want ErrServing", err)
	}
	srv.Close()
	if err := waitErr(t, done); err != nil {
		t.Errorf("first Serve = %v, want nil", err)
	}

	srv, err = New("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := srv.Serve(context.Background(), write("x")); err != nil {
		t.Errorf("Serve after Close = %v, want nil", err)
	}
}
