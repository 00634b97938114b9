package collect

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseAIXNetstatIn(t *testing.T) {
	tests := []struct {
		file string
		want []aixIf
		err  error
	}{
		{file: "lpar72.txt", want: []aixIf{
			{name: "en2", mtu: 9000, hasMTU: true, rxPkts: 812345678, txPkts: 623456789},
			{name: "en3", mtu: 1500, hasMTU: true, rxPkts: 4567890, txPkts: 3456789},
			{name: "lo0", mtu: 16896, hasMTU: true, rxPkts: 987654, txPkts: 987654},
		}},
		// en1 is down ('*'); an IPv6 row repeats en0; en4 has a jumbo MTU.
		{file: "down_and_ipv6.txt", want: []aixIf{
			{name: "en0", mtu: 1500, hasMTU: true, rxPkts: 9012345, txPkts: 7012345},
			{name: "en1", mtu: 576, hasMTU: true, down: true},
			{name: "en4", mtu: 65390, hasMTU: true, rxPkts: 211004, txPkts: 198220},
			{name: "lo0", mtu: 16896, hasMTU: true, rxPkts: 4412, txPkts: 4412},
		}},
		{file: "no_header.txt", err: errNetstatIn},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseAIXNetstatIn(aixFixture(t, "netstat_in", tt.file))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseAIXNetstatV(t *testing.T) {
	tests := []struct {
		file string
		want []aixAdapter
	}{
		// ent0 and ent1 come first; their copies inside the EtherChannel
		// section (12 and 1 higher) are ignored.
		{"lpar72.txt", []aixAdapter{
			{name: "ent0", txPkts: 600000000, txBytes: 290000000000, rxPkts: 800000000, rxBytes: 980000000000},
			{name: "ent1", txPkts: 23456789, txBytes: 11234567890, rxPkts: 12345678, rxBytes: 7654321098},
			{name: "ent2", txPkts: 623456789, txBytes: 301234567890, rxPkts: 812345678, rxBytes: 987654321098},
			{name: "ent3", txPkts: 3456789, txBytes: 1234567890, rxPkts: 4567890, rxBytes: 2345678901},
		}},
		// ent0's block ends at a blank line before its Bytes: it is left
		// out rather than reported with bytes from elsewhere.
		{"incomplete.txt", []aixAdapter{
			{name: "ent1", txPkts: 198220, txBytes: 40112233, rxPkts: 211004, rxBytes: 51223344},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := parseAIXNetstatV(aixFixture(t, "netstat_v", tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestAIXPairs(t *testing.T) {
	tests := []struct {
		line string
		want []aixPair
	}{
		{"Packets: 98765432                             Packets: 123456789",
			[]aixPair{{"Packets", 98765432, 0}, {"Packets", 123456789, 46}}},
		{"Packets Dropped: 0                            Packets Dropped: 7",
			[]aixPair{{"Packets Dropped", 0, 0}, {"Packets Dropped", 7, 46}}},
		{"                                              Bad Packets: 3",
			[]aixPair{{"Bad Packets", 3, 46}}},
		{"Device Type: Virtual I/O Ethernet Adapter (l-lan)", nil},
		{"Max Packets on S/W Transmit Queue: 37", []aixPair{{"Max Packets on S/W Transmit Queue", 37, 0}}},
		{"Bytes:", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := aixPairs(tt.line); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("aixPairs(%q) = %+v, want %+v", tt.line, got, tt.want)
		}
	}
}

func TestAIXAdapterOf(t *testing.T) {
	for in, want := range map[string]string{"en0": "ent0", "en12": "ent12", "et3": "ent3", "lo0": "", "ml0": "", "en": "", "enx": "", "ent0": ""} {
		if got := aixAdapterOf(in); got != want {
			t.Errorf("aixAdapterOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAIXMinMTU: mtu is the smallest MTU of the interfaces that are up,
// loopback excepted (en1, down, has 576).
func TestAIXMinMTU(t *testing.T) {
	tree := newAIXTree(t.TempDir())
	aixWriteCommand(t, tree.dir, "netstat -in", aixFixture(t, "netstat_in", "down_and_ipv6.txt"))
	c := newAIXNetwork(tree.root(), newOnceLog(nil))
	_, mtu, err := c.read()
	if err != nil || mtu != 1500 {
		t.Errorf("mtu = %d, %v; want 1500", mtu, err)
	}
}
