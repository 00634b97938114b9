package xdr_test

import (
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func bitsEqual32(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }
func bitsEqual64(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// FuzzDecode: decoding never panics, and whatever decodes re-encodes to a
// packet that decodes to the same message (decode → encode → decode).
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/packets/*.hex")
	for _, name := range files {
		f.Add(readHexFile(f, name))
	}
	for _, ex := range protocolExamples {
		f.Add(readHex(f, ex.hex))
	}
	f.Fuzz(func(t *testing.T, pkt []byte) {
		m, err := xdr.Decode(pkt)
		var reused xdr.Message
		if err2 := xdr.DecodeInto(&reused, pkt); (err == nil) != (err2 == nil) {
			t.Fatalf("Decode err %v, DecodeInto err %v", err, err2)
		}
		if err != nil {
			var de *xdr.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !sameMessage(&m, &reused) {
			t.Fatalf("Decode %+v != DecodeInto %+v", m, reused)
		}
		enc, err := xdr.AppendMessage(nil, &m)
		if errors.Is(err, xdr.ErrOversize) {
			return // decodable up to 1472 bytes, but metadata is sent only up to 1464
		}
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		if len(enc) > len(pkt) {
			t.Fatalf("re-encoding grew the packet from %d to %d bytes", len(pkt), len(enc))
		}
		m2, err := xdr.Decode(enc)
		if err != nil {
			t.Fatalf("decode of re-encoded packet: %v", err)
		}
		if !sameMessage(&m, &m2) {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m, m2)
		}
	})
}
