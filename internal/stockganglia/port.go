package stockganglia

import (
	"fmt"
	"net"
	"sync"
	"testing"
)

// handedOut remembers every port FreePort returned in this process, so two
// parallel tests never get the same number even after the first released it.
var (
	portMu    sync.Mutex
	handedOut = map[int]bool{}
)

// FreePort returns a port number that is free for both TCP and UDP on every
// IPv4 address at the time of the call, like the single number stock gmond
// uses for its UDP receive and TCP accept channels. gmetad binds its ports on
// 0.0.0.0, which is why the probe binds the wildcard address rather than
// 127.0.0.1. The port is released before returning; the small window in
// which another process may take it is covered by the retries of the Start
// functions.
func FreePort(tb testing.TB) int {
	tb.Helper()
	var lastErr error
	for range 100 {
		port, err := probePort()
		if err != nil {
			lastErr = err
			continue
		}
		portMu.Lock()
		taken := handedOut[port]
		handedOut[port] = true
		portMu.Unlock()
		if !taken {
			return port
		}
	}
	tb.Fatalf("stockganglia: no free TCP+UDP port: %v", lastErr)
	return 0
}

func probePort() (int, error) {
	l, err := net.Listen("tcp4", "0.0.0.0:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	u, err := net.ListenPacket("udp4", fmt.Sprintf("0.0.0.0:%d", port))
	if err != nil {
		return 0, err
	}
	u.Close()
	return port, nil
}
