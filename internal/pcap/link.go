package pcap

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// LinkType is the LINKTYPE_ value of a capture: what header each frame starts
// with.
type LinkType uint32

// The link types DecodeUDP understands.
const (
	LinkNull     LinkType = 0   // BSD loopback: 4-byte address family in the writer's byte order
	LinkEthernet LinkType = 1   // Ethernet II, optionally with 802.1Q/802.1ad tags
	LinkRaw12    LinkType = 12  // raw IP (DLT_RAW on most BSDs)
	LinkRaw14    LinkType = 14  // raw IP (DLT_RAW on OpenBSD)
	LinkRaw      LinkType = 101 // raw IP (LINKTYPE_RAW)
	LinkLoop     LinkType = 108 // OpenBSD loopback: address family in network byte order
	LinkSLL      LinkType = 113 // Linux cooked capture v1 (tcpdump -i any)
	LinkIPv4     LinkType = 228 // raw IPv4 only
	LinkIPv6     LinkType = 229 // raw IPv6 only
	LinkSLL2     LinkType = 276 // Linux cooked capture v2 (newer tcpdump -i any)
)

var linkNames = map[LinkType]string{
	LinkNull: "NULL", LinkEthernet: "EN10MB", LinkRaw12: "RAW", LinkRaw14: "RAW",
	LinkRaw: "RAW", LinkLoop: "LOOP", LinkSLL: "LINUX_SLL", LinkIPv4: "IPV4",
	LinkIPv6: "IPV6", LinkSLL2: "LINUX_SLL2",
	105: "IEEE802_11", 127: "IEEE802_11_RADIOTAP", 192: "PPI", 147: "USER0",
}

// String returns the libpcap name and number of the link type.
func (l LinkType) String() string {
	n := strconv.FormatUint(uint64(l), 10)
	if name, ok := linkNames[l]; ok {
		return name + "(" + n + ")"
	}
	return "linktype(" + n + ")"
}

// Supported reports whether DecodeUDP can read frames of this link type.
func (l LinkType) Supported() bool {
	switch l {
	case LinkNull, LinkEthernet, LinkRaw12, LinkRaw14, LinkRaw, LinkLoop,
		LinkSLL, LinkIPv4, LinkIPv6, LinkSLL2:
		return true
	}
	return false
}

// EtherTypes of the network layers DecodeUDP follows.
const (
	etherIPv4 = 0x0800
	etherIPv6 = 0x86dd
	etherVLAN = 0x8100 // 802.1Q
	etherQinQ = 0x88a8 // 802.1ad
	etherOldQ = 0x9100 // pre-standard double tagging
)

// network strips the link-layer header of frame and returns the EtherType of
// what follows (0 when it is not IP) and the network-layer bytes.
func network(link LinkType, frame []byte) (uint16, []byte, error) {
	switch link {
	case LinkEthernet:
		return ethernet(frame)
	case LinkNull, LinkLoop:
		return loopback(link, frame)
	case LinkSLL:
		if len(frame) < 16 {
			return 0, nil, fmt.Errorf("sll header: %w", ErrTruncated)
		}
		return binary.BigEndian.Uint16(frame[14:]), frame[16:], nil
	case LinkSLL2:
		if len(frame) < 20 {
			return 0, nil, fmt.Errorf("sll2 header: %w", ErrTruncated)
		}
		return binary.BigEndian.Uint16(frame[0:]), frame[20:], nil
	case LinkRaw, LinkRaw12, LinkRaw14:
		return rawIP(frame), frame, nil
	case LinkIPv4:
		return etherIPv4, frame, nil
	case LinkIPv6:
		return etherIPv6, frame, nil
	}
	return 0, nil, fmt.Errorf("%v: %w", link, ErrLinkType)
}

func ethernet(frame []byte) (uint16, []byte, error) {
	if len(frame) < 14 {
		return 0, nil, fmt.Errorf("ethernet header: %w", ErrTruncated)
	}
	typ, off := binary.BigEndian.Uint16(frame[12:]), 14
	// Skip VLAN tags: each is 4 bytes whose last two hold the next EtherType.
	for typ == etherVLAN || typ == etherQinQ || typ == etherOldQ {
		if len(frame) < off+4 {
			return 0, nil, fmt.Errorf("vlan tag: %w", ErrTruncated)
		}
		typ, off = binary.BigEndian.Uint16(frame[off+2:]), off+4
	}
	return typ, frame[off:], nil
}

// loopback reads the BSD loopback header: the address family of the packet,
// in the capturing host's byte order for NULL and in network order for LOOP.
// AF_INET is 2 everywhere; AF_INET6 differs between systems.
func loopback(link LinkType, frame []byte) (uint16, []byte, error) {
	if len(frame) < 4 {
		return 0, nil, fmt.Errorf("loopback header: %w", ErrTruncated)
	}
	fam := binary.BigEndian.Uint32(frame)
	if link == LinkNull && fam > 0xffff {
		// Written by a little-endian host: the family sits in the first byte.
		fam = binary.LittleEndian.Uint32(frame)
	}
	switch fam {
	case 2:
		return etherIPv4, frame[4:], nil
	case 10, 24, 28, 30: // Linux, NetBSD/OpenBSD, FreeBSD, Darwin
		return etherIPv6, frame[4:], nil
	}
	return 0, frame[4:], nil
}

// rawIP picks the network layer of a raw IP frame from its version nibble.
func rawIP(frame []byte) uint16 {
	if len(frame) == 0 {
		return 0
	}
	switch frame[0] >> 4 {
	case 4:
		return etherIPv4
	case 6:
		return etherIPv6
	}
	return 0
}
