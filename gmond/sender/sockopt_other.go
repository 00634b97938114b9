//go:build !linux

package sender

import (
	"fmt"
	"net/netip"
	"runtime"
	"syscall"
)

type queuedError struct {
	dst netip.AddrPort
	err error
}

// enableRecvErr does nothing: elsewhere an unconnected UDP socket is never
// told about ICMP errors, so a refusing collector goes unreported.
func enableRecvErr(syscall.RawConn, int) error { return nil }

func readErrQueue(syscall.RawConn) []queuedError { return nil }

// setMulticast fails: multicast send channels are implemented for Linux
// only (the LPM setup is unicast).
func setMulticast(syscall.RawConn, mcastOpts) error {
	return fmt.Errorf("multicast send channels are not supported on %s; set host instead of mcast_join", runtime.GOOS)
}
