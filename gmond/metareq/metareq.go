package metareq

import (
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const (
	// Every is the shortest interval between two metadata requests for one
	// host and metric: stock gmond asks on every value, which a sender that
	// lost its metadata would answer as a flood.
	Every = 10 * time.Second
	// maxKeys bounds the throttle's memory.
	maxKeys = 1 << 16
)

// Requester sends gmetadata_request messages (PROTOCOL.md §1.7) back to
// the senders of values whose metadata a collector lacks, at most one per
// host and metric every Every. The caller sends from the socket the value
// arrived on, so the request reaches the sender's own socket through the
// same firewall path; our gmond answers it with metadata, stock gmond
// agents ignore it (their metadata comes back with send_metadata_interval,
// DESIGN.md decision 5).
type Requester struct {
	log *slog.Logger

	mu   sync.Mutex
	last map[string]time.Time // host key + "\x00" + metric name
	key  []byte
	pkt  []byte

	// Sent, Suppressed and Failed count requests sent, held back by the
	// throttle, and not encodable or not sendable.
	Sent, Suppressed, Failed atomic.Uint64
}

// New returns a Requester that logs at debug level to log.
func New(log *slog.Logger) *Requester {
	return &Requester{log: log, last: make(map[string]time.Time)}
}

// Request asks to, the source of a value for id.Name of the host keyed
// hostKey, for its metadata, sending with send.
func (r *Requester) Request(hostKey string, id xdr.MetricID, send func([]byte, netip.AddrPort) (int, error),
	to netip.AddrPort, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.key = append(append(append(r.key[:0], hostKey...), 0), id.Name...)
	if t, ok := r.last[string(r.key)]; ok && now.Sub(t) < Every && !now.Before(t) {
		r.Suppressed.Add(1)
		return
	}
	if len(r.last) >= maxKeys {
		r.prune(now)
	}
	r.last[string(r.key)] = now
	pkt, err := xdr.AppendRequest(r.pkt[:0], id)
	if err != nil {
		r.Failed.Add(1)
		return
	}
	r.pkt = pkt
	if _, err := send(pkt, to); err != nil {
		r.Failed.Add(1)
		r.log.Debug("metadata request not sent", "to", to.String(), "metric", id.Name, "err", err)
		return
	}
	r.Sent.Add(1)
	r.log.Debug("metadata requested", "to", to.String(), "host", id.Host, "metric", id.Name)
}

// prune forgets requests older than the throttle period, or all of them
// when that is not enough.
func (r *Requester) prune(now time.Time) {
	for k, t := range r.last {
		if now.Sub(t) >= Every {
			delete(r.last, k)
		}
	}
	if len(r.last) >= maxKeys {
		clear(r.last)
	}
}
