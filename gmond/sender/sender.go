package sender

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Defaults and limits.
const (
	// DefaultErrorInterval is how often a failing channel may be logged.
	DefaultErrorInterval = time.Minute
	// resolveEvery bounds how often a send error makes a channel look its
	// collector's name up again.
	resolveEvery = time.Minute
	// resolveTimeout bounds one name lookup in New and Retarget.
	resolveTimeout = 10 * time.Second
)

// Errors returned by Serve and Retarget.
var (
	ErrServing   = errors.New("sender: Serve already called")
	ErrNoUnicast = errors.New("sender: no unicast channel to retarget")
	ErrClosed    = errors.New("sender: closed")
)

// Channel is one udp_send_channel (PROTOCOL.md §2.1).
type Channel struct {
	// Host and Port are the destination. A host name is resolved at New
	// and on Retarget, and again after a send error at most once a minute.
	Host string
	Port int
	// McastJoin makes the channel multicast to this group instead of Host
	// (stock gives mcast_join precedence the same way). McastIf names the
	// outgoing interface and TTL the hop limit; 0 means stock's default 1.
	// Multicast is supported on Linux only; New fails elsewhere.
	McastJoin, McastIf string
	TTL                int
	// Bind fixes the source address (stock bind). BindHostname binds to
	// the address of os.Hostname() instead (stock bind_hostname); the two
	// exclude each other.
	Bind         string
	BindHostname bool
	// SourcePort fixes the source port (0 = any), so firewall rules on the
	// collector side can match it. Channels with the same source address
	// and SourcePort share one socket and send with sendto per
	// destination; a SourcePort that another channel binds on a different
	// but overlapping address (wildcard and specific) fails at New.
	SourcePort int
}

// Options configure a Sender.
type Options struct {
	Channels []Channel
	// Logger receives throttled channel errors; nil discards.
	Logger *slog.Logger
	// OnRequest is called for every gmetadata_request (id 136) read from a
	// send socket. It may be called from several goroutines at once and
	// must not block for long. Nil ignores requests (they are still
	// counted).
	OnRequest func(xdr.MetricID)
	// Now is the clock of the error throttle and of re-resolution;
	// default time.Now.
	Now func() time.Time
	// ErrorInterval is how often one failing channel may be logged (default
	// 60 s); the next line carries the count of errors suppressed since.
	// Negative logs every error.
	ErrorInterval time.Duration
}

// Stats are a Sender's counters since New.
type Stats struct {
	Sent       uint64 // datagrams sent, one per channel and Send
	SendErrors uint64 // failed sends, and ICMP errors reported for a channel
	Requests   uint64 // gmetadata_request messages read and passed on
	Dropped    uint64 // other datagrams read and dropped, Malformed included
	Malformed  uint64 // datagrams that did not decode (or were oversize)
}

// Sender sends every packet to every channel. Create it with New, read the
// requests coming back with Serve, and stop it with Close.
type Sender struct {
	log       *slog.Logger
	now       func() time.Time
	throttle  *logthrottle.Throttle
	onRequest func(xdr.MetricID)
	lookup    lookupFunc
	hostname  func() (string, error)

	socks []*sock
	chans []*channel

	mu         sync.Mutex              // serialises writers of routes
	retargetMu sync.Mutex              // serialises Retarget calls
	routes     atomic.Pointer[[]route] // one per channel, replaced whole

	ctx     context.Context // cancelled by Close; bounds background lookups
	cancel  context.CancelFunc
	wg      sync.WaitGroup // background lookups
	done    chan struct{}
	closed  atomic.Bool
	serving atomic.Bool
	once    sync.Once
	errs    error

	sent, sendErrors, requests, dropped, malformed atomic.Uint64
}

// sock is one UDP socket, shared by the channels with the same bind.
type sock struct {
	conn   *net.UDPConn
	raw    syscall.RawConn
	family int    // address family for sendto (0 where unknown)
	local  string // bound address, for logs
	mcast  *mcastOpts
}

// channel is the fixed part of a configured channel.
type channel struct {
	cfg         Channel
	sock        *sock
	mcast       bool
	fam         int // address family the destination must have: 4, 6 or 0 (any)
	key         string
	resolving   atomic.Bool
	lastResolve atomic.Int64 // Now().UnixNano() of the last lookup
}

// route is where a channel sends now. Routes are immutable; writers
// replace the whole slice so that Send sees every channel's route from one
// moment.
type route struct {
	host string // name as configured or retargeted, for Targets and logs
	port int
	dst  netip.AddrPort
}

func (r route) String() string { return net.JoinHostPort(r.host, strconv.Itoa(r.port)) }

// New resolves every channel's addresses and opens its socket, bound as
// configured. It starts no goroutine.
func New(opts Options) (*Sender, error) {
	return newSender(opts, defaultLookup, os.Hostname)
}

func newSender(opts Options, lookup lookupFunc, hostname func() (string, error)) (*Sender, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ErrorInterval == 0 {
		opts.ErrorInterval = DefaultErrorInterval
	}
	s := &Sender{
		log:       opts.Logger,
		now:       opts.Now,
		throttle:  logthrottle.New(opts.Logger, opts.ErrorInterval).WithClock(opts.Now),
		onRequest: opts.OnRequest,
		lookup:    lookup,
		hostname:  hostname,
		done:      make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	routes, err := s.open(opts.Channels)
	if err != nil {
		s.cancel()
		for _, sk := range s.socks {
			sk.conn.Close()
		}
		return nil, err
	}
	s.routes.Store(&routes)
	return s, nil
}

// Targets returns "host:port" of every channel, in configuration order.
func (s *Sender) Targets() []string {
	rs := *s.routes.Load()
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// Stats returns the counters.
func (s *Sender) Stats() Stats {
	return Stats{
		Sent:       s.sent.Load(),
		SendErrors: s.sendErrors.Load(),
		Requests:   s.requests.Load(),
		Dropped:    s.dropped.Load(),
		Malformed:  s.malformed.Load(),
	}
}

// Close closes every socket, which ends Serve, and writes the error counts
// the throttle still holds. Send does nothing afterwards. Further calls
// return the first call's result.
func (s *Sender) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		s.cancel()
		var errs []error
		for _, sk := range s.socks {
			if err := sk.conn.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		close(s.done)
		s.wg.Wait()
		s.throttle.Flush(context.Background())
		s.errs = errors.Join(errs...)
	})
	return s.errs
}
