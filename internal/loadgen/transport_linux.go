package loadgen

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"unsafe"
)

// pktinfoSupported: Linux lets a sender choose a datagram's source address
// with an IP_PKTINFO control message (ipi_spec_dst), and any 127.0.0.0/8
// address counts as local, so one unbound socket speaks for every host.
const pktinfoSupported = true

// pktinfoTransport sends every host's packets through one socket with a
// per-host control message that sets the source address: one descriptor
// for the whole fleet and one sendmsg per datagram.
type pktinfoTransport struct {
	c   *net.UDPConn
	oob [][]byte // per host: a ready IP_PKTINFO control message
}

func openPktinfo(cfg *Config) (transport, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4zero})
	if err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	space := syscall.CmsgSpace(syscall.SizeofInet4Pktinfo)
	all := make([]byte, space*cfg.Hosts)
	t := &pktinfoTransport{c: c, oob: make([][]byte, cfg.Hosts)}
	for i := range t.oob {
		a, _ := hostAddr(cfg.SourceBase, i)
		t.oob[i] = all[i*space : (i+1)*space : (i+1)*space]
		pktinfo(t.oob[i], a)
	}
	return t, nil
}

// pktinfo writes a cmsg {IPPROTO_IP, IP_PKTINFO, in_pktinfo{spec_dst: src}}
// into b, which is CmsgSpace(SizeofInet4Pktinfo) bytes.
func pktinfo(b []byte, src netip.Addr) {
	h := (*syscall.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level = syscall.IPPROTO_IP
	h.Type = syscall.IP_PKTINFO
	h.SetLen(syscall.CmsgLen(syscall.SizeofInet4Pktinfo))
	info := (*syscall.Inet4Pktinfo)(unsafe.Pointer(&b[syscall.CmsgLen(0)]))
	info.Spec_dst = src.As4()
}

func (t *pktinfoTransport) send(i int, dst netip.AddrPort, b []byte) error {
	_, _, err := t.c.WriteMsgUDPAddrPort(b, t.oob[i], dst)
	return err
}

func (t *pktinfoTransport) close() error { return t.c.Close() }
