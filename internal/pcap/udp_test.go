package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
)

var (
	src4 = netip.MustParseAddrPort("127.0.0.1:43616")
	dst4 = netip.MustParseAddrPort("127.0.0.1:18301")
	src6 = netip.MustParseAddrPort("[::1]:43616")
	dst6 = netip.MustParseAddrPort("[::1]:18301")
	xdr  = []byte("\x00\x00\x00\x84\x00\x00\x00\x02vm\x00\x00")
)

// edit returns a copy of b changed by f.
func edit(b []byte, f func(b []byte) []byte) []byte { return f(bytes.Clone(b)) }

func TestDecodeUDPEdgeCases(t *testing.T) {
	eth := func(ip []byte) []byte { return frame(LinkEthernet, binary.BigEndian, ip) }
	v4 := udpPacket(src4, dst4, xdr)
	v6 := udpPacket(src6, dst6, xdr)
	tests := []struct {
		name string
		link LinkType
		in   []byte
		want error // nil: the payload must be xdr
	}{
		{"ethernet padding", LinkEthernet, append(eth(v4), make([]byte, 20)...), nil},
		{"vlan tag", LinkEthernet, vlan(eth(v4)), nil},
		{"ipv4 options", LinkRaw, withOptions(v4), nil},
		{"ipv6 hop-by-hop", LinkRaw, withHopByHop(v6), nil},
		{"arp", LinkEthernet, edit(eth(v4), func(b []byte) []byte { b[12], b[13] = 0x08, 0x06; return b }), ErrNotUDP},
		{"tcp", LinkRaw, ipPacket(src4.Addr(), dst4.Addr(), 6, make([]byte, 20)), ErrNotUDP},
		{"icmpv6", LinkRaw, ipPacket(src6.Addr(), dst6.Addr(), 58, make([]byte, 8)), ErrNotUDP},
		{"not ip", LinkRaw, []byte{0x10, 0, 0, 0}, ErrNotUDP},
		{"loopback unknown family", LinkNull, append([]byte{99, 0, 0, 0}, v4...), ErrNotUDP},
		{"first fragment", LinkRaw, edit(v4, func(b []byte) []byte { b[6] = 0x20; return b }), ErrFragment},
		{"later fragment", LinkRaw, edit(v4, func(b []byte) []byte { b[6], b[7] = 0, 0xb9; return b }), ErrFragment},
		{"ipv6 fragment", LinkRaw, ipv6Fragment(v6), ErrFragment},
		{"tcp fragment", LinkRaw, edit(ipPacket(src4.Addr(), dst4.Addr(), 6, make([]byte, 20)), func(b []byte) []byte { b[6] = 0x20; return b }), ErrNotUDP},
		{"snap length", LinkEthernet, eth(v4)[:14+20+8+4], ErrTruncated},
		{"short ethernet", LinkEthernet, make([]byte, 13), ErrTruncated},
		{"short vlan", LinkEthernet, vlan(eth(v4))[:16], ErrTruncated},
		{"short sll", LinkSLL, make([]byte, 15), ErrTruncated},
		{"short sll2", LinkSLL2, make([]byte, 19), ErrTruncated},
		{"short loopback", LinkNull, []byte{2, 0}, ErrTruncated},
		{"short ipv4", LinkRaw, v4[:19], ErrTruncated},
		{"short ipv6", LinkRaw, v6[:39], ErrTruncated},
		{"short udp", LinkRaw, v4[:20+7], ErrTruncated},
		{"ipv4 options cut", LinkRaw, edit(v4[:20], func(b []byte) []byte { b[0] = 0x4f; binary.BigEndian.PutUint16(b[2:], 60); return b }), ErrTruncated},
		{"ipv4 header length 4", LinkRaw, edit(v4, func(b []byte) []byte { b[0] = 0x41; return b }), ErrMalformed},
		{"ipv4 total < header", LinkRaw, edit(v4, func(b []byte) []byte { b[2], b[3] = 0, 10; return b }), ErrMalformed},
		{"ipv4 version 5 in ipv4 link", LinkIPv4, edit(v4, func(b []byte) []byte { b[0] = 0x55; return b }), ErrMalformed},
		{"ipv6 version 4 in ipv6 link", LinkIPv6, v4, ErrMalformed},
		{"udp length 7", LinkRaw, edit(v4, func(b []byte) []byte { b[24], b[25] = 0, 7; return b }), ErrMalformed},
		{"ipv6 ext cut", LinkRaw, withHopByHop(v6)[:44], ErrTruncated},
		{"wifi", 105, eth(v4), ErrLinkType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := DecodeUDP(tt.link, tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && !bytes.Equal(d.Payload, xdr) {
				t.Errorf("payload = %q", d.Payload)
			}
		})
	}
}

// vlan inserts an 802.1Q tag into an Ethernet frame.
func vlan(f []byte) []byte {
	out := append([]byte(nil), f[:12]...)
	out = append(out, 0x81, 0x00, 0x00, 0x2a)
	return append(out, f[12:]...)
}

// withOptions adds 4 bytes of IPv4 options (one NOP, three EOL).
func withOptions(p []byte) []byte {
	out := append([]byte(nil), p[:20]...)
	out[0] = 0x46
	binary.BigEndian.PutUint16(out[2:], uint16(len(p)+4))
	out = append(out, 1, 0, 0, 0)
	return append(out, p[20:]...)
}

// withHopByHop inserts an 8-byte hop-by-hop options header before UDP.
func withHopByHop(p []byte) []byte {
	out := append([]byte(nil), p[:40]...)
	out[6] = ip6HopByHop
	binary.BigEndian.PutUint16(out[4:], uint16(len(p)-40+8))
	out = append(out, protoUDP, 0, 1, 4, 0, 0, 0, 0) // next=UDP, len 0, PadN
	return append(out, p[40:]...)
}

// ipv6Fragment turns the packet into the first fragment of a larger one.
func ipv6Fragment(p []byte) []byte {
	out := append([]byte(nil), p[:40]...)
	out[6] = ip6Fragment
	binary.BigEndian.PutUint16(out[4:], uint16(len(p)-40+8))
	out = append(out, protoUDP, 0, 0, 1, 0, 0, 0x12, 0x34) // offset 0, M=1
	return append(out, p[40:]...)
}
