package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/metareq"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/udprecv"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/xmlserve"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// collectorRole is what stock gmond does with udp_recv_channel and
// tcp_accept_channel: keep the cluster's hosts from the packets they send
// and serve the gmond XML dump. It reuses the packages gmetad embeds.
type collectorRole struct {
	a     *agent
	state *cluster.State
	meta  *metareq.Requester
	udp   []*udprecv.Receiver
	tcp   []*xmlserve.Server
	every time.Duration // expiry sweep period (cleanup_threshold)
}

// newCollectorRole binds every receive and accept channel of cfg.
func newCollectorRole(a *agent, cfg *conf.Config) (*collectorRole, error) {
	g := &cfg.Globals
	o := cluster.DefaultOptions()
	o.HostTMax, o.HostDMax = uint32(g.HostTmax/time.Second), uint32(g.HostDmax/time.Second)
	o.AllowExtraData, o.Tags = g.AllowExtraData, g.Tags
	o.Namer = cluster.NewNamer(2 * time.Second)
	c := &collectorRole{a: a, state: cluster.New(o), meta: metareq.New(a.log), every: g.CleanupThreshold}
	for _, ch := range cfg.UDPRecv {
		if ch.McastJoin != "" {
			a.log.Warn("udp_recv_channel mcast_join is not supported; listening by unicast on the port",
				"at", ch.Pos.String(), "mcast_join", ch.McastJoin)
		}
		addr := net.JoinHostPort(ch.Bind, strconv.Itoa(ch.Port))
		var r *udprecv.Receiver
		buffer := ch.Buffer
		if buffer == 0 {
			buffer = -1 // buffer = 0 keeps the OS default, as stock
		}
		r, err := udprecv.New(addr, udprecv.Options{RecvBuffer: buffer, MaxPacket: g.MaxUDPMsgLen,
			Allow: aclFunc(ch.ACL), Logger: a.log})
		if err != nil {
			c.close()
			return nil, fmt.Errorf("udp_recv_channel at %s: %w", ch.Pos, err)
		}
		c.udp = append(c.udp, r)
	}
	for _, ch := range cfg.TCPAccept {
		addr := net.JoinHostPort(ch.Bind, strconv.Itoa(ch.Port))
		s, err := xmlserve.New(addr, xmlserve.Options{Allow: aclFunc(ch.ACL), Logger: a.log})
		if err != nil {
			c.close()
			return nil, fmt.Errorf("tcp_accept_channel at %s: %w", ch.Pos, err)
		}
		c.tcp = append(c.tcp, s)
	}
	return c, nil
}

// serve starts the readers, the XML servers and the expiry sweep.
func (c *collectorRole) serve(ctx context.Context, wg *sync.WaitGroup) {
	for _, r := range c.udp {
		wg.Go(func() {
			if err := r.Serve(ctx, udprecv.HandlerFunc(c.packetHandler(r))); err != nil {
				c.a.log.Error("udp_recv_channel stopped", "addr", r.Addr().String(), "err", err)
			}
		})
	}
	for _, s := range c.tcp {
		wg.Go(func() {
			if err := s.Serve(ctx, xmlserve.HandlerFunc(c.dump)); err != nil {
				c.a.log.Error("tcp_accept_channel stopped", "addr", s.Addr().String(), "err", err)
			}
		})
	}
	wg.Go(func() { c.expire(ctx) })
}

// packetHandler is the receive path of one channel (PROTOCOL.md §1.13).
func (c *collectorRole) packetHandler(r *udprecv.Receiver) func([]byte, netip.AddrPort) {
	return func(pkt []byte, from netip.AddrPort) {
		var m xdr.Message
		if err := xdr.DecodeInto(&m, pkt); err != nil {
			c.a.throttle.Log(context.Background(), "decode", "undecodable packet dropped",
				"src", from.String(), "err", err)
			return
		}
		now := c.a.env.now()
		res := c.state.Apply(&m, from.Addr(), now)
		switch {
		case res.NeedMetadata:
			c.meta.Request(res.Key, res.Request, r.WriteTo, from, now)
		case res.Requested && c.ownRequest(m.MetricID):
			select {
			case c.a.requests <- res.RequestedName:
			default:
			}
		}
	}
}

// ownRequest reports whether a gmetadata_request names this gmond's own
// host, which stock gmond answers by resending that metric's metadata.
func (c *collectorRole) ownRequest(id xdr.MetricID) bool {
	host := id.Host
	if i := strings.IndexByte(host, ':'); id.Spoof && i > 0 {
		host = host[i+1:]
	}
	return strings.EqualFold(host, c.a.hostname)
}

// dump writes the cluster's XML for one tcp_accept_channel client.
func (c *collectorRole) dump(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
	cfg := &c.a.s.cfg.Cluster
	info := cluster.ClusterInfo{Name: c.a.clusterName(), Owner: cfg.Owner, LatLong: cfg.Latlong, URL: cfg.URL}
	return c.state.WriteXML(w, info, c.a.env.now())
}

// expire runs stock's cleanup sweep every cleanup_threshold.
func (c *collectorRole) expire(ctx context.Context) {
	every := c.every
	if every <= 0 {
		every = 300 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.state.Expire(c.a.env.now())
		}
	}
}

// close closes every socket; the serving goroutines then return.
func (c *collectorRole) close() {
	for _, r := range c.udp {
		r.Close()
	}
	for _, s := range c.tcp {
		s.Close()
	}
}

// aclFunc is a channel's acl block as a check; nil (no block) allows all.
func aclFunc(acl *conf.ACL) func(netip.Addr) bool {
	if acl == nil {
		return nil
	}
	return acl.Allowed
}
