package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"strings"
	"testing"
)

// listener is a decode --listen running in a goroutine, its output read
// through pipes so the test waits for lines instead of sleeping.
type listener struct {
	addr   string
	out    *bufio.Scanner
	stderr chan string // the rest of stderr once the command returns
	code   chan int
	cancel context.CancelFunc
}

func startListen(t *testing.T, args ...string) *listener {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	l := &listener{out: bufio.NewScanner(outR), stderr: make(chan string, 1), code: make(chan int, 1), cancel: cancel}
	e := &env{stdin: strings.NewReader(""), stdout: outW, stderr: errW, now: fixedNow}
	go func() {
		l.code <- run(ctx, e, append([]string{"decode", "--listen", "127.0.0.1:0"}, args...))
		outW.Close()
		errW.Close()
	}()
	errLines := bufio.NewScanner(errR)
	if !errLines.Scan() {
		t.Fatal("no output on stderr")
	}
	first := errLines.Text()
	l.addr = strings.TrimPrefix(first, "decode: listening on udp ")
	if l.addr == first {
		t.Fatalf("first stderr line %q", first)
	}
	go func() {
		var rest strings.Builder
		for errLines.Scan() {
			rest.WriteString(errLines.Text() + "\n")
		}
		l.stderr <- rest.String()
	}()
	t.Cleanup(cancel)
	return l
}

// stop cancels the command as SIGINT would and returns its exit code and the
// rest of its stderr.
func (l *listener) stop() (int, string) {
	l.cancel()
	for l.out.Scan() { // drain, so a late write cannot block the command
	}
	return <-l.code, <-l.stderr
}

func (l *listener) line(t *testing.T) string {
	t.Helper()
	if !l.out.Scan() {
		t.Fatal("decode --listen ended early")
	}
	return l.out.Text()
}

func dial(t *testing.T, addr string) *net.UDPConn {
	t.Helper()
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestListen(t *testing.T) {
	p2, err := os.ReadFile("testdata/0002.bin")
	if err != nil {
		t.Fatal(err)
	}
	l := startListen(t)
	c := dial(t, l.addr)
	from := c.LocalAddr().String()
	c.Write(p2)
	want := "23:18:57.163176 " + from + ` gmetric_uint host="lpar01.example.com:lpar01.example.com" name="heartbeat" spoof=true fmt="%u" value=1795303137 val="1795303137"`
	if got := l.line(t); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	c.Write(make([]byte, 1500))
	want = "23:18:57.163176 error: xdr: decoding packet at byte 1472: packet larger than the protocol allows (1500 bytes, from " + from + ")"
	if got := l.line(t); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	code, stderr := l.stop()
	if code != exitOK || stderr != "decode: 2 packets: 1 decoded, 1 failed\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestListenJSON(t *testing.T) {
	l := startListen(t, "--json")
	c := dial(t, l.addr)
	c.Write([]byte("\x00\x00\x00\x88\x00\x00\x00\x02vm\x00\x00\x00\x00\x00\x06orphan\x00\x00\x00\x00\x00\x00"))
	var got map[string]any
	if err := json.Unmarshal([]byte(l.line(t)), &got); err != nil {
		t.Fatal(err)
	}
	if got["kind"] != "gmetadata_request" || got["from"] != c.LocalAddr().String() ||
		got["name"] != "orphan" || got["time"] != "2026-11-21T23:18:57.163176Z" {
		t.Errorf("got %v", got)
	}
	if code, _ := l.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}
}

// TestListenRebind stops and restarts the listener on the same port: the
// socket must be closed when the command returns.
func TestListenRebind(t *testing.T) {
	l := startListen(t)
	addr := l.addr
	for range 5 {
		if code, _ := l.stop(); code != exitOK {
			t.Fatalf("exit %d", code)
		}
		l = startListenOn(t, addr)
	}
	l.stop()
}

func startListenOn(t *testing.T, addr string) *listener {
	t.Helper()
	// The later --listen wins over the one startListen puts first.
	return startListen(t, "--listen", addr)
}

func TestListenBadAddress(t *testing.T) {
	r := runCmd(t, nil, "decode", "--listen", "256.0.0.1:1")
	if r.code != exitFailed || !strings.Contains(r.stderr, "ganglia-lpm decode: listen udp") {
		t.Errorf("got %s", r)
	}
}
