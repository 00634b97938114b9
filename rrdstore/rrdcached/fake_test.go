package rrdcached

import (
	"bufio"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake is a scripted stand-in for rrdcached on a unix socket (or TCP): it
// records every line and answers through answer. In BATCH mode it answers
// nothing until ".", then sends summary(lines) like the daemon, or hangs up
// if summary returns "".
type fake struct {
	t       *testing.T
	ln      net.Listener
	addr    string
	answer  func(line string) (reply string, hangup bool)
	summary func(lines []string) string

	ended chan struct{} // one token per connection the fake has finished

	mu    sync.Mutex
	lines []string
	conns int
	open  []net.Conn
	wg    sync.WaitGroup
}

// newFake listens on a unix socket in a short temporary directory (socket
// paths are limited to 108 bytes, and t.TempDir's names are long).
func newFake(t *testing.T, answer func(string) (string, bool)) *fake {
	t.Helper()
	dir, err := os.MkdirTemp("", "rrdc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ln, err := net.Listen("unix", filepath.Join(dir, "s"))
	if err != nil {
		t.Fatal(err)
	}
	return startFake(t, ln, "unix:"+ln.Addr().String(), answer)
}

// newTCPFake listens on a loopback TCP port.
func newTCPFake(t *testing.T, answer func(string) (string, bool)) *fake {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startFake(t, ln, ln.Addr().String(), answer)
}

func startFake(t *testing.T, ln net.Listener, addr string, answer func(string) (string, bool)) *fake {
	f := &fake{t: t, ln: ln, addr: addr, answer: answer, ended: make(chan struct{}, 100),
		summary: func([]string) string { return "0 errors\n" }}
	f.wg.Add(1)
	go f.accept()
	t.Cleanup(f.stop)
	return f
}

func (f *fake) accept() {
	defer f.wg.Done()
	for {
		conn, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.mu.Lock()
		f.conns++
		f.open = append(f.open, conn)
		f.mu.Unlock()
		f.wg.Add(1)
		go f.serve(conn)
	}
}

func (f *fake) serve(conn net.Conn) {
	defer f.wg.Done()
	defer func() {
		conn.Close()
		select {
		case f.ended <- struct{}{}:
		default:
		}
	}()
	br := bufio.NewReader(conn)
	var batch []string
	inBatch := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\n")
		f.record(line)
		var out string
		hangup := false
		switch {
		case inBatch && line == ".":
			out, inBatch, batch = f.summary(batch), false, nil
			hangup = out == ""
		case inBatch:
			batch = append(batch, line)
			continue
		case line == "BATCH":
			out, inBatch = "0 Go ahead.  End with dot '.' on its own line.\n", true
		default:
			out, hangup = f.answer(line)
		}
		if out != "" {
			if _, err := conn.Write([]byte(out)); err != nil {
				return
			}
		}
		if hangup {
			return
		}
	}
}

func (f *fake) record(line string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lines = append(f.lines, line)
}

// stop closes the listener and every connection and waits for the
// goroutines.
func (f *fake) stop() {
	f.ln.Close()
	f.mu.Lock()
	for _, c := range f.open {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// received returns the lines received so far, over all connections.
func (f *fake) received() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.lines...)
}

// waitEnded waits until the fake has read a connection to its end, so
// that every line the client managed to send has been recorded.
func (f *fake) waitEnded() {
	f.t.Helper()
	select {
	case <-f.ended:
	case <-time.After(5 * time.Second):
		f.t.Fatal("fake: no connection ended")
	}
}

func (f *fake) connections() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conns
}

// dial connects a client to the fake.
func (f *fake) dial(opts Options) *Client {
	f.t.Helper()
	c, err := Dial(context.Background(), f.addr, opts)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { c.Close() })
	return c
}

// script answers the i-th line with replies[i] ("" for none).
func script(replies ...string) func(string) (string, bool) {
	var mu sync.Mutex
	i := 0
	return func(string) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		if i >= len(replies) {
			return "-1 unexpected command\n", false
		}
		i++
		return replies[i-1], false
	}
}
