package lpmscenario

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Tee is a managed system's port as the agents see it: every datagram it
// receives goes on to each destination (our gmetad's port and the stock
// collector's) from a socket bound to the datagram's source address, so
// both receivers key the host by the agent's address as they would with
// the agent sending to them directly. What a destination sends back to
// that socket (a metadata request) is relayed to the agent from the tee's
// own port, the port the agent sent to.
type Tee struct {
	in    *net.UDPConn
	dests []netip.AddrPort

	mu   sync.Mutex
	outs map[netip.AddrPort]*net.UDPConn // by agent address
	done bool
	wg   sync.WaitGroup

	forwarded, relayed, dropped atomic.Int64
}

// NewTee listens on listen (host:port, port 0 for any) and forwards to
// dests. Serve runs it.
func NewTee(listen string, dests ...netip.AddrPort) (*Tee, error) {
	addr, err := net.ResolveUDPAddr("udp4", listen)
	if err != nil {
		return nil, err
	}
	in, err := net.ListenUDP("udp4", addr)
	if err != nil {
		return nil, err
	}
	return &Tee{in: in, dests: dests, outs: map[netip.AddrPort]*net.UDPConn{}}, nil
}

// Addr is the address the tee listens on.
func (t *Tee) Addr() netip.AddrPort { return t.in.LocalAddr().(*net.UDPAddr).AddrPort() }

// Serve forwards until Close; it returns nil then.
func (t *Tee) Serve() error {
	buf := make([]byte, 65536)
	for {
		n, src, err := t.in.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		out, err := t.out(src)
		if err != nil {
			t.dropped.Add(1)
			continue
		}
		for _, d := range t.dests {
			if _, err := out.WriteToUDPAddrPort(buf[:n], d); err != nil {
				t.dropped.Add(1)
				continue
			}
			t.forwarded.Add(1)
		}
	}
}

// out returns the socket that speaks for the agent at src, bound to its
// address, and starts relaying what comes back to it.
func (t *Tee) out(src netip.AddrPort) (*net.UDPConn, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.outs[src]; c != nil {
		return c, nil
	}
	if t.done {
		return nil, net.ErrClosed
	}
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(src.Addr().Unmap(), 0)))
	if err != nil {
		return nil, err
	}
	t.outs[src] = c
	t.wg.Add(1)
	go t.relay(c, src)
	return c, nil
}

// relay sends what the destinations answer back to the agent.
func (t *Tee) relay(c *net.UDPConn, agent netip.AddrPort) {
	defer t.wg.Done()
	buf := make([]byte, 65536)
	for {
		n, _, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		if _, err := t.in.WriteToUDPAddrPort(buf[:n], agent); err == nil {
			t.relayed.Add(1)
		}
	}
}

// Forwarded counts the datagrams sent on, one per destination.
func (t *Tee) Forwarded() int64 { return t.forwarded.Load() }

// Relayed counts the answers sent back to agents.
func (t *Tee) Relayed() int64 { return t.relayed.Load() }

// Dropped counts the datagrams that could not be forwarded.
func (t *Tee) Dropped() int64 { return t.dropped.Load() }

// Close stops Serve and every relay and waits for them.
func (t *Tee) Close() error {
	err := t.in.Close()
	t.mu.Lock()
	t.done = true
	for _, c := range t.outs {
		c.Close()
	}
	t.mu.Unlock()
	t.wg.Wait()
	return err
}
