package grid

import (
	"slices"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// What the snapshot builds keep from one build to the next, so that a
// build of 10,000 hosts × 50 metrics costs little beyond copying them:
// the summary entry and the converted EXTRA_DATA of each metric. All of it
// is the builder's, under Grid.snapMu.

// nameInfo is what a cluster's snapshot builds remember per metric name:
// its summary entry and the EXTRA_DATA last seen under it. One small map
// lookup per metric finds both.
type nameInfo struct {
	sum  *sumEntry  // nil until the name was first summed
	memo *extraMemo // the extras of the last metric seen with this name
	used uint64     // the last build that saw the name
}

func (c *clusterEntry) nameInfo(name string, build uint64) *nameInfo {
	info := c.names[name]
	if info == nil {
		if c.names == nil {
			c.names = make(map[string]*nameInfo)
		}
		info = &nameInfo{}
		c.names[name] = info
	}
	info.used = build
	return info
}

// sweepEvery is how many builds pass between sweeps of unused memos.
const sweepEvery = 64

// sweep forgets the names and hosts no build saw lately (a flood of
// made-up names must not stay; moved and expired hosts leave); summary
// entries stay in the table.
func (c *clusterEntry) sweep(build uint64) {
	if build%sweepEvery != 0 {
		return
	}
	for name, info := range c.names {
		if build-info.used >= sweepEvery {
			delete(c.names, name)
		}
	}
	for key, hm := range c.hosts {
		if build-hm.used >= sweepEvery {
			delete(c.hosts, key)
		}
	}
}

// hostMemo is what the builds remember of one host, per metric index: the
// name and extras array last seen there and what they resolved to. Names
// and metadata change rarely, so most metrics resolve by comparing two
// pointers, with no map lookup and no look at the extras' bytes.
type hostMemo struct {
	names []string
	extra []*xdr.Extra
	infos []*nameInfo
	memos []*extraMemo
	used  uint64
}

func (c *clusterEntry) hostMemo(key string, build uint64) *hostMemo {
	hm := c.hosts[key]
	if hm == nil {
		if c.hosts == nil {
			c.hosts = make(map[string]*hostMemo)
		}
		hm = &hostMemo{}
		c.hosts[key] = hm
	}
	hm.used = build
	return hm
}

// trim forgets the metrics past n, so a host that lost metrics does not
// keep their metadata alive.
func (hm *hostMemo) trim(n int) {
	if n < len(hm.names) {
		clear(hm.extra[n:])
		clear(hm.infos[n:])
		clear(hm.memos[n:])
		hm.names, hm.extra, hm.infos, hm.memos = hm.names[:n], hm.extra[:n], hm.infos[:n], hm.memos[:n]
	}
}

// resolve returns the name record and the extras memo of metric i of a
// host.
func (g *Grid) resolve(c *clusterEntry, hm *hostMemo, i int, m *cluster.MetricView) (*nameInfo, *extraMemo) {
	var first *xdr.Extra
	if len(m.Extra) > 0 {
		first = &m.Extra[0]
	}
	if i < len(hm.names) && hm.names[i] == m.Name && hm.extra[i] == first && len(hm.memos[i].out) == len(m.Extra) {
		info := hm.infos[i]
		info.used = g.builds
		return info, hm.memos[i]
	}
	info := c.nameInfo(m.Name, g.builds)
	memo := g.extraMemo(info, m.Extra)
	if i >= len(hm.names) {
		hm.names, hm.extra = append(hm.names, m.Name), append(hm.extra, first)
		hm.infos, hm.memos = append(hm.infos, info), append(hm.memos, memo)
	} else {
		hm.names[i], hm.extra[i], hm.infos[i], hm.memos[i] = m.Name, first, info, memo
	}
	return info, memo
}

// extraMemo is the EXTRA_DATA of one stored metadata as gmetad stores it:
// the reverse of the wire order, which is the order gmond prints (Q3) and
// gmetad parses. Metadata is immutable in the States, so the conversion is
// kept across builds: most metrics of one name carry the same extras on
// every host (gmond's TITLE, DESC, GROUP), so the memo of the name is
// tried first, by content; extras that differ per host (gmetric's
// SPOOF_HOST) are looked up by their array in a grid-wide map.
type extraMemo struct {
	src        []xdr.Extra
	out        []xmlout.Extra
	mergedInto *sumEntry // the summary entry these extras are already in
	used       uint64    // the last build that used it
}

var noExtras = &extraMemo{}

func (g *Grid) extraMemo(info *nameInfo, x []xdr.Extra) *extraMemo {
	if len(x) == 0 {
		return noExtras
	}
	if m := info.memo; m != nil && slices.Equal(m.src, x) {
		return m
	}
	m := g.extras[&x[0]]
	if m == nil {
		m = &extraMemo{src: x, out: make([]xmlout.Extra, len(x))}
		for i, e := range x {
			m.out[len(x)-1-i] = xmlout.Extra{Name: e.Name, Val: e.Data}
		}
		g.extras[&x[0]] = m
	}
	m.used = g.builds
	info.memo = m
	return m
}

// sweepExtras forgets the memos no build used lately.
func (g *Grid) sweepExtras() {
	if g.builds%sweepEvery != 0 {
		return
	}
	for k, m := range g.extras {
		if g.builds-m.used >= sweepEvery {
			delete(g.extras, k)
		}
	}
}
