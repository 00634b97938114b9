package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// fakePeer plays Chromium's end of the pipe: it answers each command with
// answer(m) and can push events.
type fakePeer struct {
	in  *bufio.Reader // commands from the conn
	out io.Writer     // answers and events to the conn
}

func newFake(t *testing.T) (*conn, *fakePeer, func()) {
	t.Helper()
	cmdR, cmdW := io.Pipe()
	evR, evW := io.Pipe()
	c := newConn(evR, cmdW)
	stop := func() {
		evW.Close()
		cmdR.Close()
		<-c.done
	}
	t.Cleanup(stop)
	return c, &fakePeer{in: bufio.NewReader(cmdR), out: evW}, stop
}

func (f *fakePeer) next(t *testing.T) message {
	b, err := readMessage(f.in)
	if err != nil {
		t.Error(err)
		return message{}
	}
	var m message
	if err := json.Unmarshal(b, &m); err != nil {
		t.Error(err)
	}
	return m
}

func (f *fakePeer) send(t *testing.T, m message) {
	b, _ := json.Marshal(m)
	if _, err := f.out.Write(append(b, 0)); err != nil {
		t.Error(err)
	}
}

func TestConnCallAndEvents(t *testing.T) {
	c, peer, _ := newFake(t)
	events := make(chan string, 4)
	c.subscribe("S1", func(method string, params json.RawMessage) { events <- method + " " + string(params) })

	go func() {
		m := peer.next(t)
		// An event of the session and one of another session come first.
		peer.send(t, message{SessionID: "S1", Method: "Page.loadEventFired", Params: json.RawMessage(`{"timestamp":1}`)})
		peer.send(t, message{SessionID: "S2", Method: "Page.loadEventFired", Params: json.RawMessage(`{}`)})
		peer.send(t, message{ID: m.ID, SessionID: m.SessionID,
			Result: json.RawMessage(`{"echo":` + string(m.Params) + `,"method":"` + m.Method + `"}`)})
		m = peer.next(t)
		peer.send(t, message{ID: m.ID, Error: &rpcError{Code: -32601, Message: "'Nope.nope' wasn't found"}})
	}()

	var res struct {
		Echo   map[string]int
		Method string
	}
	if err := c.call(context.Background(), "S1", "Runtime.evaluate", map[string]int{"x": 7}, &res); err != nil {
		t.Fatal(err)
	}
	if res.Method != "Runtime.evaluate" || res.Echo["x"] != 7 {
		t.Errorf("result = %+v", res)
	}
	if got := <-events; got != `Page.loadEventFired {"timestamp":1}` {
		t.Errorf("event = %q", got)
	}
	err := c.call(context.Background(), "", "Nope.nope", nil, nil)
	var rpc *rpcError
	if !errors.As(err, &rpc) || rpc.Code != -32601 {
		t.Errorf("error = %v, want the rpcError", err)
	}
	select {
	case e := <-events:
		t.Errorf("event of another session delivered: %s", e)
	default:
	}
}

func TestConnClosed(t *testing.T) {
	c, peer, stop := newFake(t)
	go func() {
		peer.next(t)
		stop() // Chromium dies without answering
	}()
	err := c.call(context.Background(), "", "Browser.getVersion", nil, nil)
	if !errors.Is(err, errClosed) {
		t.Errorf("error = %v, want errClosed", err)
	}
	if err := c.call(context.Background(), "", "Browser.getVersion", nil, nil); !errors.Is(err, errClosed) {
		t.Errorf("call after close: %v, want errClosed", err)
	}
}

func TestConnTimeout(t *testing.T) {
	c, peer, _ := newFake(t)
	go peer.next(t) // read, never answer
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.call(ctx, "", "Page.navigate", nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want DeadlineExceeded", err)
	}
	c.mu.Lock()
	n := len(c.calls)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("%d calls still registered after the timeout", n)
	}
}

func TestReadMessage(t *testing.T) {
	big := strings.Repeat("x", 200_000) // larger than the reader's buffer
	r := bufio.NewReaderSize(strings.NewReader("{}\x00"+big+"\x00tail"), 16)
	for _, want := range []string{"{}", big} {
		got, err := readMessage(r)
		if err != nil || string(got) != want {
			t.Fatalf("readMessage = %.20q, %v; want %.20q", got, err, want)
		}
	}
	if _, err := readMessage(r); !errors.Is(err, errClosed) {
		t.Errorf("unterminated tail: %v, want errClosed", err)
	}
}

func TestMessageText(t *testing.T) {
	ev := consoleEvent{Type: "warning", Args: []remoteObject{
		{Type: "string", Value: json.RawMessage(`"n ="`)},
		{Type: "number", Value: json.RawMessage(`3.5`), Description: "3.5"},
		{Type: "number", UnserializableValue: "NaN"},
		{Type: "object", Description: "Array(2)"},
		{Type: "undefined"},
	}}
	m := ev.message()
	if m.Level != "warning" || m.Text != "n = 3.5 NaN Array(2) undefined" {
		t.Errorf("message = %+v", m)
	}
}

// FuzzConn feeds arbitrary bytes to the reader: it must end with an error,
// never panic, and leave no call waiting.
func FuzzConn(f *testing.F) {
	f.Add([]byte(`{"id":1,"result":{}}` + "\x00" + `{"method":"x","sessionId":"s"}` + "\x00"))
	f.Add([]byte("\x00\x00{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newConn(bytes.NewReader(data), io.Discard)
		c.subscribe("s", func(string, json.RawMessage) {})
		<-c.done
		if c.closeErr() == nil {
			t.Fatal("reader ended without an error")
		}
	})
}
