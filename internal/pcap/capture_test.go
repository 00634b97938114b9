package pcap

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// TestRealCapture reads the tcpdump capture made next to stock gmond 3.7.2
// (udp dst port 18301 on lo, see testdata/ganglia/README.md of the shared
// golden data): its 188 UDP payloads must be, in order, packets 0001.bin to
// 0188.bin that the capture sink received.
func TestRealCapture(t *testing.T) {
	f, err := os.Open("testdata/udp-dst18301.pcap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); h.LinkType != LinkEthernet || h.Nano {
		t.Errorf("header = %+v, want Ethernet, microseconds", h)
	}
	want := readManifest(t, "testdata/udp-dst18301.payloads.txt")
	dst := netip.MustParseAddrPort("127.0.0.1:18301")
	for i := 0; ; i++ {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			if i != len(want) {
				t.Errorf("%d records, want %d", i, len(want))
			}
			return
		}
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		d, err := DecodeUDP(LinkEthernet, rec.Data)
		if err != nil {
			t.Fatalf("record %d: %v", i+1, err)
		}
		if i >= len(want) || !bytes.Equal(d.Payload, want[i]) {
			t.Errorf("record %d: payload differs from the sink's packet", i+1)
		}
		if d.Dst != dst || d.Src.Addr() != dst.Addr() || rec.Time.Year() != 2026 {
			t.Errorf("record %d: %v -> %v at %v", i+1, d.Src, d.Dst, rec.Time)
		}
	}
}

// readManifest reads "NNNN.bin HEX" lines, skipping # comments.
func readManifest(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		_, h, _ := strings.Cut(strings.TrimSpace(line), " ")
		p, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, p)
	}
	return out
}
