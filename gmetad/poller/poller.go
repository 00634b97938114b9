package poller

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// DataSource is one data_source line of gmetad.conf (PROTOCOL.md §4.2).
type DataSource struct {
	Name  string        // label for logs; the cluster is named by its XML (Q8)
	Step  time.Duration // polling interval; 0 means gmetad's default 15 s
	Addrs []string      // host:port (port 8649 when absent), tried in order
}

// Options configure a Poller. Zero fields take the defaults.
type Options struct {
	// Timeout is the inactivity limit of each read (default 10 s, as
	// gmetad's poll): a slow dump is fine while bytes keep flowing (Q15).
	// It also bounds each connect.
	Timeout time.Duration
	// Dial connects to an address (default: net.Dialer with Timeout).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock of reports and of the polling schedule.
	Now func() time.Time
	// After waits between polls (default time.After); tests inject a fake.
	After func(time.Duration) <-chan time.Time
	// Rand returns a number in [0, 1) for the ±5 % jitter (default
	// math/rand/v2).
	Rand   func() float64
	Logger *slog.Logger
	// OnReport receives every report Run gets, a partial one included.
	OnReport func(*Report)
	// OnError receives every failure of Run's polls, as a *PollError.
	OnError func(error)
	Parse   ParseOptions
}

// Defaults of Options and DataSource.
const (
	DefaultTimeout = 10 * time.Second
	DefaultStep    = 15 * time.Second
	DefaultPort    = "8649"
	// jitter is gmetad's SLEEP_RANDOMIZE: the sleep varies by ±5 %.
	jitter = 0.05
)

// ErrUnreachable: no address of the data source accepted a connection.
var ErrUnreachable = errors.New("poller: no address of the data source answers")

// PollError is a failed poll. Dead is set for connect and read failures,
// which mark the source dead as in gmetad (§4.3); a parse error leaves it
// alive.
type PollError struct {
	Source string // data source name
	Addr   string // the address involved; all of them for ErrUnreachable
	Dead   bool
	Err    error
}

func (e *PollError) Error() string {
	return fmt.Sprintf("data source %q (%s): %v", e.Source, e.Addr, e.Err)
}

func (e *PollError) Unwrap() error { return e.Err }

// Poller polls one data source, like one data_thread of gmetad.
type Poller struct {
	ds   DataSource
	opts Options
	log  *slog.Logger

	mu       sync.Mutex
	good     int // index of the address to try first, -1 for none
	dead     bool
	lastGood time.Time
}

// New returns a Poller for ds. It does not connect; Run or Poll do.
func New(ds DataSource, opts Options) *Poller {
	if ds.Step <= 0 {
		ds.Step = DefaultStep
	}
	ds.Addrs = withPorts(ds.Addrs)
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Dial == nil {
		opts.Dial = (&net.Dialer{Timeout: opts.Timeout}).DialContext
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.After == nil {
		opts.After = time.After
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{ds: ds, opts: opts, log: log.With("source", ds.Name), good: -1}
}

// Dead reports whether the last poll failed to connect or read.
func (p *Poller) Dead() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dead
}

// LastGood returns when a document was last read completely (zero if
// never).
func (p *Poller) LastGood() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastGood
}

// Addr returns the address the next poll tries first, "" if none.
func (p *Poller) Addr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.good < 0 {
		return ""
	}
	return p.ds.Addrs[p.good]
}

// Run polls until ctx ends, then returns nil. Each round delivers the
// report to OnReport and any error to OnError, then sleeps the step ±5 %
// minus the time the round took, as gmetad's data_thread does.
func (p *Poller) Run(ctx context.Context) error {
	for {
		start := p.opts.Now()
		rep, err := p.Poll(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if rep != nil && p.opts.OnReport != nil {
			p.opts.OnReport(rep)
		}
		if err != nil && p.opts.OnError != nil {
			p.opts.OnError(err)
		}
		wait := p.sleepTime(p.opts.Now().Sub(start))
		if wait <= 0 {
			p.log.Warn("data source poll took longer than its step", "step", p.ds.Step)
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-p.opts.After(wait):
		}
	}
}

// sleepTime is step × (1 ± 5 %) − elapsed.
func (p *Poller) sleepTime(elapsed time.Duration) time.Duration {
	factor := 1 + jitter*(2*p.opts.Rand()-1)
	return time.Duration(math.Round(float64(p.ds.Step)*factor)) - elapsed
}

// Poll runs one round: connect (failover), read until EOF, parse. It
// returns the report when a document was read, even a partial one, and a
// *PollError when anything failed. On a connect or read failure, or a gzip
// stream that does not inflate, it returns no report and marks the source
// dead (§4.3): a half-read dump is not used.
func (p *Poller) Poll(ctx context.Context) (*Report, error) {
	conn, idx, err := p.connect(ctx)
	if err != nil {
		return nil, err
	}
	addr := p.ds.Addrs[idx]
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	rd := &timeoutReader{conn: conn, timeout: p.opts.Timeout}
	rep, perr := Parse(rd, p.opts.Now(), p.opts.Parse)
	if ctx.Err() != nil {
		return nil, &PollError{Source: p.ds.Name, Addr: addr, Err: ctx.Err()}
	}
	if rd.err != nil {
		p.readFailed(idx)
		p.log.Warn("data source read failed", "addr", addr, "bytes", rd.n, "err", rd.err)
		return nil, &PollError{Source: p.ds.Name, Addr: addr, Dead: true, Err: fmt.Errorf("%w: %w", ErrRead, rd.err)}
	}
	if errors.Is(perr, ErrGzip) {
		p.inflateFailed()
		p.log.Warn("data source sent a broken gzip stream", "addr", addr, "bytes", rd.n, "err", perr)
		return nil, &PollError{Source: p.ds.Name, Addr: addr, Dead: true, Err: perr}
	}
	p.readOK(idx)
	p.logReport(addr, rd.n, rep, perr)
	if perr != nil {
		if rep.Kind == "" {
			rep = nil
		}
		return rep, &PollError{Source: p.ds.Name, Addr: addr, Err: perr}
	}
	return rep, nil
}

func (p *Poller) logReport(addr string, n int64, rep *Report, err error) {
	if err != nil {
		p.log.Warn("data source document is incomplete", "addr", addr, "bytes", n, "err", err)
	}
	if bad := rep.Skipped[ReasonMalformed]; bad > 0 && len(rep.Errors) > 0 {
		p.log.Warn("data source document has malformed lines; skipped them", "addr", addr,
			"malformed", bad, "first", rep.Errors[0])
	}
	p.log.Debug("data source polled", "addr", addr, "bytes", n, "kind", rep.Kind, "skipped", rep.Skipped)
}
