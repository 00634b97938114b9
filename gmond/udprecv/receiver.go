package udprecv

import (
	"errors"
	"fmt"
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
	DefaultReaders    = 2
	DefaultRecvBuffer = 4 << 20 // bytes; stock gmond leaves the OS default (buffer = 0)
	DefaultMaxPacket  = 1472    // stock globals.max_udp_msg_len
)

// maxDatagram is the largest UDP payload (IPv6 jumbograms aside).
const maxDatagram = 65535

// logEvery is how often each kind of hot-path error may be logged.
const logEvery = time.Minute

// ErrServing is returned by a second call of Serve.
var ErrServing = errors.New("udprecv: Serve already called")

// Handler consumes the datagrams a Receiver reads.
type Handler interface {
	// HandlePacket is called with one datagram and its source (IPv4
	// addresses unmapped). pkt is only valid during the call: the reader
	// reuses it for the next datagram. Calls come from several goroutines
	// at once.
	HandlePacket(pkt []byte, from netip.AddrPort)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(pkt []byte, from netip.AddrPort)

// HandlePacket calls f(pkt, from).
func (f HandlerFunc) HandlePacket(pkt []byte, from netip.AddrPort) { f(pkt, from) }

// Options configure a Receiver. The zero value is usable.
type Options struct {
	// Readers is the number of goroutines reading the socket (default 2).
	Readers int
	// RecvBuffer is the SO_RCVBUF size asked for, in bytes (default 4 MiB,
	// so a burst of metadata after a restart of many senders is not
	// dropped); negative keeps the OS default like stock's buffer = 0.
	RecvBuffer int
	// MaxPacket is the largest datagram accepted (default 1472, stock
	// max_udp_msg_len). Stock gmond reads larger datagrams truncated and
	// then fails to decode them; here they are counted as Oversize and
	// dropped.
	MaxPacket int
	// Allow is the channel ACL; nil allows every source. It must be safe
	// for concurrent use and must not block.
	Allow func(netip.Addr) bool
	// Logger receives the buffer-size warning and throttled read errors;
	// nil discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.Readers <= 0 {
		o.Readers = DefaultReaders
	}
	if o.RecvBuffer == 0 {
		o.RecvBuffer = DefaultRecvBuffer
	}
	if o.MaxPacket == 0 {
		o.MaxPacket = DefaultMaxPacket
	}
	if o.MaxPacket < 0 || o.MaxPacket > maxDatagram {
		return o, fmt.Errorf("udprecv: MaxPacket %d out of range 1..%d", o.MaxPacket, maxDatagram)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// Stats are a Receiver's counters since New.
type Stats struct {
	Packets    uint64 // datagrams read, including denied and oversize ones
	Bytes      uint64 // bytes read (an oversize datagram counts MaxPacket+1)
	Denied     uint64 // dropped by Allow
	Oversize   uint64 // longer than MaxPacket, dropped
	ReadErrors uint64 // failed reads other than the socket being closed
	// RecvBuffer is SO_RCVBUF as getsockopt reports it (Linux reports
	// twice the usable size); 0 where it cannot be read.
	RecvBuffer int
}

// counters belong to one reader goroutine; the padding keeps two readers'
// counters off the same cache line.
type counters struct {
	packets, bytes, denied, oversize, errors atomic.Uint64
	_                                        [128 - 5*8]byte
}

// Receiver reads one UDP socket. Create it with New, run it with Serve and
// stop it with Close or by cancelling Serve's context.
type Receiver struct {
	conn     *net.UDPConn
	addr     string // bound address, for logs
	opts     Options
	log      *slog.Logger
	throttle *logthrottle.Throttle
	rcvbuf   int
	counters []counters
	serving  atomic.Bool

	closeOnce sync.Once
	closeErr  error
}

// New binds a UDP socket on addr ("host:port"; port 0 picks a free one, see
// Addr) and sets its receive buffer. An IPv6 wildcard address also receives
// IPv4 where the OS allows dual-stack sockets.
func New(addr string, opts Options) (*Receiver, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("udprecv: %w", err)
	}
	conn := pc.(*net.UDPConn)
	r := &Receiver{
		conn:     conn,
		addr:     conn.LocalAddr().String(),
		opts:     opts,
		log:      opts.Logger,
		throttle: logthrottle.New(opts.Logger, logEvery),
		counters: make([]counters, opts.Readers),
	}
	if err := r.setRecvBuffer(); err != nil {
		conn.Close()
		return nil, err
	}
	return r, nil
}

// setRecvBuffer asks for opts.RecvBuffer and records what the kernel
// granted; Linux silently caps SO_RCVBUF at net.core.rmem_max.
func (r *Receiver) setRecvBuffer() error {
	want := r.opts.RecvBuffer
	if want > 0 {
		if err := r.conn.SetReadBuffer(want); err != nil {
			return fmt.Errorf("udprecv: setting SO_RCVBUF to %d on %s: %w", want, r.Addr(), err)
		}
	}
	r.rcvbuf = recvBufferSize(r.conn)
	if want > 0 && r.rcvbuf > 0 && r.rcvbuf < want {
		r.log.Warn("UDP receive buffer smaller than requested; raise net.core.rmem_max to avoid drops in bursts",
			"addr", r.addr, "requested", want, "granted", r.rcvbuf)
	}
	return nil
}

// Addr returns the bound address, with the port the OS picked for port 0.
func (r *Receiver) Addr() netip.AddrPort {
	return r.conn.LocalAddr().(*net.UDPAddr).AddrPort()
}

// WriteTo sends b from the receiving socket to to. A collector answers a
// sender with it (a gmetadata_request, PROTOCOL.md §1.7): the reply leaves
// from the port the sender addressed, so it passes the same firewall rules
// and reaches an agent whose socket only accepts datagrams from there.
func (r *Receiver) WriteTo(b []byte, to netip.AddrPort) (int, error) {
	return r.conn.WriteToUDPAddrPort(b, to)
}

// Close closes the socket; Serve then returns nil. Further calls return the
// first call's result.
func (r *Receiver) Close() error {
	r.closeOnce.Do(func() { r.closeErr = r.conn.Close() })
	return r.closeErr
}

// Stats returns the counters summed over all readers.
func (r *Receiver) Stats() Stats {
	s := Stats{RecvBuffer: r.rcvbuf}
	for i := range r.counters {
		c := &r.counters[i]
		s.Packets += c.packets.Load()
		s.Bytes += c.bytes.Load()
		s.Denied += c.denied.Load()
		s.Oversize += c.oversize.Load()
		s.ReadErrors += c.errors.Load()
	}
	return s
}
