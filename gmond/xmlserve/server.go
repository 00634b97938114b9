package xmlserve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxRequest   = 2048 // stock gmetad REQUESTLEN
	DefaultReadTimeout  = 10 * time.Second
	DefaultWriteTimeout = 60 * time.Second
	DefaultMaxConns     = 128
)

// logEvery is how often each kind of per-connection error may be logged.
const logEvery = time.Minute

var (
	// ErrServing is returned by a second call of Serve.
	ErrServing = errors.New("xmlserve: Serve already called")
	// ErrRequestTooLong is logged when no line terminator came within
	// MaxRequest bytes (stock readline's overflow): the connection is
	// closed without an answer and the handler is not called.
	ErrRequestTooLong = errors.New("xmlserve: request line too long")
)

// Handler writes the answer to one connection.
type Handler interface {
	// ServeXML writes the answer for request (the request line without its
	// terminator, "" when the server reads none) to w. w is buffered and
	// flushed by the server; its writes fail once WriteTimeout has passed,
	// and ctx ends then too, or when the server is closed. The handler
	// should render from a snapshot taken without holding locks while
	// writing, so a slow client never blocks the state it reads. w must
	// not be used after ServeXML returns (its buffer is reused). A returned
	// error is counted and logged; the connection is closed either way.
	ServeXML(ctx context.Context, w io.Writer, request string, remote netip.AddrPort) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, w io.Writer, request string, remote netip.AddrPort) error

// ServeXML calls f.
func (f HandlerFunc) ServeXML(ctx context.Context, w io.Writer, request string, remote netip.AddrPort) error {
	return f(ctx, w, request, remote)
}

// Options configure a Server. The zero value serves a gmond-style dump: no
// request, no ACL.
type Options struct {
	// Allow is the ACL (gmond tcp_accept_channel acl, gmetad
	// trusted_hosts); a refused peer is closed at once with no data. nil
	// allows all. It must be safe for concurrent use.
	Allow func(netip.Addr) bool
	// ReadRequest reads one request line before answering (gmetad
	// interactive_port).
	ReadRequest bool
	// MaxRequest bounds the request line including its terminator
	// (default 2048, as stock gmetad).
	MaxRequest int
	// ReadTimeout bounds reading the request line (default 10 s; stock
	// gmetad blocks forever).
	ReadTimeout time.Duration
	// WriteTimeout bounds the whole answer (default 60 s): a client that
	// stops reading is cut off then (stock gmetad blocked all clients
	// behind one, ganglia issue #223).
	WriteTimeout time.Duration
	// MaxConns bounds connections being answered (default 128); beyond it
	// a connection is accepted and closed at once.
	MaxConns int
	// Logger receives throttled connection errors; nil discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxRequest <= 0 {
		o.MaxRequest = DefaultMaxRequest
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Stats are a Server's counters since New.
type Stats struct {
	Connections  uint64 // accepted, including rejected and overflow ones
	Rejected     uint64 // closed because Allow refused the peer
	Overflow     uint64 // closed because MaxConns connections were busy
	Requests     uint64 // answers started (the handler was called)
	Errors       uint64 // failed connections: bad request line, handler or write error, timeouts
	BytesWritten uint64 // answer bytes handed to the kernel
	Timeouts     uint64 // of Errors: read or write deadline passed
}

type counters struct {
	connections, rejected, overflow, requests, errors, bytes, timeouts atomic.Uint64
}

// Server answers connections on one listening socket. Create it with New,
// run it with Serve, stop it with Shutdown (graceful) or Close.
type Server struct {
	ln       net.Listener
	opts     Options
	log      *slog.Logger
	throttle *logthrottle.Throttle
	stats    counters

	mu      sync.Mutex
	conns   map[net.Conn]struct{} // being answered, for MaxConns and Close
	closing bool                  // Shutdown or Close was called
	serving bool
	base    context.Context // parent of handler contexts; cancelled by Close
	cancel  context.CancelFunc
	wg      sync.WaitGroup // the accept loop and every connection
	pool    sync.Pool      // of *connState
}

// New binds a TCP listener on addr ("host:port"; port 0 picks a free one,
// see Addr).
func New(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("xmlserve: %w", err)
	}
	opts = opts.withDefaults()
	base, cancel := context.WithCancel(context.Background())
	return &Server{
		ln:       ln,
		opts:     opts,
		log:      opts.Logger,
		throttle: logthrottle.New(opts.Logger, logEvery),
		conns:    make(map[net.Conn]struct{}),
		base:     base,
		cancel:   cancel,
	}, nil
}

// Addr returns the bound address, with the port the OS picked for port 0.
func (s *Server) Addr() netip.AddrPort {
	return s.ln.Addr().(*net.TCPAddr).AddrPort()
}

// Stats returns the counters.
func (s *Server) Stats() Stats {
	c := &s.stats
	return Stats{
		Connections:  c.connections.Load(),
		Rejected:     c.rejected.Load(),
		Overflow:     c.overflow.Load(),
		Requests:     c.requests.Load(),
		Errors:       c.errors.Load(),
		BytesWritten: c.bytes.Load(),
		Timeouts:     c.timeouts.Load(),
	}
}
