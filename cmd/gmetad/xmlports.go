package main

import (
	"context"
	"io"
	"net"
	"net/netip"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// resolveTimeout bounds the lookup of each trusted_hosts name at start.
const resolveTimeout = 5 * time.Second

// trustedHosts is the ACL of xml_port and interactive_port (PROTOCOL.md
// §5.1): the loopback addresses, always, and the trusted_hosts, names
// resolved once at start as stock gmetad does; nil (everyone) with
// all_trusted.
func (a *app) trustedHosts() (func(netip.Addr) bool, error) {
	if a.cfg.AllTrusted {
		return nil, nil
	}
	set := map[netip.Addr]bool{netip.MustParseAddr("127.0.0.1"): true, netip.IPv6Loopback(): true}
	for _, h := range a.cfg.TrustedHosts {
		if ip, err := netip.ParseAddr(h); err == nil {
			set[ip.Unmap()] = true
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), resolveTimeout)
		ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", h)
		cancel()
		if err != nil {
			// Stock gmetad skips a name it cannot resolve, with a warning.
			a.log.Warn("trusted_hosts: cannot resolve; ignored", "host", h, "err", err)
			continue
		}
		for _, ip := range ips {
			set[ip.Unmap()] = true
		}
	}
	return func(ip netip.Addr) bool { return set[ip.Unmap()] }, nil
}

// serveXML answers xml_port: the whole tree, no request read.
func (a *app) serveXML(_ context.Context, w io.Writer, _ string, _ netip.AddrPort) error {
	now := a.env.now()
	err := xmlout.WriteFull(w, a.grid.Snapshot(now), now)
	a.counters.xmlReqs.Add(1)
	a.counters.xmlMillis.Add(uint64(a.env.now().Sub(now).Milliseconds()))
	return err
}

// serveInteractive answers one interactive_port request line (PROTOCOL.md
// §5.3); /status with our counters.
func (a *app) serveInteractive(_ context.Context, w io.Writer, request string, remote netip.AddrPort) error {
	now := a.env.now()
	defer func() {
		a.counters.interReqs.Add(1)
		a.counters.interMil.Add(uint64(a.env.now().Sub(now).Milliseconds()))
	}()
	if req, err := xmlout.ParseRequest(request); err == nil && req.Status {
		return xmlout.WriteStatus(w, a.status(now), req.Callback)
	}
	res, err := xmlout.Answer(w, a.grid.Snapshot(now), request, now)
	if res.Malformed {
		// Stock closes the connection without an answer.
		a.log.Debug("malformed interactive request", "remote", remote.String(), "err", res.Reason)
		return nil
	}
	if res.UnknownFilter != "" {
		a.log.Debug("unknown filter; answered unfiltered", "filter", res.UnknownFilter)
	}
	return err
}
