package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// maxMessage bounds one DevTools message; a full-page PNG screenshot of a
// large window, base64-encoded, is the biggest thing Chromium sends.
const maxMessage = 64 << 20

// errClosed reports that Chromium closed its end of the pipe.
var errClosed = errors.New("browser: DevTools pipe closed")

// rpcError is an error answer of the DevTools protocol.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data,omitempty"`
}

func (e *rpcError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("%s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("%s (%d)", e.Message, e.Code)
}

// message is one DevTools message in either direction: a command (ID and
// Method), its answer (ID with Result or Error) or an event (Method only).
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *rpcError       `json:"error,omitempty"`
}

// eventFunc receives the events of one session. It runs on the reader
// goroutine, so it must not block and must not send commands.
type eventFunc func(method string, params json.RawMessage)

// conn is a DevTools client on a pipe pair: commands are written to w,
// answers and events read from r, each message ended by a NUL byte.
type conn struct {
	wmu sync.Mutex // serialises writes
	w   io.Writer

	mu       sync.Mutex
	next     int64
	calls    map[int64]chan message
	sessions map[string]eventFunc
	err      error         // why the reader stopped, set before done closes
	done     chan struct{} // closed when the reader stops
}

func newConn(r io.Reader, w io.Writer) *conn {
	c := &conn{
		w:        w,
		calls:    make(map[int64]chan message),
		sessions: make(map[string]eventFunc),
		done:     make(chan struct{}),
	}
	go c.read(bufio.NewReaderSize(r, 1<<16))
	return c
}

// read dispatches every message until the pipe ends.
func (c *conn) read(r *bufio.Reader) {
	err := c.readLoop(r)
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
	close(c.done)
}

func (c *conn) readLoop(r *bufio.Reader) error {
	for {
		b, err := readMessage(r)
		if err != nil {
			return err
		}
		var m message
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("browser: undecodable DevTools message: %v", err)
		}
		c.mu.Lock()
		if m.ID != 0 {
			ch := c.calls[m.ID]
			delete(c.calls, m.ID)
			c.mu.Unlock()
			if ch != nil {
				ch <- m // buffered: never blocks
			}
			continue
		}
		f := c.sessions[m.SessionID]
		c.mu.Unlock()
		if f != nil {
			f(m.Method, m.Params)
		}
	}
}

// readMessage returns the bytes up to the next NUL.
func readMessage(r *bufio.Reader) ([]byte, error) {
	var msg []byte
	for {
		chunk, err := r.ReadSlice(0)
		msg = append(msg, chunk...)
		switch {
		case err == nil:
			return msg[:len(msg)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			if len(msg) > maxMessage {
				return nil, fmt.Errorf("browser: DevTools message over %d bytes", maxMessage)
			}
		case errors.Is(err, io.EOF):
			return nil, errClosed
		default:
			return nil, err
		}
	}
}

// subscribe routes the events of session to f; "" is the browser session.
func (c *conn) subscribe(session string, f eventFunc) {
	c.mu.Lock()
	c.sessions[session] = f
	c.mu.Unlock()
}

// unsubscribe drops the routing of session's events.
func (c *conn) unsubscribe(session string) {
	c.mu.Lock()
	delete(c.sessions, session)
	c.mu.Unlock()
}

// call sends method with params to session and decodes the result into
// result (which may be nil).
func (c *conn) call(ctx context.Context, session, method string, params, result any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	if params == nil {
		raw = nil
	}
	ch := make(chan message, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	c.next++
	id := c.next
	c.calls[id] = ch
	c.mu.Unlock()

	b, err := json.Marshal(message{ID: id, SessionID: session, Method: method, Params: raw})
	if err == nil {
		c.wmu.Lock()
		_, err = c.w.Write(append(b, 0))
		c.wmu.Unlock()
	}
	if err != nil {
		c.forget(id)
		return fmt.Errorf("browser: sending %s: %w", method, err)
	}
	var m message
	select {
	case m = <-ch:
	case <-c.done:
		select {
		case m = <-ch: // answered just before the pipe closed
		default:
			c.forget(id)
			return fmt.Errorf("browser: %s: %w", method, c.closeErr())
		}
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("browser: %s: %w", method, ctx.Err())
	}
	if m.Error != nil {
		return fmt.Errorf("browser: %s: %w", method, m.Error)
	}
	if result == nil {
		return nil
	}
	return json.Unmarshal(m.Result, result)
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.calls, id)
	c.mu.Unlock()
}

func (c *conn) closeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
