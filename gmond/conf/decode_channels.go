package conf

import (
	"fmt"
	"math"
	"net/netip"
	"strings"
)

// written remembers where each option of one section stood, for checks
// that span options (bind vs bind_hostname, a missing port).
type written map[string]Pos

func (w written) at(key string, def Pos) Pos {
	if p, ok := w[key]; ok {
		return p
	}
	return def
}

func (d *decoder) udpSend(sec *node) UDPSend {
	const path = "udp_send_channel"
	ch, w := newUDPSend(sec.pos), written{}
	for _, n := range sec.children {
		k := path + "." + n.key
		w[n.key] = n.pos
		switch n.key {
		case "mcast_join":
			d.str(n, k, &ch.McastJoin)
		case "mcast_if":
			d.str(n, k, &ch.McastIf)
		case "host":
			d.str(n, k, &ch.Host)
		case "port":
			d.integer(n, k, 1, 65535, &ch.Port)
		case "ttl":
			d.integer(n, k, 0, 255, &ch.TTL)
		case "bind":
			d.str(n, k, &ch.Bind)
		case "bind_hostname":
			d.boolean(n, k, &ch.BindHostname)
		case "source_port":
			d.integer(n, k, 0, 65535, &ch.SourcePort)
		default:
			d.unknown(n, k)
		}
	}
	if ch.Bind != "" && ch.BindHostname {
		d.p.errorf(w.at("bind_hostname", sec.pos), path+".bind_hostname", ErrConflict,
			"bind and bind_hostname are mutually exclusive; set one of them")
	}
	if ch.McastJoin != "" && !hasMulticast(d.goos) {
		msg := "multicast is not available on " + d.goos + "; mcast_join ignored, "
		if ch.Host != "" {
			msg += "sending by unicast to host " + ch.Host
		} else {
			msg += "this channel needs a host (or a collector in the mapping file)"
		}
		d.warn(w.at("mcast_join", sec.pos), path+".mcast_join", msg)
		ch.McastJoin, ch.McastIf = "", ""
	}
	return ch
}

func (d *decoder) udpRecv(sec *node) UDPRecv {
	const path = "udp_recv_channel"
	ch, w := newUDPRecv(sec.pos), written{}
	for _, n := range sec.children {
		k := path + "." + n.key
		w[n.key] = n.pos
		switch n.key {
		case "mcast_join":
			d.str(n, k, &ch.McastJoin)
		case "mcast_if":
			d.str(n, k, &ch.McastIf)
		case "bind":
			d.str(n, k, &ch.Bind)
		case "port":
			d.integer(n, k, 0, 65535, &ch.Port)
		case "acl":
			if d.section(n, k, false) {
				ch.ACL = d.acl(n, k)
			}
		case "family":
			d.family(n, k, &ch.Family)
		case "retry_bind":
			d.boolean(n, k, &ch.RetryBind)
		case "buffer":
			d.integer(n, k, 0, math.MaxInt32, &ch.Buffer)
		default:
			d.unknown(n, k)
		}
	}
	d.requirePort(w, sec, path)
	if ch.McastJoin != "" && !hasMulticast(d.goos) {
		d.warn(w.at("mcast_join", sec.pos), path+".mcast_join", fmt.Sprintf(
			"multicast is not available on %s; mcast_join ignored, listening for unicast on port %d", d.goos, ch.Port))
		if a, err := netip.ParseAddr(ch.Bind); err == nil && a.IsMulticast() {
			ch.Bind = ""
		}
		ch.McastJoin, ch.McastIf = "", ""
	}
	return ch
}

func (d *decoder) tcpAccept(sec *node) TCPAccept {
	const path = "tcp_accept_channel"
	ch, w := newTCPAccept(sec.pos), written{}
	for _, n := range sec.children {
		k := path + "." + n.key
		w[n.key] = n.pos
		switch n.key {
		case "bind":
			d.str(n, k, &ch.Bind)
		case "port":
			d.integer(n, k, 0, 65535, &ch.Port)
		case "interface":
			d.str(n, k, &ch.Interface)
		case "acl":
			if d.section(n, k, false) {
				ch.ACL = d.acl(n, k)
			}
		case "timeout":
			d.integer(n, k, -1, math.MaxInt32, &ch.Timeout)
		case "family":
			d.family(n, k, &ch.Family)
		case "gzip_output":
			d.boolean(n, k, &ch.GzipOutput)
		default:
			d.unknown(n, k)
		}
	}
	d.requirePort(w, sec, path)
	return ch
}

// requirePort: stock leaves an unset port at -1 and then fails to bind.
func (d *decoder) requirePort(w written, sec *node, path string) {
	if _, ok := w["port"]; !ok {
		d.p.errorf(sec.pos, path+".port", ErrRequired, "port is required")
	}
}

// family normalises like stock's get_sock_family: a "4" anywhere means
// IPv4, else a "6" means IPv6.
func (d *decoder) family(n *node, key string, dst *string) {
	v, ok := d.option(n, key)
	switch {
	case !ok:
	case strings.Contains(v, "4"):
		*dst = "inet4"
	case strings.Contains(v, "6"):
		*dst = "inet6"
	default:
		d.p.errorf(n.pos, key, ErrRange, "unknown family %q; use inet4 or inet6", v)
	}
}

// hasMulticast reports whether this agent's sender and receiver can use
// multicast on goos; the AIX build has no multicast socket options.
func hasMulticast(goos string) bool { return goos != "aix" }
