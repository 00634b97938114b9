package cluster

import (
	"net/netip"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Default limits, used by New when the Options leave a limit at zero. They
// bound what a flood of made-up hosts or metric names can cost: a host
// record costs about 1 KiB plus its metrics, a metric at most a few KiB (its
// metadata and VAL come from one datagram each).
const (
	DefaultMaxHosts          = 65536
	DefaultMaxMetricsPerHost = 1024
	DefaultMaxNameLen        = xdr.MaxNameLen
)

// Options configure a State. Start from DefaultOptions: the zero value turns
// EXTRA_DATA off and prints TMAX="0".
type Options struct {
	// HostTMax and HostDMax are gmond's globals host_tmax and host_dmax:
	// printed as every HOST's TMAX and DMAX, and host_dmax > 0 deletes
	// hosts silent for longer than that many seconds (Expire).
	HostTMax, HostDMax uint32

	// HostnameFromPacket names a non-spoofed host by the host string of
	// its first packet instead of by Namer (DESIGN.md decision 2). Stock
	// gmond ignores that string (Q1).
	HostnameFromPacket bool

	// MaxHosts, MaxMetricsPerHost and MaxNameLen bound the state: a packet
	// that would create a host or metric past a limit, or carries a host
	// or metric name longer than MaxNameLen bytes, is dropped and counted.
	// Zero means the Default* constant.
	MaxHosts, MaxMetricsPerHost, MaxNameLen int

	// Namer names a new non-spoofed host from its source address, once:
	// stock gmond uses reverse DNS (getnameinfo) and never re-resolves.
	// The caller brings the resolver and its cache; Apply calls Namer
	// without holding the state's lock, possibly from several goroutines.
	// nil, an empty answer or one longer than MaxNameLen give the IP text.
	Namer func(ip netip.Addr) string

	// AllowExtraData is gmond's globals.allow_extra_data: write each
	// metric's EXTRA_DATA in the XML.
	AllowExtraData bool

	// Tags is gmond's globals.tags, printed as the TAGS of EVERY host, as
	// stock does (Q4): the senders' tags are never transmitted.
	Tags string
}

// DefaultOptions returns the options of a stock gmond 3.7.2 built-in
// configuration (host_tmax 20, host_dmax 86400, allow_extra_data yes, no
// tags) with the default limits.
func DefaultOptions() Options {
	return Options{
		HostTMax:          20,
		HostDMax:          86400,
		MaxHosts:          DefaultMaxHosts,
		MaxMetricsPerHost: DefaultMaxMetricsPerHost,
		MaxNameLen:        DefaultMaxNameLen,
		AllowExtraData:    true,
	}
}

// withDefaults fills the limits left at zero.
func (o Options) withDefaults() Options {
	if o.MaxHosts <= 0 {
		o.MaxHosts = DefaultMaxHosts
	}
	if o.MaxMetricsPerHost <= 0 {
		o.MaxMetricsPerHost = DefaultMaxMetricsPerHost
	}
	if o.MaxNameLen <= 0 {
		o.MaxNameLen = DefaultMaxNameLen
	}
	return o
}

// ClusterInfo is gmond's cluster section, printed in the CLUSTER element.
// Empty fields print as "unspecified", as stock does.
type ClusterInfo struct {
	Name, Owner, LatLong, URL string
}
