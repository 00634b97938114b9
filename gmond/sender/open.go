package sender

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// mcastOpts are the multicast options of a socket.
type mcastOpts struct {
	v4    bool
	iface string
	ttl   int
}

// open binds the sockets and resolves the first route of every channel.
func (s *Sender) open(chs []Channel) ([]route, error) {
	shared := map[string]*sock{}
	routes := make([]route, 0, len(chs))
	now := s.now().UnixNano()
	for i, c := range chs {
		ch, r, err := s.openChannel(c, shared)
		if err != nil {
			return nil, fmt.Errorf("sender: udp_send_channel %d (%s): %w", i+1, describe(c), err)
		}
		ch.key = "channel " + strconv.Itoa(i+1)
		ch.lastResolve.Store(now)
		s.chans = append(s.chans, ch)
		routes = append(routes, r)
	}
	return routes, nil
}

func describe(c Channel) string {
	host := c.Host
	if c.McastJoin != "" {
		host = c.McastJoin
	}
	return net.JoinHostPort(host, strconv.Itoa(c.Port))
}

func validate(c Channel) error {
	switch {
	case c.Port <= 0 || c.Port > 65535:
		return fmt.Errorf("port %d out of range 1..65535", c.Port)
	case c.Host == "" && c.McastJoin == "":
		return errors.New("neither host nor mcast_join is set")
	case c.Bind != "" && c.BindHostname:
		return errors.New("bind and bind_hostname exclude each other")
	case c.TTL < 0 || c.TTL > 255:
		return fmt.Errorf("ttl %d out of range 0..255", c.TTL)
	case c.SourcePort < 0 || c.SourcePort > 65535:
		return fmt.Errorf("source port %d out of range 0..65535", c.SourcePort)
	}
	return nil
}

func (s *Sender) openChannel(c Channel, shared map[string]*sock) (*channel, route, error) {
	if err := validate(c); err != nil {
		return nil, route{}, err
	}
	ctx, cancel := context.WithTimeout(s.ctx, resolveTimeout)
	defer cancel()
	laddr, err := s.bindAddr(ctx, c)
	if err != nil {
		return nil, route{}, err
	}
	ch := &channel{cfg: c, mcast: c.McastJoin != "", fam: family(laddr)}
	network, host := "udp", c.Host
	if ch.mcast {
		host = c.McastJoin
		if network, err = ch.mcastNetwork(); err != nil {
			return nil, route{}, err
		}
	}
	dst, err := resolveAddr(ctx, s.lookup, host, ch.fam)
	if err != nil {
		return nil, route{}, err
	}
	if ch.mcast && !dst.IsMulticast() {
		return nil, route{}, fmt.Errorf("mcast_join %s is not a multicast address", dst)
	}
	sk, err := s.socket(network, laddr, c.SourcePort, shared)
	if err != nil {
		return nil, route{}, err
	}
	if ch.mcast {
		ttl := c.TTL
		if ttl == 0 {
			ttl = 1 // stock's default
		}
		if err := sk.setMulticast(mcastOpts{v4: dst.Is4(), iface: c.McastIf, ttl: ttl}); err != nil {
			return nil, route{}, err
		}
	}
	ch.sock = sk
	return ch, route{host: host, port: c.Port, dst: netip.AddrPortFrom(dst, uint16(c.Port))}, nil
}

// mcastNetwork picks the socket family of an unbound multicast channel from
// its group, so that the IPv4 or IPv6 multicast options apply to it.
func (ch *channel) mcastNetwork() (string, error) {
	if ch.fam != 0 {
		return "udp", nil
	}
	group, err := netip.ParseAddr(ch.cfg.McastJoin)
	if err != nil {
		return "", fmt.Errorf("mcast_join %q is not an IP address", ch.cfg.McastJoin)
	}
	if group.Unmap().Is4() {
		ch.fam = 4
		return "udp4", nil
	}
	ch.fam = 6
	return "udp6", nil
}

// bindAddr is the source address the channel binds, or the invalid Addr
// for the wildcard.
func (s *Sender) bindAddr(ctx context.Context, c Channel) (netip.Addr, error) {
	switch {
	case c.Bind != "":
		a, err := resolveAddr(ctx, s.lookup, c.Bind, 0)
		if err != nil {
			return a, fmt.Errorf("bind: %w", err)
		}
		return a, nil
	case c.BindHostname:
		name, err := s.hostname()
		if err != nil {
			return netip.Addr{}, fmt.Errorf("bind_hostname: %w", err)
		}
		a, err := resolveAddr(ctx, s.lookup, name, 0)
		if err != nil {
			return a, fmt.Errorf("bind_hostname: %w", err)
		}
		return a, nil
	}
	return netip.Addr{}, nil
}

// socket returns the socket bound to laddr:port, opening it unless a
// channel with the same fixed source port already did.
func (s *Sender) socket(network string, laddr netip.Addr, port int, shared map[string]*sock) (*sock, error) {
	key := ""
	if port != 0 {
		key = network + " " + laddr.String() + " " + strconv.Itoa(port)
		if sk := shared[key]; sk != nil {
			return sk, nil
		}
	}
	ua := &net.UDPAddr{IP: laddr.AsSlice(), Port: port, Zone: laddr.Zone()}
	conn, err := net.ListenUDP(network, ua)
	if err != nil {
		return nil, err
	}
	raw, err := conn.SyscallConn()
	if err != nil {
		conn.Close()
		return nil, err
	}
	sk := &sock{conn: conn, raw: raw, local: conn.LocalAddr().String()}
	sk.family = socketFamily(raw)
	// Best effort: without it only the refusals go unreported.
	if err := enableRecvErr(raw, sk.family); err != nil {
		s.log.Debug("ICMP error reporting unavailable", "local", sk.local, "err", err)
	}
	s.socks = append(s.socks, sk)
	if key != "" {
		shared[key] = sk
	}
	return sk, nil
}

// setMulticast applies o to the socket once; a second multicast channel on
// the same socket must agree with the first.
func (sk *sock) setMulticast(o mcastOpts) error {
	if sk.mcast != nil {
		if *sk.mcast != o {
			return fmt.Errorf("shares source port %s with a multicast channel of other ttl or mcast_if", sk.local)
		}
		return nil
	}
	if err := setMulticast(sk.raw, o); err != nil {
		return err
	}
	sk.mcast = &o
	return nil
}
