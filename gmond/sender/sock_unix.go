//go:build unix

package sender

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
)

// socketFamily reads the socket's address family, which decides how a
// destination must be written for sendto: a dual-stack socket is AF_INET6
// and takes IPv4 destinations v4-mapped.
func socketFamily(raw syscall.RawConn) int {
	fam := 0
	raw.Control(func(fd uintptr) {
		sa, err := syscall.Getsockname(int(fd))
		if err != nil {
			return
		}
		switch sa.(type) {
		case *syscall.SockaddrInet4:
			fam = syscall.AF_INET
		case *syscall.SockaddrInet6:
			fam = syscall.AF_INET6
		}
	})
	return fam
}

// writeTo sends one datagram without waiting. net.UDPConn.WriteTo would
// park the caller while the socket buffer is full; here the kernel's
// EAGAIN comes back as an error, so collection never waits for the
// network.
func writeTo(sk *sock, dst netip.AddrPort, pkt []byte) error {
	if sk.family == 0 {
		_, err := sk.conn.WriteToUDPAddrPort(pkt, dst)
		return err
	}
	sa, err := sockaddr(sk.family, dst)
	if err != nil {
		return err
	}
	var serr error
	err = sk.raw.Write(func(fd uintptr) bool {
		serr = syscall.Sendto(int(fd), pkt, 0, sa)
		return true // done either way: never wait for writability
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("sendto", serr)
	}
	return nil
}

func sockaddr(fam int, dst netip.AddrPort) (syscall.Sockaddr, error) {
	a, port := dst.Addr(), int(dst.Port())
	if fam == syscall.AF_INET {
		a = a.Unmap()
		if !a.Is4() {
			return nil, &net.AddrError{Err: "IPv6 destination on an IPv4 socket", Addr: dst.String()}
		}
		return &syscall.SockaddrInet4{Port: port, Addr: a.As4()}, nil
	}
	sa := &syscall.SockaddrInet6{Port: port, Addr: a.As16()}
	if z := a.Zone(); z != "" {
		if ifi, err := net.InterfaceByName(z); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		} else if n, err := strconv.ParseUint(z, 10, 32); err == nil {
			sa.ZoneId = uint32(n)
		}
	}
	return sa, nil
}
