package pcap

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"
)

// capture builds a pcap file in memory, the way tcpdump -w would write it on
// a machine of the given byte order.
type capture struct {
	order binary.ByteOrder
	nano  bool
	buf   bytes.Buffer
}

func newCapture(order binary.ByteOrder, nano bool, link LinkType) *capture {
	c := &capture{order: order, nano: nano}
	magic := uint32(MagicMicro)
	if nano {
		magic = MagicNano
	}
	var h [24]byte
	order.PutUint32(h[0:], magic)
	order.PutUint16(h[4:], 2)
	order.PutUint16(h[6:], 4)
	order.PutUint32(h[16:], 262144)
	order.PutUint32(h[20:], uint32(link))
	c.buf.Write(h[:])
	return c
}

// add appends a record whose original length equals its captured length.
func (c *capture) add(ts time.Time, frame []byte) *capture {
	return c.addCut(ts, frame, len(frame))
}

// addCut appends a record captured from a frame of origLen bytes.
func (c *capture) addCut(ts time.Time, frame []byte, origLen int) *capture {
	frac := uint32(ts.Nanosecond() / 1000)
	if c.nano {
		frac = uint32(ts.Nanosecond())
	}
	var h [16]byte
	c.order.PutUint32(h[0:], uint32(ts.Unix()))
	c.order.PutUint32(h[4:], frac)
	c.order.PutUint32(h[8:], uint32(len(frame)))
	c.order.PutUint32(h[12:], uint32(origLen))
	c.buf.Write(h[:])
	c.buf.Write(frame)
	return c
}

func (c *capture) bytes() []byte { return c.buf.Bytes() }

// udpPacket returns an IPv4 or IPv6 packet (by the address family of src)
// holding one UDP datagram. Checksums are left zero: the reader ignores them.
func udpPacket(src, dst netip.AddrPort, payload []byte) []byte {
	u := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(u[0:], src.Port())
	binary.BigEndian.PutUint16(u[2:], dst.Port())
	binary.BigEndian.PutUint16(u[4:], uint16(8+len(payload)))
	u = append(u, payload...)
	return ipPacket(src.Addr(), dst.Addr(), protoUDP, u)
}

// ipPacket wraps an upper-layer payload of protocol proto in an IP header.
func ipPacket(src, dst netip.Addr, proto byte, payload []byte) []byte {
	if src.Is4() {
		h := make([]byte, 20, 20+len(payload))
		h[0] = 0x45
		binary.BigEndian.PutUint16(h[2:], uint16(20+len(payload)))
		binary.BigEndian.PutUint16(h[6:], 0x4000) // don't fragment
		h[8], h[9] = 64, proto
		s, d := src.As4(), dst.As4()
		copy(h[12:], s[:])
		copy(h[16:], d[:])
		return append(h, payload...)
	}
	h := make([]byte, 40, 40+len(payload))
	h[0] = 0x60
	binary.BigEndian.PutUint16(h[4:], uint16(len(payload)))
	h[6], h[7] = proto, 64
	s, d := src.As16(), dst.As16()
	copy(h[8:], s[:])
	copy(h[24:], d[:])
	return append(h, payload...)
}

// frame puts an IP packet behind the link-layer header of link, as a writer
// of the given byte order would (only LinkNull depends on it).
func frame(link LinkType, order binary.ByteOrder, ip []byte) []byte {
	v6 := ip[0]>>4 == 6
	etherType := uint16(etherIPv4)
	if v6 {
		etherType = etherIPv6
	}
	var h []byte
	switch link {
	case LinkEthernet:
		h = make([]byte, 14)
		copy(h, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb")
		binary.BigEndian.PutUint16(h[12:], etherType)
	case LinkNull, LinkLoop:
		h = make([]byte, 4)
		fam := uint32(2)
		if v6 {
			fam = 24
		}
		if link == LinkLoop {
			order = binary.BigEndian
		}
		order.PutUint32(h, fam)
	case LinkSLL:
		h = make([]byte, 16)
		binary.BigEndian.PutUint16(h[2:], 772) // ARPHRD_LOOPBACK
		binary.BigEndian.PutUint16(h[14:], etherType)
	case LinkSLL2:
		h = make([]byte, 20)
		binary.BigEndian.PutUint16(h[0:], etherType)
		binary.BigEndian.PutUint32(h[4:], 1) // interface index
		binary.BigEndian.PutUint16(h[8:], 772)
	}
	return append(h, ip...)
}
