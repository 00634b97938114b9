package rrdcached

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The daemon hanging up between commands (a restart) costs nothing: the
// next command goes out on a new connection.
func TestReconnectBeforeSend(t *testing.T) {
	for _, transport := range []string{"unix", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			hungUp := make(chan struct{}, 1)
			answer := func(line string) (string, bool) {
				if line == "PING" {
					return "0 PONG\n", false
				}
				hungUp <- struct{}{}
				return "0 Gone!\n", true // reply, then close
			}
			f := newFake(t, answer)
			if transport == "tcp" {
				f = newTCPFake(t, answer)
			}
			c := f.dial(Options{})
			ctx := context.Background()
			if err := c.Forget(ctx, "/x.rrd"); err != nil {
				t.Fatal(err)
			}
			<-hungUp
			if transport == "tcp" {
				// The FIN may still be on its way on TCP: wait
				// until the client's socket sees it, by deadline.
				waitPeerClosed(t, c)
			}
			if err := c.Ping(ctx); err != nil {
				t.Fatalf("first command after the hang-up: %v", err)
			}
			if n := f.connections(); n != 2 {
				t.Errorf("connections = %d, want 2", n)
			}
			if got := f.received(); strings.Join(got, "|") != "FORGET /x.rrd|PING" {
				t.Errorf("daemon received %q", got)
			}
		})
	}
}

// waitPeerClosed polls, with a deadline, until the client's connection
// shows the daemon's close.
func waitPeerClosed(t *testing.T, c *Client) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		gone := c.conn == nil || peerClosed(c.conn) // leaves the connection to the client
		c.mu.Unlock()
		if gone {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the client never saw the daemon close the connection")
}

// A command whose line went out is never sent again, even if the reply is
// lost: the daemon may have applied it.
func TestNoResendAfterSend(t *testing.T) {
	f := newFake(t, func(line string) (string, bool) {
		if strings.HasPrefix(line, "UPDATE") {
			return "", true // read it, then die without answering
		}
		return "0 PONG\n", false
	})
	c := f.dial(Options{})
	ctx := context.Background()
	err := c.Update(ctx, "/x.rrd", "1700000010:1")
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("next command: %v", err)
	}
	if got := f.received(); strings.Join(got, "|") != "UPDATE /x.rrd 1700000010:1|PING" {
		t.Errorf("daemon received %q, want the UPDATE once", got)
	}
}

func TestDialErrors(t *testing.T) {
	dir, err := os.MkdirTemp("", "rrdc")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	addr := "unix:" + dir + "/nobody"
	_, err = Dial(context.Background(), addr, Options{})
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("dial of a missing socket: %v, want an error naming %s", err, addr)
	}
	var ae *AddressError
	if _, err := Dial(context.Background(), "host:port", Options{}); !errors.As(err, &ae) {
		t.Errorf("bad address: %v, want *AddressError", err)
	}
}

func TestDeadlines(t *testing.T) {
	silent := func(line string) (string, bool) { return "", false }
	t.Run("context", func(t *testing.T) {
		c := newFake(t, silent).dial(Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		err := c.Ping(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("err = %v, want DeadlineExceeded and ErrOutcomeUnknown", err)
		}
	})
	t.Run("timeout option", func(t *testing.T) {
		c := newFake(t, silent).dial(Options{Timeout: 50 * time.Millisecond})
		if err := c.Ping(context.Background()); !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("err = %v, want os.ErrDeadlineExceeded", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		// The fake cancels when the command arrives, so the client is
		// blocked reading when it happens.
		c := newFake(t, func(string) (string, bool) { cancel(); return "", false }).dial(Options{})
		if err := c.Ping(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if err := c.Ping(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("with a cancelled context: %v", err)
		}
	})
}

// Concurrent callers take turns: each gets the reply to its own command.
func TestConcurrentUse(t *testing.T) {
	f := newFake(t, func(line string) (string, bool) {
		file := strings.TrimPrefix(line, "PENDING ")
		return "1 updates pending\n" + file + "\n", false
	})
	c := f.dial(Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				file := fmt.Sprintf("/g%d/f%d.rrd", g, i)
				got, err := c.Pending(context.Background(), file)
				if err != nil || len(got) != 1 || got[0] != file {
					errs <- fmt.Errorf("PENDING %s = %q, %v", file, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := f.connections(); n != 1 {
		t.Errorf("connections = %d, want 1", n)
	}
}

func TestClosed(t *testing.T) {
	c := newFake(t, script("0 PONG\n")).dial(Options{})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(context.Background()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Ping after Close = %v", err)
	}
}

// Close interrupts a command waiting for its reply.
func TestCloseInterrupts(t *testing.T) {
	arrived := make(chan struct{})
	f := newFake(t, func(string) (string, bool) { close(arrived); return "", false })
	c := f.dial(Options{})
	done := make(chan error)
	go func() { done <- c.Ping(context.Background()) }()
	<-arrived
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, net.ErrClosed) {
		t.Errorf("interrupted Ping = %v, want ErrOutcomeUnknown and net.ErrClosed", err)
	}
}

// brokenConn passes writes until the failAt-th (0-based), which hands n
// bytes to the daemon and then fails with EPIPE, like a unix socket whose
// daemon has gone.
type brokenConn struct {
	net.Conn
	failAt, n, writes int
}

func (b *brokenConn) Write(p []byte) (int, error) {
	b.writes++
	if b.writes-1 != b.failAt {
		return b.Conn.Write(p)
	}
	n, _ := b.Conn.Write(p[:b.n])
	return n, &net.OpError{Op: "write", Net: "unix", Err: os.NewSyscallError("write", syscall.EPIPE)}
}

// A write refused before it took a byte is retried once on a new
// connection; one that took part of a line is not retried but is known not
// to have been applied; one that took a whole line may have been.
func TestWriteFailures(t *testing.T) {
	pending := func(c *Client) error { _, err := c.Pending(context.Background(), "/x.rrd"); return err }
	batch := func(c *Client) error {
		_, err := c.Batch(context.Background(), []Command{
			{Name: "SUSPEND", File: "/a.rrd"}, {Name: "RESUME", File: "/a.rrd"}})
		return err
	}
	tests := []struct {
		name      string
		call      func(*Client) error
		failAt, n int
		want      error
		unknown   bool
		received  string
	}{
		{"nothing taken", pending, 0, 0, nil, false, "PENDING /x.rrd"},
		{"part of the line", pending, 0, 3, syscall.EPIPE, false, ""},
		{"batch body cut", batch, 1, len("SUSPEND /a.rrd\n"), syscall.EPIPE, true, "BATCH|SUSPEND /a.rrd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(string) (string, bool) { return "0 updates pending\n", false })
			c := f.dial(Options{})
			c.mu.Lock()
			c.conn = &brokenConn{Conn: c.conn, failAt: tt.failAt, n: tt.n}
			c.mu.Unlock()
			err := tt.call(c)
			if err != nil {
				f.waitEnded() // the client dropped the connection
			}
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) || errors.Is(err, ErrOutcomeUnknown) != tt.unknown {
				t.Errorf("err = %v, want %v (outcome unknown: %v)", err, tt.want, tt.unknown)
			}
			if got := strings.Join(f.received(), "|"); got != tt.received {
				t.Errorf("daemon received %q, want %q", got, tt.received)
			}
		})
	}
}
