package pcap

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

const protoUDP = 17

// Datagram is the UDP content of one captured frame.
type Datagram struct {
	Src, Dst netip.AddrPort
	// Payload aliases the frame it was taken from.
	Payload []byte
}

// DecodeUDP takes the UDP datagram out of one frame of the given link type.
// It returns an error wrapping ErrNotUDP for frames that are not UDP over IP
// (ARP, TCP, ICMP...), which a caller normally skips; ErrFragment for UDP in
// an IP fragment; ErrTruncated when a header or the datagram was cut short,
// by the capture's snap length or otherwise; ErrMalformed for impossible
// header values; and ErrLinkType for link types it does not read. With an
// error, the Datagram still holds the addresses that were read, with port 0
// when the UDP header was not reached.
func DecodeUDP(link LinkType, frame []byte) (Datagram, error) {
	typ, b, err := network(link, frame)
	if err != nil {
		return Datagram{}, err
	}
	var src, dst netip.Addr
	switch typ {
	case etherIPv4:
		src, dst, b, err = ipv4(b)
	case etherIPv6:
		src, dst, b, err = ipv6(b)
	default:
		return Datagram{}, fmt.Errorf("ethertype %#04x: %w", typ, ErrNotUDP)
	}
	if err != nil {
		// Keep the addresses (with port 0) so the caller can say who sent it.
		return Datagram{Src: netip.AddrPortFrom(src, 0), Dst: netip.AddrPortFrom(dst, 0)}, err
	}
	return udp(src, dst, b)
}

// ipv4 returns the addresses and the payload of a UDP-carrying IPv4 packet.
func ipv4(b []byte) (src, dst netip.Addr, payload []byte, err error) {
	if len(b) < 20 {
		return src, dst, nil, fmt.Errorf("ipv4 header: %w", ErrTruncated)
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	switch {
	case b[0]>>4 != 4:
		return src, dst, nil, fmt.Errorf("ipv4 version %d: %w", b[0]>>4, ErrMalformed)
	case ihl < 20 || total < ihl:
		return src, dst, nil, fmt.Errorf("ipv4 header length %d, total length %d: %w", ihl, total, ErrMalformed)
	case len(b) < ihl:
		return src, dst, nil, fmt.Errorf("ipv4 options: %w", ErrTruncated)
	}
	src, dst = netip.AddrFrom4([4]byte(b[12:16])), netip.AddrFrom4([4]byte(b[16:20]))
	if b[9] != protoUDP {
		return src, dst, nil, fmt.Errorf("ip protocol %d: %w", b[9], ErrNotUDP)
	}
	flags := binary.BigEndian.Uint16(b[6:])
	if flags&0x2000 != 0 || flags&0x1fff != 0 { // more fragments, or an offset
		return src, dst, nil, fmt.Errorf("ipv4 id %d offset %d: %w",
			binary.BigEndian.Uint16(b[4:]), int(flags&0x1fff)*8, ErrFragment)
	}
	// Ethernet pads short frames: the IP total length says where data ends.
	// A capture cut by the snap length has less, which udp() reports.
	if total < len(b) {
		b = b[:total]
	}
	return src, dst, b[ihl:], nil
}

// IPv6 extension headers that may sit between the fixed header and UDP.
const (
	ip6HopByHop = 0
	ip6Routing  = 43
	ip6Fragment = 44
	ip6DestOpts = 60
)

// ipv6 returns the addresses and the payload of a UDP-carrying IPv6 packet,
// walking the extension headers that may precede it.
func ipv6(b []byte) (src, dst netip.Addr, payload []byte, err error) {
	if len(b) < 40 {
		return src, dst, nil, fmt.Errorf("ipv6 header: %w", ErrTruncated)
	}
	if b[0]>>4 != 6 {
		return src, dst, nil, fmt.Errorf("ipv6 version %d: %w", b[0]>>4, ErrMalformed)
	}
	src, dst = netip.AddrFrom16([16]byte(b[8:24])), netip.AddrFrom16([16]byte(b[24:40]))
	next, plen := b[6], int(binary.BigEndian.Uint16(b[4:]))
	b = b[40:]
	if plen != 0 && plen < len(b) { // 0 is a jumbogram: trust the capture
		b = b[:plen]
	}
	for {
		switch next {
		case protoUDP:
			return src, dst, b, nil
		case ip6HopByHop, ip6Routing, ip6DestOpts:
			if len(b) < 8 || len(b) < (int(b[1])+1)*8 {
				return src, dst, nil, fmt.Errorf("ipv6 extension header %d: %w", next, ErrTruncated)
			}
			next, b = b[0], b[(int(b[1])+1)*8:]
		case ip6Fragment:
			if len(b) < 8 || b[0] != protoUDP {
				return src, dst, nil, fmt.Errorf("ipv6 fragment: %w", ErrNotUDP)
			}
			return src, dst, nil, fmt.Errorf("ipv6 fragment id %d offset %d: %w",
				binary.BigEndian.Uint32(b[4:]), int(binary.BigEndian.Uint16(b[2:])&^7), ErrFragment)
		default:
			return src, dst, nil, fmt.Errorf("ipv6 next header %d: %w", next, ErrNotUDP)
		}
	}
}

// udp reads the UDP header of b and returns the datagram it carries.
func udp(src, dst netip.Addr, b []byte) (Datagram, error) {
	if len(b) < 8 {
		return Datagram{}, fmt.Errorf("udp header: %w", ErrTruncated)
	}
	d := Datagram{
		Src: netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:])),
		Dst: netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:])),
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	switch {
	case n == 0 && src.Is6() && len(b) > 0xffff:
		n = len(b) // RFC 2675 jumbogram: the length lives in the IPv6 option
	case n < 8:
		return d, fmt.Errorf("udp length %d: %w", n, ErrMalformed)
	case n > len(b):
		return d, fmt.Errorf("udp datagram cut by the capture (snap length?), %d of %d bytes: %w", len(b)-8, n-8, ErrTruncated)
	}
	d.Payload = b[8:n]
	return d, nil
}
