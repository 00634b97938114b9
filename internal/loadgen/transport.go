package loadgen

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// transport sends one datagram as host i. Only one goroutine sends at a time.
type transport interface {
	send(host int, dst netip.AddrPort, b []byte) error
	close() error
}

// openTransport opens the sockets cfg asks for: one shared socket when
// spoofing, else IP_PKTINFO on one socket where the OS has it (Linux), else
// one socket per host.
func openTransport(cfg *Config) (transport, error) {
	switch {
	case cfg.Spoof:
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
		if err != nil {
			return nil, fmt.Errorf("loadgen: %w", err)
		}
		return spoofTransport{c}, nil
	case !cfg.Sockets && pktinfoSupported:
		return openPktinfo(cfg)
	}
	return openSockets(cfg)
}

// spoofTransport sends every host's packets from one socket: the host is
// named inside the packet.
type spoofTransport struct{ c *net.UDPConn }

func (t spoofTransport) send(_ int, dst netip.AddrPort, b []byte) error {
	_, err := t.c.WriteToUDPAddrPort(b, dst)
	return err
}

func (t spoofTransport) close() error { return t.c.Close() }

// socketsTransport binds one socket per host to the host's source address:
// portable, but one file descriptor per host and one kernel socket lookup
// per datagram.
type socketsTransport []*net.UDPConn

func openSockets(cfg *Config) (transport, error) {
	t := make(socketsTransport, 0, cfg.Hosts)
	for i := 0; i < cfg.Hosts; i++ {
		a, _ := hostAddr(cfg.SourceBase, i)
		c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(a, 0)))
		if err != nil {
			t.close()
			if errors.Is(err, syscall.EMFILE) {
				return nil, fmt.Errorf("loadgen: %d sockets exceed the open file limit (ulimit -n): %w", cfg.Hosts, err)
			}
			return nil, fmt.Errorf("loadgen: bind host %d: %w", i, err)
		}
		t = append(t, c)
	}
	return t, nil
}

func (t socketsTransport) send(i int, dst netip.AddrPort, b []byte) error {
	_, err := t[i].WriteToUDPAddrPort(b, dst)
	return err
}

func (t socketsTransport) close() error {
	var errs []error
	for _, c := range t {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
