package rrdcached

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// DefaultTimeout bounds a command (and a dial) when neither the context nor
// Options.Timeout sets an earlier deadline. FLUSH waits until the file is
// written, which on a busy daemon takes a while, hence not less.
const DefaultTimeout = 30 * time.Second

// Options tune a Client. The zero value is usable.
type Options struct {
	// Timeout bounds every command, including dialling, unless the
	// context's deadline is earlier. Zero means DefaultTimeout.
	Timeout time.Duration
	// BaseDir is the local path of the directory the daemon serves with
	// -b, normally gmetad's rrd_rootdir. File names under it (or relative
	// to it) are sent relative over TCP and absolute over a unix socket;
	// see the package documentation.
	BaseDir string
}

// Client is one connection to rrdcached. Its methods may be called from
// several goroutines; a mutex makes them take turns, so each command's
// reply is read before the next command is sent. Give each busy worker its
// own Client (the daemon serves each connection with its own thread).
type Client struct {
	addr    Address
	timeout time.Duration
	paths   pathMapper

	closed atomic.Bool // set first by Close, so nothing dials again

	mu   sync.Mutex // held for a whole exchange
	conn net.Conn   // nil after a failure: the next command dials
	br   *bufio.Reader

	liveMu sync.Mutex // guards live and gen for interrupt
	live   net.Conn
	gen    uint64
}

// op is the state of one exchange: its context and its deadline.
type op struct {
	ctx      context.Context
	deadline time.Time
	ctxDue   bool // deadline is the context's
}

// Dial parses addr (see ParseAddress; "" means RRDCACHED_ADDRESS) and
// connects, so that a wrong address or a daemon that is down shows at
// start-up rather than at the first update.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	var a Address
	var err error
	if addr == "" {
		a, err = AddressFromEnv()
	} else {
		a, err = ParseAddress(addr)
	}
	if err != nil {
		return nil, err
	}
	paths, err := newPathMapper(a.Network == "unix", opts.BaseDir)
	if err != nil {
		return nil, err
	}
	c := &Client{addr: a, timeout: opts.Timeout, paths: paths}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	err = c.do(ctx, func(o *op) error { return c.connect(o) })
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Addr returns the daemon's address.
func (c *Client) Addr() Address { return c.addr }

// Close closes the connection, interrupting a command in progress (which
// then fails, with ErrOutcomeUnknown if its line was sent). Commands after
// Close fail with net.ErrClosed.
func (c *Client) Close() error {
	c.closed.Store(true)
	c.liveMu.Lock()
	live := c.live
	c.liveMu.Unlock()
	var err error
	if live != nil {
		err = live.Close() // unblocks a command in progress
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil && c.conn != live {
		c.conn.Close()
	}
	c.setConn(nil)
	return err
}

// do runs fn under the client's lock with the deadline of ctx (or the
// timeout) and makes cancellation of ctx interrupt blocked I/O.
func (c *Client) do(ctx context.Context, fn func(o *op) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed.Load() {
		return fmt.Errorf("rrdcached: %w", net.ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rrdcached: %w", err)
	}
	o := &op{ctx: ctx, deadline: time.Now().Add(c.timeout)}
	if d, ok := ctx.Deadline(); ok && d.Before(o.deadline) {
		o.deadline, o.ctxDue = d, true
	}
	c.liveMu.Lock()
	c.gen++
	gen := c.gen
	c.liveMu.Unlock()
	stop := context.AfterFunc(ctx, func() { c.interrupt(gen) })
	defer stop()
	return fn(o)
}

// interrupt unblocks the exchange gen, if it is still running, by moving
// its connection's deadline to the past.
func (c *Client) interrupt(gen uint64) {
	c.liveMu.Lock()
	defer c.liveMu.Unlock()
	if c.gen == gen && c.live != nil {
		c.live.SetDeadline(time.Unix(1, 0))
	}
}

func (c *Client) setConn(conn net.Conn) {
	c.conn = conn
	c.liveMu.Lock()
	c.live = conn
	c.liveMu.Unlock()
}

// connect dials the daemon and installs the connection.
func (c *Client) connect(o *op) error {
	if c.closed.Load() {
		return fmt.Errorf("rrdcached: %w", net.ErrClosed)
	}
	d := net.Dialer{Deadline: o.deadline}
	conn, err := d.DialContext(o.ctx, c.addr.Network, c.addr.Addr)
	if err != nil {
		return fmt.Errorf("rrdcached: dial %s: %w", c.addr, err)
	}
	conn.SetDeadline(o.deadline)
	if c.br == nil {
		c.br = bufio.NewReaderSize(conn, maxReplyLine)
	} else {
		c.br.Reset(conn)
	}
	c.setConn(conn)
	return nil
}

// drop closes a connection that can no longer be trusted to be in step.
func (c *Client) drop() {
	if c.conn != nil {
		c.conn.Close()
		c.setConn(nil)
	}
}

// exchange sends one command line and reads its reply; a refusal comes
// back as a *ServerError.
func (c *Client) exchange(o *op, name string, line []byte) (reply, error) {
	if err := c.send(o, name, line); err != nil {
		return reply{}, err
	}
	r, err := c.receive(o, name)
	if err != nil {
		return reply{}, err
	}
	return r, r.err(name)
}

// send writes payload, reconnecting at most once, and only while none of
// payload can have reached the daemon: when the daemon hung up since the
// last reply (a restart, a firewall dropping an idle TCP connection), or
// when the write fails with EPIPE/ECONNRESET before taking a byte.
func (c *Client) send(o *op, name string, payload []byte) error {
	redialed, err := c.ready(o, name)
	if err != nil {
		return err
	}
	n, err := c.conn.Write(payload)
	if err != nil && n == 0 && !redialed && connGone(err) {
		c.drop()
		if _, err := c.ready(o, name); err != nil {
			return err
		}
		n, err = c.conn.Write(payload)
	}
	if err != nil {
		c.drop()
		// Only complete lines are executed: bytes after the last
		// newline handed to the kernel never count.
		sent := bytes.IndexByte(payload[:n], '\n') >= 0
		return c.ioError(o, name, err, sent)
	}
	return nil
}

// ready leaves a connection in c.conn that is in step and armed with the
// exchange's deadline, dialling when there is none or when the daemon has
// closed the old one.
func (c *Client) ready(o *op, name string) (redialed bool, err error) {
	if c.conn != nil {
		c.conn.SetDeadline(o.deadline)
		if c.br.Buffered() > 0 || peerClosed(c.conn) {
			c.drop()
		}
	}
	if c.conn == nil {
		if err := c.connect(o); err != nil {
			return false, err
		}
		redialed = true
	}
	// Checked after the deadline is set: a cancellation that came
	// before has been overwritten, one that comes after still lands.
	if err := o.ctx.Err(); err != nil {
		return redialed, fmt.Errorf("rrdcached: %s: %w", name, err)
	}
	return redialed, nil
}

// write sends payload on the current connection with no reconnect, for
// the body of a BATCH, which must follow its handshake on the same stream.
func (c *Client) write(o *op, name string, payload []byte) error {
	if c.conn == nil {
		return c.ioError(o, name, net.ErrClosed, false)
	}
	n, err := c.conn.Write(payload)
	if err != nil {
		c.drop()
		return c.ioError(o, name, err, bytes.IndexByte(payload[:n], '\n') >= 0)
	}
	return nil
}

// receive reads one reply. Any failure leaves the stream out of step, so
// the connection is dropped; the command is not resent.
func (c *Client) receive(o *op, name string) (reply, error) {
	r, err := readReply(c.br)
	if err != nil {
		c.drop()
		return reply{}, c.ioError(o, name, err, true)
	}
	return r, nil
}

// ioError describes a transport failure; a cancelled context is reported
// as such rather than as the i/o timeout used to interrupt the exchange.
func (c *Client) ioError(o *op, name string, err error, sent bool) error {
	ctxErr := o.ctx.Err()
	if ctxErr == nil && o.ctxDue && errors.Is(err, os.ErrDeadlineExceeded) {
		// The socket deadline fired a moment before the context's timer.
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	if sent {
		return fmt.Errorf("rrdcached: %s: %w: %w", name, ErrOutcomeUnknown, err)
	}
	return fmt.Errorf("rrdcached: %s: %w", name, err)
}

// connGone reports the errors of writing to a connection the daemon has
// closed: EPIPE on a unix socket, ECONNRESET after a TCP reset.
func connGone(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
