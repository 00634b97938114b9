package cluster

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// maxNamerCache bounds the addresses a Namer remembers; past it the cache
// starts over (the hosts already named keep their names: a State names a
// host once).
const maxNamerCache = 1 << 18

// NewNamer returns a Namer that names an address as stock gmond does with
// getnameinfo (PROTOCOL.md §2.5): the first name reverse DNS gives
// (/etc/hosts first, so 127.0.0.1 is "localhost" on most systems), without
// the trailing dot of a fully qualified answer, or the IP text when the
// lookup fails or takes longer than timeout. Each address is resolved
// once and the answer kept, failures included, as a stock gmond keeps the
// first name of a host until it restarts. It is safe for concurrent use;
// two first calls for one address may both resolve, and the first answer
// stored wins.
func NewNamer(timeout time.Duration) func(netip.Addr) string {
	n := &namer{timeout: timeout, cache: make(map[netip.Addr]string)}
	return n.name
}

type namer struct {
	timeout time.Duration
	mu      sync.Mutex
	cache   map[netip.Addr]string
}

func (n *namer) name(ip netip.Addr) string {
	ip = ip.Unmap()
	n.mu.Lock()
	name, ok := n.cache[ip]
	n.mu.Unlock()
	if ok {
		return name
	}
	name = n.resolve(ip)
	n.mu.Lock()
	defer n.mu.Unlock()
	if first, ok := n.cache[ip]; ok {
		return first
	}
	if len(n.cache) >= maxNamerCache {
		clear(n.cache)
	}
	n.cache[ip] = name
	return name
}

func (n *namer) resolve(ip netip.Addr) string {
	ctx, cancel := context.WithTimeout(context.Background(), n.timeout)
	defer cancel()
	names, err := net.DefaultResolver.LookupAddr(ctx, ip.String())
	if err == nil {
		for _, name := range names {
			if name = strings.TrimSuffix(name, "."); name != "" {
				return name
			}
		}
	}
	return ip.String()
}
