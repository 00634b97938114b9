package main

import (
	"cmp"
	"context"
	"log/slog"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const (
	// metaRequestEvery is the shortest interval between two metadata
	// requests for one host and metric: stock gmond asks on every value,
	// which a sender that lost its metadata would answer as a flood.
	metaRequestEvery = 10 * time.Second
	// maxMetaKeys bounds the request throttle's memory.
	maxMetaKeys = 1 << 16
	// maxBadSources bounds the per-source decode error counts; sources
	// beyond it are counted together.
	maxBadSources = 256
)

// msgPool holds the decode targets of the receivers' readers: DecodeInto
// reuses a Message's buffers, so the steady state allocates nothing.
var msgPool = sync.Pool{New: func() any { return new(xdr.Message) }}

// packetHandler is the receive path of port pl: decode, hand to the grid,
// ask the sender for metadata the grid lacks.
func (a *app) packetHandler(pl *portListener) func(pkt []byte, from netip.AddrPort) {
	return func(pkt []byte, from netip.AddrPort) {
		m := msgPool.Get().(*xdr.Message)
		defer msgPool.Put(m)
		if err := xdr.DecodeInto(m, pkt); err != nil {
			a.decodeFailed(pl, from, err)
			return
		}
		now := a.env.now()
		res := a.grid.Handle(pl.port, m, from.Addr(), now)
		a.counters.received.Add(1)
		if res.NeedMetadata {
			a.meta.request(res.Key, res.Request, pl.udp.WriteTo, from, now)
		}
		if res.NewHost || res.Moved {
			a.linkHost(res.Cluster, res.Host)
		}
		if res.NewHost {
			a.requestEarlyStep()
		}
	}
}

// decodeFailed counts an undecodable datagram by port and by source and
// logs it through the throttle: one line per port and minute.
func (a *app) decodeFailed(pl *portListener, from netip.AddrPort, err error) {
	pl.decodeErrors.Add(1)
	a.counters.decodeErrors.Add(1)
	a.counters.badSources.add(from.Addr())
	a.throttle.Log(context.Background(), "decode:"+strconv.Itoa(pl.port), "undecodable packet dropped",
		"port", pl.port, "src", from.String(), "err", err)
}

// sourceCounts counts decode errors per source address, for at most
// maxBadSources addresses.
type sourceCounts struct {
	mu    sync.Mutex
	m     map[netip.Addr]uint64
	other uint64
}

func (c *sourceCounts) add(ip netip.Addr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[netip.Addr]uint64)
	}
	if _, ok := c.m[ip]; ok || len(c.m) < maxBadSources {
		c.m[ip]++
		return
	}
	c.other++
}

type sourceCount struct {
	addr  netip.Addr
	count uint64
}

// top returns the n sources with the most errors, most first, and the
// count of all the others.
func (c *sourceCounts) top(n int) (top []sourceCount, rest uint64) {
	c.mu.Lock()
	for ip, k := range c.m {
		top = append(top, sourceCount{ip, k})
	}
	rest = c.other
	c.mu.Unlock()
	slices.SortFunc(top, func(x, y sourceCount) int {
		return cmp.Or(cmp.Compare(y.count, x.count), x.addr.Compare(y.addr))
	})
	if len(top) > n {
		for _, s := range top[n:] {
			rest += s.count
		}
		top = top[:n]
	}
	return top, rest
}

// metaRequester sends gmetadata_request messages (PROTOCOL.md §1.7) back
// to the senders of values whose metadata the grid lacks, at most one per
// host and metric every metaRequestEvery. A request leaves from the socket
// of the port the value arrived on, so it reaches the sender's own socket
// through the same firewall path; our gmond answers it with metadata, stock
// gmond agents ignore it (their metadata comes back with
// send_metadata_interval, DESIGN.md decision 5).
type metaRequester struct {
	log *slog.Logger

	mu   sync.Mutex
	last map[string]time.Time // host key + "\x00" + metric name
	key  []byte
	pkt  []byte

	sent, suppressed, failed atomic.Uint64
}

func newMetaRequester(log *slog.Logger) (*metaRequester, error) {
	return &metaRequester{log: log, last: make(map[string]time.Time)}, nil
}

// request asks to, the source of a value for id.Name of the host keyed
// hostKey, for its metadata, sending with send.
func (r *metaRequester) request(hostKey string, id xdr.MetricID, send func([]byte, netip.AddrPort) (int, error),
	to netip.AddrPort, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.key = append(append(append(r.key[:0], hostKey...), 0), id.Name...)
	if t, ok := r.last[string(r.key)]; ok && now.Sub(t) < metaRequestEvery && !now.Before(t) {
		r.suppressed.Add(1)
		return
	}
	if len(r.last) >= maxMetaKeys {
		r.prune(now)
	}
	r.last[string(r.key)] = now
	pkt, err := xdr.AppendRequest(r.pkt[:0], id)
	if err != nil {
		r.failed.Add(1)
		return
	}
	r.pkt = pkt
	if _, err := send(pkt, to); err != nil {
		r.failed.Add(1)
		r.log.Debug("metadata request not sent", "to", to.String(), "metric", id.Name, "err", err)
		return
	}
	r.sent.Add(1)
	r.log.Debug("metadata requested", "to", to.String(), "host", id.Host, "metric", id.Name)
}

// prune forgets requests older than the throttle period, or all of them
// when that is not enough.
func (r *metaRequester) prune(now time.Time) {
	for k, t := range r.last {
		if now.Sub(t) >= metaRequestEvery {
			delete(r.last, k)
		}
	}
	if len(r.last) >= maxMetaKeys {
		clear(r.last)
	}
}

func (r *metaRequester) close() {}
