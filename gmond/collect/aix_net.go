package collect

import (
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// aixCounters is one interface's or adapter's counters at one reading.
// Bytes are known only for interfaces backed by an adapter netstat -v
// reports on.
type aixCounters struct {
	rxBytes, txBytes, rxPkts, txPkts uint64
	hasBytes                         bool
	inTotal                          bool // an IP interface other than loopback
}

// aixNetCollector computes bytes_in/out and pkts_in/out per second, and
// mtu, from `netstat -in` (the IP interfaces) and `netstat -v` (the
// adapters' own statistics, which alone count bytes on AIX).
//
// An IP interface enN or etN takes its counters from adapter entN when
// netstat -v reports on it, else its packet counts from netstat -in and no
// bytes. The host totals sum the IP interfaces other than loopback, as
// libmetrics did, so an EtherChannel counts once. Per-interface metrics
// exist for those interfaces and, in addition, for every adapter no IP
// interface stands on: the members of an EtherChannel or the physical
// side of a shared Ethernet adapter, whose rates show an unbalanced link
// aggregation.
//
// Rates follow the Linux collector: the first Collect (and the first after
// ResetBaselines) only records counters; a counter that went backwards
// leaves that interface's rates out for one interval, and the totals too
// when it counts in them; an interface that appears counts from its second
// reading. Defs lists the per-interface metrics of every name seen so far.
type aixNetCollector struct {
	root sysroot.Root
	log  *onceLog

	prev     map[string]aixCounters
	prevTime time.Time

	ifaces *ifaceSet
}

func newAIXNetwork(root sysroot.Root, log *onceLog) *aixNetCollector {
	c := &aixNetCollector{root: root, log: log, ifaces: newIfaceSet(log)}
	if cur, _, err := c.read(); err == nil {
		c.learn(cur)
	}
	return c
}

func (c *aixNetCollector) Name() string { return "aix_network" }

// Defs returns the host totals, mtu, and the per-interface metrics of
// every interface seen so far, sorted by name.
func (c *aixNetCollector) Defs() []metric.Def {
	return c.ifaces.defs("bytes_out", "bytes_in", "pkts_in", "pkts_out", "mtu")
}

// ResetBaselines forgets the counters (after an LPM move), so the next
// Collect starts a new interval.
func (c *aixNetCollector) ResetBaselines() {
	c.prev = nil
	c.prevTime = time.Time{}
}

// read runs both commands and merges them into counters per name, and
// returns the smallest MTU of the IP interfaces that are up, loopback
// excepted (0 when none), as libmetrics' get_min_mtu() does.
func (c *aixNetCollector) read() (map[string]aixCounters, uint64, error) {
	b, err := aixRun(c.root, c.log, "netstat", "-in")
	if err != nil {
		return nil, 0, err
	}
	ifs, err := parseAIXNetstatIn(b)
	if err != nil {
		return nil, 0, err
	}
	adapters := make(map[string]aixAdapter)
	if vb, err := aixRun(c.root, c.log, "netstat", "-v"); err == nil {
		for _, a := range parseAIXNetstatV(vb) {
			adapters[a.name] = a
		}
	}
	cur := make(map[string]aixCounters, len(ifs)+len(adapters))
	used := make(map[string]bool)
	var mtu uint64
	for _, ifc := range ifs {
		lo := strings.HasPrefix(ifc.name, "lo")
		if !lo && !ifc.down && ifc.hasMTU && ifc.mtu > 0 && (mtu == 0 || ifc.mtu < mtu) {
			mtu = ifc.mtu
		}
		k := aixCounters{rxPkts: ifc.rxPkts, txPkts: ifc.txPkts, inTotal: !lo}
		if a, ok := adapters[aixAdapterOf(ifc.name)]; ok {
			used[a.name] = true
			k = a.counters()
			k.inTotal = !lo
			c.log.clear("aix:nobytes:" + ifc.name)
		} else if !lo {
			c.log.warn("aix:nobytes:"+ifc.name, "netstat -v reports no adapter for this interface; it counts packets but no bytes",
				"iface", ifc.name)
		}
		cur[ifc.name] = k
	}
	for name, a := range adapters {
		if _, dup := cur[name]; !used[name] && !dup {
			cur[name] = a.counters()
		}
	}
	return cur, mtu, nil
}

func (a aixAdapter) counters() aixCounters {
	return aixCounters{rxBytes: a.rxBytes, txBytes: a.txBytes, rxPkts: a.rxPkts, txPkts: a.txPkts, hasBytes: true}
}

// aixAdapterOf names the adapter an IP interface stands on: en0 and et0
// (standard and IEEE 802.3 framing) both use ent0.
func aixAdapterOf(iface string) string {
	for _, p := range []string{"en", "et"} {
		if n, ok := strings.CutPrefix(iface, p); ok && n != "" {
			if _, digits := aixUint(n); digits {
				return "ent" + n
			}
		}
	}
	return ""
}

// learn records the names for Defs and returns each name's sanitised
// form. Loopback gets no metrics of its own; of two names that sanitise
// alike the first keeps them.
func (c *aixNetCollector) learn(cur map[string]aixCounters) map[string]string {
	names := make([]string, 0, len(cur))
	for name := range cur {
		names = append(names, name)
	}
	slices.Sort(names) // of two clashing names, the same one wins every time
	return c.ifaces.learn(names)
}

func (c *aixNetCollector) Collect(now time.Time) ([]metric.Reading, error) {
	cur, mtu, err := c.read()
	if err != nil {
		return nil, err
	}
	names := c.learn(cur)
	var out aixReadings
	if mtu > 0 {
		out.num("mtu", float64(mtu))
	}
	if c.prev != nil && !now.After(c.prevTime) {
		return out, nil // no time has passed: keep the baseline
	}
	if c.prev != nil {
		out = append(out, aixNetRates(c.prev, cur, names, now.Sub(c.prevTime).Seconds())...)
	}
	c.prev, c.prevTime = cur, now
	return out, nil
}
