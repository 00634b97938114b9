package collect

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
)

func TestNetworkTwoSamples(t *testing.T) {
	tests := []struct {
		fixture string
		want    map[string]float64
	}{
		{
			// eth0 +200000 B and +400 packets in, +40000 B and +100 packets
			// out over 20 s; lo moves a lot but is not counted, ifb0 idles.
			fixture: "x86_kvm",
			want: map[string]float64{
				"bytes_in": 10000, "bytes_out": 2000, "pkts_in": 20, "pkts_out": 5,
				"bytes_in_eth0": 10000, "bytes_out_eth0": 2000, "pkts_in_eth0": 20, "pkts_out_eth0": 5,
				"bytes_in_ifb0": 0, "bytes_out_ifb0": 0, "pkts_in_ifb0": 0, "pkts_out_ifb0": 0,
			},
		},
		{
			// An etherchannel bond0 = eth0 + eth1 where eth0 carries all the
			// traffic. The host totals count the members only, like
			// libmetrics (not bond0, not the VLAN bond0.100 on top of it);
			// the per-interface rates show the imbalance.
			fixture: "power9_lpar",
			want: map[string]float64{
				"bytes_in": 1e6, "bytes_out": 5e5, "pkts_in": 1000, "pkts_out": 500,
				"bytes_in_eth0": 1e6, "bytes_out_eth0": 5e5, "pkts_in_eth0": 1000, "pkts_out_eth0": 500,
				"bytes_in_eth1": 0, "bytes_out_eth1": 0, "pkts_in_eth1": 0, "pkts_out_eth1": 0,
				"bytes_in_bond0": 1e6, "bytes_out_bond0": 5e5, "pkts_in_bond0": 1000, "pkts_out_bond0": 500,
				"bytes_in_bond0.100": 10000, "bytes_out_bond0.100": 5000, "pkts_in_bond0.100": 10, "pkts_out_bond0.100": 5,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			dir := fixtureTree(t, tt.fixture)
			c := byName(t, linuxAt(t, dir), "netdev")
			if got := collectMap(t, c, t0); len(got) != 0 {
				t.Fatalf("first Collect = %v; want nothing (no interval yet)", got)
			}
			applyLater(t, dir, tt.fixture)
			got := collectMap(t, c, t0.Add(20e9))
			wantNums(t, got, tt.want)
			checkDefined(t, c, got)
		})
	}
}

// checkDefined fails if a reading has no definition in c.Defs().
func checkDefined(t *testing.T, c metric.Collector, got map[string]metric.Value) {
	t.Helper()
	defs := make(map[string]bool)
	for _, d := range c.Defs() {
		defs[d.Name] = true
	}
	for name := range got {
		if !defs[name] {
			t.Errorf("reading %s has no definition in Defs()", name)
		}
	}
}

func TestNetworkReadingOrder(t *testing.T) {
	dir := fixtureTree(t, "power9_lpar")
	c := byName(t, linuxAt(t, dir), "netdev")
	if _, err := c.Collect(t0); err != nil {
		t.Fatal(err)
	}
	applyLater(t, dir, "power9_lpar")
	rs, err := c.Collect(t0.Add(20e9))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	// Host totals in stock order, then each interface in name order, in
	// the order of PerInterfaceDefs.
	want := []string{"bytes_out", "bytes_in", "pkts_in", "pkts_out"}
	for _, ifc := range []string{"bond0", "bond0.100", "eth0", "eth1"} {
		for _, d := range PerInterfaceDefs(ifc) {
			want = append(want, d.Name)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("readings in order\n%v\nwant\n%v", names, want)
	}
}

const netHdr = "Inter-|   Receive                                                |  Transmit\n" +
	" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"

func netDev(lines ...string) string { return netHdr + strings.Join(lines, "\n") + "\n" }

func TestNetworkCounterBackwardsAndReset(t *testing.T) {
	dir := t.TempDir()
	c := newNetwork(linuxRoot(dir), newOnceLog(nil))
	step := func(sec int64, text string) map[string]metric.Value {
		writeFile(t, dir, "/proc/net/dev", text)
		return collectMap(t, c, t0.Add(time.Duration(sec)*time.Second))
	}
	step(0, netDev("eth0: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0", "eth1: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0"))
	// eth1 was reset (driver reload): its counters went backwards. Its own
	// rates and the host totals are absent this time; eth0 still reports.
	got := step(10, netDev("eth0: 2000 20 0 0 0 0 0 0 3000 30 0 0 0 0 0 0", "eth1: 10 1 0 0 0 0 0 0 10 1 0 0 0 0 0 0"))
	wantNums(t, got, map[string]float64{"bytes_in_eth0": 100, "bytes_out_eth0": 200, "pkts_in_eth0": 1, "pkts_out_eth0": 2})
	// The next interval is measured from the values after the reset.
	got = step(20, netDev("eth0: 2000 20 0 0 0 0 0 0 3000 30 0 0 0 0 0 0", "eth1: 110 3 0 0 0 0 0 0 210 5 0 0 0 0 0 0"))
	wantNums(t, got, map[string]float64{
		"bytes_in": 10, "bytes_out": 20, "pkts_in": 0.2, "pkts_out": 0.4,
		"bytes_in_eth0": 0, "bytes_out_eth0": 0, "pkts_in_eth0": 0, "pkts_out_eth0": 0,
		"bytes_in_eth1": 10, "bytes_out_eth1": 20, "pkts_in_eth1": 0.2, "pkts_out_eth1": 0.4,
	})

	// After an LPM move the baselines are dropped: the next Collect only
	// records, even though the counters are plausible.
	c.ResetBaselines()
	if got := step(30, netDev("eth0: 9000 90 0 0 0 0 0 0 9000 90 0 0 0 0 0 0", "eth1: 110 3 0 0 0 0 0 0 210 5 0 0 0 0 0 0")); len(got) != 0 {
		t.Errorf("Collect after ResetBaselines = %v; want nothing", got)
	}
	got = step(40, netDev("eth0: 9100 90 0 0 0 0 0 0 9000 90 0 0 0 0 0 0", "eth1: 110 3 0 0 0 0 0 0 210 5 0 0 0 0 0 0"))
	if got["bytes_in"].Num != 10 || got["bytes_in_eth0"].Num != 10 {
		t.Errorf("after reset: bytes_in=%v bytes_in_eth0=%v, want 10 and 10", got["bytes_in"], got["bytes_in_eth0"])
	}

	// No time passed: nothing to report, and the baseline stays.
	if got := step(40, netDev("eth0: 9900 90 0 0 0 0 0 0 9000 90 0 0 0 0 0 0", "eth1: 110 3 0 0 0 0 0 0 210 5 0 0 0 0 0 0")); len(got) != 0 {
		t.Errorf("Collect at the same instant = %v; want nothing", got)
	}
}

func TestNetworkNewInterface(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "/proc/net/dev", netDev("eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"))
	c := newNetwork(linuxRoot(dir), newOnceLog(nil))
	// Interfaces present at start are defined before the first Collect.
	if !hasDef(c, "bytes_in_eth0") || hasDef(c, "bytes_in_eth 1") {
		t.Fatalf("Defs at start = %v", defNames(c.Defs()))
	}
	collectMap(t, c, t0)
	// A hot-plugged interface, with a name that needs sanitising. It has
	// no baseline yet: the totals go on without it and it gets no rates.
	writeFile(t, dir, "/proc/net/dev", netDev("eth0: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0", "eth 1#x: 5000 50 0 0 0 0 0 0 5000 50 0 0 0 0 0 0"))
	got := collectMap(t, c, t0.Add(10e9))
	wantNums(t, got, map[string]float64{
		"bytes_in": 10, "bytes_out": 10, "pkts_in": 0.1, "pkts_out": 0.1,
		"bytes_in_eth0": 10, "bytes_out_eth0": 10, "pkts_in_eth0": 0.1, "pkts_out_eth0": 0.1,
	})
	if !hasDef(c, "bytes_in_eth_1_x") {
		t.Errorf("Defs after the new interface appeared = %v; want bytes_in_eth_1_x", defNames(c.Defs()))
	}
	got = collectMap(t, c, t0.Add(20e9))
	if v, ok := got["pkts_out_eth_1_x"]; !ok || v.Num != 0 {
		t.Errorf("pkts_out_eth_1_x = %v, %v; want 0", v, ok)
	}
	checkDefined(t, c, got)
}

func TestNetworkGlitchDropped(t *testing.T) {
	dir := t.TempDir()
	c := newNetwork(linuxRoot(dir), newOnceLog(nil))
	writeFile(t, dir, "/proc/net/dev", netDev("eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"))
	collectMap(t, c, t0)
	// 2e14 bytes in one second: a hardware glitch libmetrics discards.
	writeFile(t, dir, "/proc/net/dev", netDev("eth0: 200000000000000 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0"))
	if got := collectMap(t, c, t0.Add(1e9)); len(got) != 0 {
		t.Errorf("glitch reported: %v", got)
	}
}

func TestPerInterfaceDefs(t *testing.T) {
	defs := PerInterfaceDefs("en0/vlan:7")
	base := defsOf("bytes_in", "bytes_out", "pkts_in", "pkts_out")
	for i, d := range defs {
		if want := base[i].Name + "_en0_vlan_7"; d.Name != want {
			t.Errorf("name %q, want %q", d.Name, want)
		}
		b := base[i]
		if d.Type != b.Type || d.Units != b.Units || d.Slope != b.Slope || d.TMax != b.TMax || d.Format != b.Format || d.Group != "network" {
			t.Errorf("%s = %+v; want the typing of %+v", d.Name, d, b)
		}
		if !strings.Contains(d.Desc, "en0_vlan_7") {
			t.Errorf("%s: desc %q does not name the interface", d.Name, d.Desc)
		}
	}
	for in, want := range map[string]string{"eth0": "eth0", "bond0.100": "bond0.100", "br-1a2b": "br-1a2b", "we ird€": "we_ird_"} {
		if got := SanitizeIface(in); got != want {
			t.Errorf("SanitizeIface(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseNetDev(t *testing.T) {
	// Linux 2.4 printed no space after the colon once the counter was wide.
	got, err := parseNetDev([]byte(netDev("  eth0:4294967000 9000 0 0 0 0 0 0 1000000 8000 0 0 0 0 0 0")))
	if err != nil || len(got) != 1 || got[0] != (ifCounters{"eth0", 4294967000, 9000, 1000000, 8000}) {
		t.Errorf("parseNetDev = %+v, %v", got, err)
	}
	for _, bad := range []string{"eth0: 1 2 3\n", "eth0: 1 2 3 4 5 6 7 8 x 10\n", ": 1 2 3 4 5 6 7 8 9 10\n"} {
		if got, err := parseNetDev([]byte(netHdr + bad)); err == nil {
			t.Errorf("parseNetDev(%q) = %+v, nil; want an error", bad, got)
		}
	}
	vl := parseVlanConfig([]byte("VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\neth0.5         | 5  | eth0\nvlan7 | 7 | eth1\n"))
	if len(vl) != 2 || !vl["eth0.5"] || !vl["vlan7"] {
		t.Errorf("parseVlanConfig = %v", vl)
	}
}

func hasDef(c metric.Collector, name string) bool {
	return slices.Contains(defNames(c.Defs()), name)
}

func defNames(defs []metric.Def) []string {
	var out []string
	for _, d := range defs {
		out = append(out, d.Name)
	}
	return out
}
