package main

import (
	"encoding/binary"
	"net/netip"
	"os"
	"testing"
)

// edgeCapture builds an Ethernet pcap (little-endian, microseconds) of the
// frames a capture of a real interface holds besides clean Ganglia traffic.
func edgeCapture(t *testing.T) []byte {
	t.Helper()
	p1, err := os.ReadFile("testdata/0001.bin")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := os.ReadFile("testdata/0002.bin")
	if err != nil {
		t.Fatal(err)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	lpar := netip.MustParseAddr("10.0.0.5")
	v6 := netip.MustParseAddr("::1")
	cut := ether(0x0800, udp4(lpar, lo, 43617, 18301, p1, 0))
	frames := [][]byte{
		ether(0x0800, udp4(lo, lo, 43616, 18301, p2, 0)),             // 1 ok
		ether(0x0806, make([]byte, 28)),                              // 2 ARP: skipped
		ether(0x0800, ip4(lo, lo, 6, 0, make([]byte, 20))),           // 3 TCP: skipped
		ether(0x0800, udp4(lpar, lo, 43617, 18301, p1[:64], 0x2000)), // 4 first fragment
		ether(0x86dd, udp6(v6, v6, 43618, 8649, p1)),                 // 5 IPv6, other port
		ether(0x0800, udp4(lo, lo, 5353, 5353, []byte("mdns"), 0)),   // 6 not Ganglia, other port
		cut[:len(cut)-100], // 7 cut by the snap length
	}
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = append(b, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, 150)
	b = binary.LittleEndian.AppendUint32(b, 1) // Ethernet
	for i, f := range frames {
		orig := len(f)
		if i == 6 {
			orig += 100
		}
		b = binary.LittleEndian.AppendUint32(b, 1795303137+uint32(i))
		b = binary.LittleEndian.AppendUint32(b, 163798)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f)))
		b = binary.LittleEndian.AppendUint32(b, uint32(orig))
		b = append(b, f...)
	}
	// 8: the capture ends inside a record header (tcpdump killed mid-write).
	return append(b, 0x01, 0x02, 0x03)
}

func ether(etherType uint16, payload []byte) []byte {
	h := make([]byte, 12, 14+len(payload))
	return append(binary.BigEndian.AppendUint16(h, etherType), payload...)
}

func ip4(src, dst netip.Addr, proto byte, flags uint16, payload []byte) []byte {
	h := []byte{0x45, 0, 0, 0, 0x12, 0x34, 0, 0, 64, proto, 0, 0}
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(payload)))
	binary.BigEndian.PutUint16(h[6:], flags)
	h = append(h, src.AsSlice()...)
	h = append(h, dst.AsSlice()...)
	return append(h, payload...)
}

func udpHeader(sport, dport uint16, payload []byte) []byte {
	u := binary.BigEndian.AppendUint16(nil, sport)
	u = binary.BigEndian.AppendUint16(u, dport)
	u = binary.BigEndian.AppendUint16(u, uint16(8+len(payload)))
	return append(append(u, 0, 0), payload...)
}

// udp4 returns an IPv4 UDP packet; flags 0x2000 marks a first fragment, whose
// UDP length still counts the whole datagram.
func udp4(src, dst netip.Addr, sport, dport uint16, payload []byte, flags uint16) []byte {
	u := udpHeader(sport, dport, payload)
	if flags != 0 {
		binary.BigEndian.PutUint16(u[4:], 1500)
	}
	return ip4(src, dst, 17, flags, u)
}

func udp6(src, dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	u := udpHeader(sport, dport, payload)
	h := []byte{0x60, 0, 0, 0, 0, 0, 17, 64}
	binary.BigEndian.PutUint16(h[4:], uint16(len(u)))
	h = append(h, src.AsSlice()...)
	h = append(h, dst.AsSlice()...)
	return append(h, u...)
}
