package poller

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"
)

// withPorts adds gmond's port to addresses without one.
func withPorts(addrs []string) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			a = net.JoinHostPort(strings.Trim(a, "[]"), DefaultPort)
		}
		out[i] = a
	}
	return out
}

// connect tries the address that worked last, then the list in order
// (gmetad's failover), and remembers the one that answers.
func (p *Poller) connect(ctx context.Context) (net.Conn, int, error) {
	p.mu.Lock()
	first := p.good
	p.mu.Unlock()
	order := make([]int, 0, len(p.ds.Addrs))
	if first >= 0 {
		order = append(order, first)
	}
	for i := range p.ds.Addrs {
		if i != first {
			order = append(order, i)
		}
	}
	var errs []error
	for _, i := range order {
		conn, err := p.opts.Dial(ctx, "tcp", p.ds.Addrs[i])
		if err == nil {
			p.mu.Lock()
			p.good = i
			p.mu.Unlock()
			return conn, i, nil
		}
		if ctx.Err() != nil {
			return nil, -1, &PollError{Source: p.ds.Name, Addr: p.ds.Addrs[i], Err: ctx.Err()}
		}
		p.log.Warn("data source address does not answer", "addr", p.ds.Addrs[i], "err", err)
		errs = append(errs, err)
	}
	p.mu.Lock()
	p.good, p.dead = -1, true
	p.mu.Unlock()
	err := fmt.Errorf("%w: no address configured", ErrUnreachable)
	if len(errs) > 0 {
		err = fmt.Errorf("%w: %w", ErrUnreachable, errors.Join(errs...))
	}
	return nil, -1, &PollError{Source: p.ds.Name, Addr: strings.Join(p.ds.Addrs, " "), Dead: true, Err: err}
}

// readFailed marks the source dead and moves the first choice to the next
// address, or back to the list's start after the last (data_thread.c).
func (p *Poller) readFailed(idx int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dead = true
	p.good = idx + 1
	if p.good >= len(p.ds.Addrs) {
		p.good = -1
	}
}

// inflateFailed marks the source dead but keeps the address: it answered,
// with a gzip stream that does not inflate (data_thread.c's InflateError).
func (p *Poller) inflateFailed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dead = true
}

func (p *Poller) readOK(idx int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dead, p.good, p.lastGood = false, idx, p.opts.Now()
}

// timeoutReader reads with a fresh deadline per read: gmetad's 10 s poll
// timeout is about inactivity, not about the whole dump (Q15). Deadlines
// are wall-clock by nature, so it uses time.Now rather than Options.Now.
type timeoutReader struct {
	conn    net.Conn
	timeout time.Duration
	n       int64
	err     error // first failure other than EOF
}

func (r *timeoutReader) Read(b []byte) (int, error) {
	// A conn that cannot take a deadline (closed, or a pipe whose peer is
	// gone) fails or ends in the Read below, which tells which.
	_ = r.conn.SetReadDeadline(time.Now().Add(r.timeout))
	n, err := r.conn.Read(b)
	r.n += int64(n)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}
