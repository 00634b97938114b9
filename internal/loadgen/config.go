package loadgen

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Defaults applied by New to the zero fields of a Config.
const (
	DefaultInterval         = 15 * time.Second
	DefaultMetadataInterval = 60 * time.Second // our gmond's send_metadata_interval
	minTick, maxTick        = 2 * time.Millisecond, 100 * time.Millisecond
)

// DefaultSourceBase is host 0's source address: 127.1.0.1 keeps clear of
// 127.0.0.1, which the receiver's own gmond or tests may use.
var DefaultSourceBase = netip.AddrFrom4([4]byte{127, 1, 0, 1})

// ErrConfig is wrapped by every error about an invalid Config.
var ErrConfig = errors.New("loadgen: invalid config")

// Target is one destination: a UDP address and the hosts that send to it, so
// that a fleet can be split across several managed-system ports. A host in
// several targets sends every packet to each, like gmond with several
// udp_send_channels.
type Target struct {
	Addr string // host:port, IPv4
	// First and End bound the hosts (0-based) sending here: [First, End).
	// End 0 means up to the last host.
	First, End int
}

// Config describes the simulated fleet. Zero fields take the defaults noted.
type Config struct {
	Hosts   int // number of simulated hosts, ≥ 1
	Metrics int // metrics per host: the first Metrics of the Metrics list
	// Interval is how often every host sends its values (default 15 s).
	Interval time.Duration
	Targets  []Target // at least one; every host must be in one

	// SourceBase is host 0's source address; host i sends from SourceBase+i
	// (default 127.1.0.1). Any 127.0.0.0/8 address works on Linux without
	// configuration, so a receiver keys every host apart by source IP.
	SourceBase netip.Addr
	// Spoof sends every host through one socket as gmond with
	// override_hostname does: spoof flag set, host "IP:name" with IP =
	// SourceBase+i and name = Name(i).
	Spoof bool
	// Sockets binds one socket per host instead of sending every packet
	// through one socket with an IP_PKTINFO source address (the default on
	// Linux, and the only choice elsewhere).
	Sockets bool

	// MetadataInterval is how often each host re-sends its metadata, like
	// gmond's send_metadata_interval (default 60 s). A negative value
	// sends metadata only in a host's first round, like stock gmond's 0.
	MetadataInterval time.Duration
	// Heartbeat adds gmond's heartbeat metric (tmax 20) before the others.
	Heartbeat bool
	Seed      int64 // seeds the values; the same seed gives the same values

	Now  func() time.Time   // default time.Now
	Name func(i int) string // host i's name; default the text of its source address
	// Ticker paces Run (default time.NewTicker); the times it delivers are
	// Run's clock, so a test drives Run with a channel and no sleeping.
	Ticker func(d time.Duration) (ticks <-chan time.Time, stop func())
	// Tick is Run's pacing period; default Interval/Hosts within 2–100 ms.
	Tick time.Duration
}

// withDefaults returns c with defaults filled in, or an ErrConfig.
func (c Config) withDefaults() (Config, error) {
	if c.Hosts < 1 || c.Metrics < 0 {
		return c, fmt.Errorf("%w: %d hosts × %d metrics", ErrConfig, c.Hosts, c.Metrics)
	}
	if c.Interval < 0 {
		return c, fmt.Errorf("%w: interval %v", ErrConfig, c.Interval)
	}
	if c.Interval == 0 {
		c.Interval = DefaultInterval
	}
	if c.MetadataInterval == 0 {
		c.MetadataInterval = DefaultMetadataInterval
	}
	if !c.SourceBase.IsValid() {
		c.SourceBase = DefaultSourceBase
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Name == nil {
		base := c.SourceBase
		c.Name = func(i int) string { a, _ := hostAddr(base, i); return a.String() }
	}
	if c.Ticker == nil {
		c.Ticker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	if c.Tick <= 0 {
		c.Tick = min(max(c.Interval/time.Duration(c.Hosts), minTick), maxTick)
	}
	if _, err := hostAddr(c.SourceBase, c.Hosts-1); err != nil {
		return c, err
	}
	return c, nil
}

// hostAddr is SourceBase+i.
func hostAddr(base netip.Addr, i int) (netip.Addr, error) {
	if !base.Is4() {
		return netip.Addr{}, fmt.Errorf("%w: source base %v is not IPv4", ErrConfig, base)
	}
	b := base.As4()
	n := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	n += uint64(i)
	if n > 0xffffffff {
		return netip.Addr{}, fmt.Errorf("%w: source base %v + %d hosts overflows IPv4", ErrConfig, base, i+1)
	}
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), nil
}

// resolveTargets returns, for every host, the addresses it sends to. Hosts
// with the same targets share one slice.
func resolveTargets(c *Config) ([][]netip.AddrPort, error) {
	if len(c.Targets) == 0 {
		return nil, fmt.Errorf("%w: no target", ErrConfig)
	}
	members := make([][]int, c.Hosts) // target indices of every host
	addrs := make([]netip.AddrPort, len(c.Targets))
	for k, t := range c.Targets {
		ua, err := net.ResolveUDPAddr("udp4", t.Addr)
		if err != nil {
			return nil, fmt.Errorf("%w: target %q: %v", ErrConfig, t.Addr, err)
		}
		addrs[k] = netip.AddrPortFrom(ua.AddrPort().Addr().Unmap(), ua.AddrPort().Port())
		end := t.End
		if end == 0 {
			end = c.Hosts
		}
		if t.First < 0 || t.First >= end || end > c.Hosts {
			return nil, fmt.Errorf("%w: target %q hosts %d-%d outside 0-%d", ErrConfig, t.Addr, t.First, end-1, c.Hosts-1)
		}
		for i := t.First; i < end; i++ {
			members[i] = append(members[i], k)
		}
	}
	dst := make([][]netip.AddrPort, c.Hosts)
	shared := map[string][]netip.AddrPort{}
	for i, ks := range members {
		if len(ks) == 0 {
			return nil, fmt.Errorf("%w: host %d is in no target", ErrConfig, i)
		}
		key := fmt.Sprint(ks)
		if s, ok := shared[key]; ok {
			dst[i] = s
			continue
		}
		for _, k := range ks {
			dst[i] = append(dst[i], addrs[k])
		}
		shared[key] = dst[i]
	}
	return dst, nil
}

// ParseTarget parses the command-line form host:port[=first-last], where
// first and last are 0-based host numbers, both included.
func ParseTarget(s string) (Target, error) {
	addr, hosts, ranged := strings.Cut(s, "=")
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return Target{}, fmt.Errorf("%w: target %q: %v", ErrConfig, s, err)
	}
	t := Target{Addr: addr}
	if !ranged {
		return t, nil
	}
	first, last, ok := strings.Cut(hosts, "-")
	f, err1 := strconv.Atoi(first)
	l, err2 := strconv.Atoi(last)
	if !ok || err1 != nil || err2 != nil || f < 0 || l < f {
		return Target{}, fmt.Errorf("%w: target %q: want host:port=first-last", ErrConfig, s)
	}
	t.First, t.End = f, l+1
	return t, nil
}
