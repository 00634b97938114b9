package sender

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"syscall"
)

// maxDrain bounds the errors read from one socket's error queue at a time.
const maxDrain = 256

// errICMP stands for a queued error whose errno could not be read.
var errICMP = errors.New("ICMP error")

// queuedError is one entry of a socket's error queue: the destination of
// the datagram that caused it, and the errno (ECONNREFUSED for ICMP port
// unreachable).
type queuedError struct {
	dst netip.AddrPort
	err error
}

// enableRecvErr asks Linux to report ICMP errors on an unconnected socket
// (IP_RECVERR, and IPV6_RECVERR for an IPv6 or dual-stack one). Without it
// a collector port nobody listens on would go unnoticed; with it each error
// is queued with the destination it concerns, which drain reads.
func enableRecvErr(raw syscall.RawConn, fam int) error {
	var e4, e6 error
	err := raw.Control(func(fd uintptr) {
		e4 = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_RECVERR, 1)
		if fam == syscall.AF_INET6 {
			e6 = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_RECVERR, 1)
		}
	})
	if err != nil {
		return err
	}
	if err := errors.Join(e4, e6); err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// readErrQueue empties the socket's error queue without blocking. It runs
// under Control, not Read: a Serve goroutine parked in a read holds the
// read lock, and Send must not wait for it.
func readErrQueue(raw syscall.RawConn) []queuedError {
	var out []queuedError
	var payload [8]byte // the datagram that failed comes back; not needed
	var oob [256]byte
	raw.Control(func(fd uintptr) {
		for range maxDrain {
			_, oobn, _, from, err := syscall.Recvmsg(int(fd), payload[:], oob[:],
				syscall.MSG_ERRQUEUE|syscall.MSG_DONTWAIT)
			if err != nil {
				return // EAGAIN: the queue is empty
			}
			out = append(out, queuedError{dst: addrPort(from), err: extendedErrno(oob[:oobn])})
		}
	})
	return out
}

// extendedErrno reads ee_errno, the first field of the sock_extended_err
// that comes with a queued error.
func extendedErrno(oob []byte) error {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return errICMP
	}
	for _, m := range msgs {
		v4 := m.Header.Level == syscall.IPPROTO_IP && m.Header.Type == syscall.IP_RECVERR
		v6 := m.Header.Level == syscall.IPPROTO_IPV6 && m.Header.Type == syscall.IPV6_RECVERR
		if (v4 || v6) && len(m.Data) >= 4 {
			return syscall.Errno(binary.NativeEndian.Uint32(m.Data))
		}
	}
	return errICMP
}

func addrPort(sa syscall.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *syscall.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *syscall.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// setMulticast sets the hop limit and outgoing interface of a socket that
// sends to a multicast group, as stock gmond's mcast_if and ttl do.
func setMulticast(raw syscall.RawConn, o mcastOpts) error {
	ifindex := 0
	if o.iface != "" {
		ifi, err := net.InterfaceByName(o.iface)
		if err != nil {
			return fmt.Errorf("mcast_if %q: %w", o.iface, err)
		}
		ifindex = ifi.Index
	}
	var serr error
	err := raw.Control(func(fd uintptr) {
		s := int(fd)
		if o.v4 {
			serr = syscall.SetsockoptInt(s, syscall.IPPROTO_IP, syscall.IP_MULTICAST_TTL, o.ttl)
			if serr == nil && ifindex != 0 {
				serr = syscall.SetsockoptIPMreqn(s, syscall.IPPROTO_IP, syscall.IP_MULTICAST_IF,
					&syscall.IPMreqn{Ifindex: int32(ifindex)})
			}
			return
		}
		serr = syscall.SetsockoptInt(s, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_HOPS, o.ttl)
		if serr == nil && ifindex != 0 {
			serr = syscall.SetsockoptInt(s, syscall.IPPROTO_IPV6, syscall.IPV6_MULTICAST_IF, ifindex)
		}
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("multicast options: %w", os.NewSyscallError("setsockopt", serr))
	}
	return nil
}
