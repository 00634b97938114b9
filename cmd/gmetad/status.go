package main

import (
	"slices"
	"strconv"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// statusTopSources is how many sources of undecodable packets /status
// lists by address.
const statusTopSources = 10

// status is the /status document of the interactive port: stock's
// counters, and ours in groups after them.
func (a *app) status(now time.Time) *xmlout.Status {
	c := &a.counters
	st := &xmlout.Status{Host: a.hostname, GridName: a.cfg.GridName, Time: now, Started: a.started,
		Received: c.received.Load()}
	xr, xm := c.xmlReqs.Load(), c.xmlMillis.Load()
	ir, im := c.interReqs.Load(), c.interMil.Load()
	st.Requests = xmlout.RequestStats{All: xmlout.Counter{Num: xr + ir, TotalMillis: xm + im},
		Interactive: xmlout.Counter{Num: ir, TotalMillis: im}, XML: xmlout.Counter{Num: xr, TotalMillis: xm}}
	st.Polls.OK = xmlout.TimedCounter{Num: c.pollOK.Load(), LastTime: unixNano(c.lastPollOK.Load())}
	st.Polls.Failed = xmlout.TimedCounter{Num: c.pollFailed.Load(), LastTime: unixNano(c.lastPollFailed.Load())}
	if a.persister != nil {
		ps := a.persister.Stats()
		tc := xmlout.TimedCounter{Num: ps.Updates, TotalMillis: uint64(ps.LastStepDuration.Milliseconds()),
			LastTime: ps.LastStepTime}
		if a.rrdcached {
			st.Sent.RRDCached = tc
		} else {
			st.Sent.RRDTool = tc
		}
		st.Sent.All = xmlout.Counter{Num: ps.Updates}
		st.Groups = append(st.Groups, xmlout.StatusGroup{Name: "rrd", Fields: []xmlout.StatusField{
			u64("steps", ps.Steps), u64("skipped", ps.Skipped), u64("files_created", ps.FilesCreated),
			u64("create_errors", ps.CreateErrors), u64("updates", ps.Updates), u64("update_errors", ps.UpdateErrors),
			u64("stale_updates", ps.StaleUpdates), u64("bad_values", ps.BadValues),
			u64("name_rejections", ps.NameRejections), u64("tree_errors", ps.TreeErrors),
			xmlout.IntField("last_step_ms", ps.LastStepDuration.Milliseconds()),
		}})
	}
	st.Groups = append(st.Groups, a.lpmStatus(), a.udpStatus())
	return st
}

// lpmStatus is the grid's group: clusters, hosts, moves and conflicts.
func (a *app) lpmStatus() xmlout.StatusGroup {
	gs := a.grid.Stats()
	var hosts, metrics, clusters int
	for _, cs := range gs.Clusters {
		if !cs.Detached {
			clusters++
			hosts += cs.Hosts
			metrics += cs.Metrics
		}
	}
	return xmlout.StatusGroup{Name: "lpm", Fields: []xmlout.StatusField{
		xmlout.IntField("clusters", int64(clusters)), xmlout.IntField("hosts", int64(hosts)),
		xmlout.IntField("metrics", int64(metrics)), u64("moves", gs.Moves), u64("conflicts", gs.Conflicts),
		u64("no_cluster", gs.NoCluster), xmlout.IntField("polled_sources", int64(len(gs.Polled))),
	}}
}

// udpStatus is the receive path's group: packets, drops, decode errors by
// port and by source, metadata requests.
func (a *app) udpStatus() xmlout.StatusGroup {
	var packets, denied, oversize, readErrs uint64
	var perPort []xmlout.StatusField
	a.mu.Lock()
	ports := make([]int, 0, len(a.ports))
	for p := range a.ports {
		ports = append(ports, p)
	}
	slices.Sort(ports)
	for _, p := range ports {
		pl := a.ports[p]
		rs := pl.udp.Stats()
		packets, denied, oversize, readErrs = packets+rs.Packets, denied+rs.Denied, oversize+rs.Oversize, readErrs+rs.ReadErrors
		perPort = append(perPort, u64("decode_errors_port_"+strconv.Itoa(p), pl.decodeErrors.Load()))
	}
	a.mu.Unlock()
	f := []xmlout.StatusField{u64("packets", packets), u64("denied", denied), u64("oversize", oversize),
		u64("read_errors", readErrs), u64("decode_errors", a.counters.decodeErrors.Load())}
	f = append(f, perPort...)
	top, rest := a.counters.badSources.top(statusTopSources)
	for _, s := range top {
		f = append(f, u64("decode_errors_from_"+s.addr.String(), s.count))
	}
	if rest > 0 {
		f = append(f, u64("decode_errors_from_others", rest))
	}
	if a.meta != nil {
		f = append(f, u64("metadata_requests", a.meta.Sent.Load()),
			u64("metadata_requests_throttled", a.meta.Suppressed.Load()))
	}
	return xmlout.StatusGroup{Name: "udp", Fields: f}
}

func u64(name string, v uint64) xmlout.StatusField { return xmlout.IntField(name, int64(v)) }

func unixNano(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
