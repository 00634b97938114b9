package pcap

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
)

// FuzzPcap feeds arbitrary files to the reader and every record to DecodeUDP
// under the file's link type and all supported ones: nothing may panic, and a
// payload must lie inside its frame.
func FuzzPcap(f *testing.F) {
	if real, err := os.ReadFile("testdata/udp-dst18301.pcap"); err == nil {
		f.Add(real[:2048])
	}
	for _, link := range []LinkType{LinkNull, LinkEthernet, LinkRaw, LinkSLL, LinkSLL2} {
		p := udpPacket(src6, dst6, xdr)
		f.Add(newCapture(binary.BigEndian, true, link).add(ts0, frame(link, binary.BigEndian, p)).bytes())
		p = udpPacket(src4, dst4, xdr)
		f.Add(newCapture(binary.LittleEndian, false, link).add(ts0, frame(link, binary.LittleEndian, p)).bytes())
	}
	f.Add([]byte("\x0a\x0d\x0d\x0a"))
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := NewReader(bytes.NewReader(file))
		if err != nil {
			return
		}
		for range 64 {
			rec, err := r.Next()
			if err != nil {
				return
			}
			for _, link := range []LinkType{r.Header().LinkType, LinkNull, LinkEthernet, LinkRaw, LinkSLL, LinkSLL2} {
				d, err := DecodeUDP(link, rec.Data)
				if err == nil && len(d.Payload) > len(rec.Data) {
					t.Fatalf("payload of %d bytes from a %d-byte frame", len(d.Payload), len(rec.Data))
				}
			}
		}
	})
}
