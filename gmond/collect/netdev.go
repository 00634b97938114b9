package collect

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
)

// ifCounters is one interface's line of /proc/net/dev, the four counters
// gmond uses.
type ifCounters struct {
	name                             string
	rxBytes, rxPkts, txBytes, txPkts uint64
}

var errNetDev = errors.New("/proc/net/dev: malformed")

// parseNetDev parses /proc/net/dev: two header lines, then one line per
// interface, "  eth0: rxbytes rxpkts errs drop fifo frame compressed
// multicast txbytes txpkts ...". Old kernels print no space after the colon
// once the counter is wide, so the name ends at the first colon, not at
// white space.
func parseNetDev(b []byte) ([]ifCounters, error) {
	var out []ifCounters
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		name, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok || bytes.IndexByte(name, '|') >= 0 {
			continue // header lines have '|' and no colon
		}
		name = bytes.TrimSpace(name)
		f := bytes.Fields(rest)
		if len(name) == 0 || len(f) < 10 {
			return nil, errNetDev
		}
		var v [4]uint64
		for i, col := range [4]int{0, 1, 8, 9} {
			n, err := strconv.ParseUint(string(f[col]), 10, 64)
			if err != nil {
				return nil, errNetDev
			}
			v[i] = n
		}
		out = append(out, ifCounters{name: string(name), rxBytes: v[0], rxPkts: v[1], txBytes: v[2], txPkts: v[3]})
	}
	return out, nil
}

// parseVlanConfig returns the VLAN device names of /proc/net/vlan/config.
// After a header ("VLAN Dev name | VLAN ID" and "Name-Type: ...") each line
// is "eth0.100       | 100  | eth0"; only lines of that shape count.
func parseVlanConfig(b []byte) map[string]bool {
	out := make(map[string]bool)
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte{'\n'})
		parts := bytes.Split(line, []byte{'|'})
		if len(parts) != 3 || !allDigits(bytes.TrimSpace(parts[1])) {
			continue
		}
		if n := string(bytes.TrimSpace(parts[0])); n != "" {
			out[n] = true
		}
	}
	return out
}

// inHostTotal reports whether libmetrics counts iface in the host's
// bytes/pkts totals: it skips loopback ("lo" prefix), bonding masters
// ("bond" prefix) and VLAN devices, whose traffic their member or parent
// interfaces already count.
func inHostTotal(iface string, vlans map[string]bool) bool {
	return !strings.HasPrefix(iface, "lo") && !strings.HasPrefix(iface, "bond") && !vlans[iface]
}
