package main

import (
	"cmp"
	"context"
	"net/netip"
	"slices"
	"strconv"
	"sync"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const (
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
			a.meta.Request(res.Key, res.Request, pl.udp.WriteTo, from, now)
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
