package xdr_test

import (
	"bytes"
	"testing"

	goxdr "github.com/davecgh/go-xdr/xdr2"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// heartbeatValue is packet 0002 of the capture: a stock gmond's spoofed
// gmetric_uint heartbeat, 80 bytes, the most common kind of value packet.
const heartbeatValue = `00000084 00000025 6c706172 30312e65 78616d70 6c652e63 6f6d3a6c 70617230
	312e6578 616d706c 652e636f 6d000000 00000009 68656172 74626561 74000000
	00000001 00000002 25750000 6b0226e1`

func BenchmarkDecodeValue(b *testing.B) {
	pkt := readHex(b, heartbeatValue)
	var m xdr.Message
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		if err := xdr.DecodeInto(&m, pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeValueFresh(b *testing.B) {
	pkt := readHex(b, heartbeatValue)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := xdr.Decode(pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMetadata(b *testing.B) {
	pkt := readHexFile(b, "testdata/packets/0001.hex") // heartbeat metadata, 3 extras
	var m xdr.Message
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		if err := xdr.DecodeInto(&m, pkt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeValue(b *testing.B) {
	id := xdr.MetricID{Host: "lpar01.example.com:lpar01.example.com", Name: "heartbeat", Spoof: true}
	v := xdr.Value{Fmt: "%u", U: 1795303137}
	buf := make([]byte, 0, xdr.MaxPacket)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = xdr.AppendValue(buf[:0], xdr.IDUInt, id, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeMetadata(b *testing.B) {
	m, err := xdr.Decode(readHexFile(b, "testdata/packets/0001.hex"))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, xdr.MaxPacket)
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = xdr.AppendMetadata(buf[:0], m.MetricID, &m.Metadata); err != nil {
			b.Fatal(err)
		}
	}
}

// goxdrUintValue is the gmetric_uint arm as go-xdr's reflection decoder
// sees it; it is here only to measure go-xdr against the hand-written codec.
type goxdrUintValue struct {
	ID    uint32
	Host  string
	Name  string
	Spoof bool
	Fmt   string
	UI    uint32
}

// BenchmarkGoXDRDecodeValue decodes the same packet with
// github.com/davecgh/go-xdr/xdr2, the library the product card names; the
// codec is hand-written because this costs far more than the 50 ns and zero
// allocations the receive path is allowed per packet.
func BenchmarkGoXDRDecodeValue(b *testing.B) {
	pkt := readHex(b, heartbeatValue)
	var v goxdrUintValue
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	for b.Loop() {
		if _, err := goxdr.Unmarshal(bytes.NewReader(pkt), &v); err != nil {
			b.Fatal(err)
		}
	}
	if v.UI != 1795303137 || v.Name != "heartbeat" {
		b.Fatalf("go-xdr decoded %+v", v)
	}
}
