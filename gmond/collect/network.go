package collect

import (
	"cmp"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Rates above these are hardware glitches, not traffic; libmetrics throws
// such a reading away and so do we.
const (
	maxByteRate = 1e13
	maxPktRate  = 1e8
)

// netCollector computes bytes_in/out and pkts_in/out per second from
// /proc/net/dev, for the host (summed as libmetrics sums them, see
// inHostTotal) and for every interface except loopback
// (bytes_in_<iface>, ...), so that an etherchannel whose traffic all takes
// one link is visible.
//
// Rates need two readings: the first Collect, and the first after
// ResetBaselines, only records the counters. A counter that went backwards
// (an interface re-created, a driver reset, a wrap) makes that interface's
// rates, and the host totals when the interface counts in them, absent for
// one interval. An interface that appears counts from its second reading.
//
// The per-interface metrics are discovered from /proc/net/dev: Defs lists
// those of every interface seen so far (at construction or by any
// Collect), so a caller that meets a reading it has no definition for
// calls Defs again after that Collect and finds it there.
type netCollector struct {
	root sysroot.Root
	log  *onceLog

	prev     map[string]ifCounters
	prevTime time.Time

	ifaces *ifaceSet
}

func newNetwork(root sysroot.Root, log *onceLog) *netCollector {
	c := &netCollector{root: root, log: log, ifaces: newIfaceSet(log)}
	if b, err := root.ReadFile("/proc/net/dev"); err == nil {
		if ifs, err := parseNetDev(b); err == nil {
			c.learn(ifs)
		}
	}
	return c
}

func (c *netCollector) Name() string { return "netdev" }

// Defs returns the host totals and the per-interface metrics of every
// interface seen so far, sorted by interface.
func (c *netCollector) Defs() []metric.Def {
	return c.ifaces.defs("bytes_out", "bytes_in", "pkts_in", "pkts_out")
}

// ResetBaselines forgets the counters, so the next Collect starts a new
// interval (after an LPM move, or anything else that makes an interval
// meaningless).
func (c *netCollector) ResetBaselines() {
	c.prev = nil
	c.prevTime = time.Time{}
}

// learn records the interfaces of ifs (see ifaceSet.learn).
func (c *netCollector) learn(ifs []ifCounters) map[string]string {
	names := make([]string, len(ifs))
	for i, ic := range ifs {
		names[i] = ic.name
	}
	return c.ifaces.learn(names)
}

func (c *netCollector) Collect(now time.Time) ([]metric.Reading, error) {
	b, err := c.root.ReadFile("/proc/net/dev")
	if err != nil {
		return nil, err
	}
	ifs, err := parseNetDev(b)
	if err != nil {
		return nil, err
	}
	var vlans map[string]bool
	if vb, err := c.root.ReadFile("/proc/net/vlan/config"); err == nil {
		vlans = parseVlanConfig(vb)
	}
	names := c.learn(ifs)
	if c.prev != nil && !now.After(c.prevTime) {
		return nil, nil // no time has passed: keep the baseline
	}
	var out []metric.Reading
	if c.prev != nil {
		out = c.rates(ifs, names, vlans, now.Sub(c.prevTime).Seconds())
	}
	c.prev = make(map[string]ifCounters, len(ifs))
	for _, ic := range ifs {
		c.prev[ic.name] = ic
	}
	c.prevTime = now
	return out, nil
}

// rates computes the readings of one interval of dt seconds.
func (c *netCollector) rates(ifs []ifCounters, names map[string]string, vlans map[string]bool, dt float64) []metric.Reading {
	var tot [4]float64 // bytes_in, bytes_out, pkts_in, pkts_out
	totOK := true
	var per []metric.Reading
	slices.SortFunc(ifs, func(a, b ifCounters) int { return cmp.Compare(a.name, b.name) })
	for _, ic := range ifs {
		p, seen := c.prev[ic.name]
		d, ok := ifDelta(p, ic)
		if inHostTotal(ic.name, vlans) && seen {
			if ok {
				for i := range tot {
					tot[i] += d[i]
				}
			} else {
				totOK = false
			}
		}
		s, own := names[ic.name]
		if !own || !seen || !ok {
			continue
		}
		if r := netRateReadings(d, dt, "_"+s); r != nil {
			per = append(per, r...)
		}
	}
	var out []metric.Reading
	if totOK {
		out = netRateReadings(tot, dt, "")
	}
	return append(out, per...)
}

// ifDelta returns cur-prev for the four counters, or false when one went
// backwards.
func ifDelta(prev, cur ifCounters) ([4]float64, bool) {
	p := [4]uint64{prev.rxBytes, prev.txBytes, prev.rxPkts, prev.txPkts}
	c := [4]uint64{cur.rxBytes, cur.txBytes, cur.rxPkts, cur.txPkts}
	var d [4]float64
	for i := range c {
		if c[i] < p[i] {
			return d, false
		}
		d[i] = float64(c[i] - p[i])
	}
	return d, true
}

// rateReadings turns counter deltas (bytes_in, bytes_out, pkts_in,
// pkts_out) into readings, named with suffix, in the order of the stock
// host totals or of PerInterfaceDefs. It returns nil for a glitch.
func netRateReadings(d [4]float64, dt float64, suffix string) []metric.Reading {
	bi, bo, pi, po := d[0]/dt, d[1]/dt, d[2]/dt, d[3]/dt
	if bi > maxByteRate || bo > maxByteRate || pi > maxPktRate || po > maxPktRate {
		return nil
	}
	r := func(name string, v float64) metric.Reading {
		return metric.Reading{Name: name + suffix, Value: metric.Num(v)}
	}
	if suffix == "" {
		return []metric.Reading{r("bytes_out", bo), r("bytes_in", bi), r("pkts_in", pi), r("pkts_out", po)}
	}
	return []metric.Reading{r("bytes_in", bi), r("bytes_out", bo), r("pkts_in", pi), r("pkts_out", po)}
}
