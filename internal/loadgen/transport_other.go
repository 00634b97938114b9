//go:build !linux

package loadgen

// pktinfoSupported is false where IP_PKTINFO cannot set the source address;
// New falls back to one socket per host.
const pktinfoSupported = false

func openPktinfo(cfg *Config) (transport, error) { return openSockets(cfg) }
