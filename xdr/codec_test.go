package xdr_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// The worked examples of PROTOCOL.md §1.14, built by hand from the XDR rules
// and accepted by a stock gmond.
var protocolExamples = []struct {
	name string
	hex  string
	msg  xdr.Message
}{
	{"metadata", `00000080 00000004 77656231 00000004 74656d70 00000000 00000005 666c6f61 74000000
		00000004 74656d70 00000001 43000000 00000003 0000003c 00000000 00000001
		00000005 47524f55 50000000 00000003 656e7600`,
		xdr.Message{ID: xdr.IDMetadata, MetricID: xdr.MetricID{Host: "web1", Name: "temp"},
			Metadata: xdr.Metadata{Type: "float", Name: "temp", Units: "C", Slope: xdr.SlopeBoth, TMax: 60,
				Extra: []xdr.Extra{{Name: "GROUP", Data: "env"}}}}},
	{"float", `00000086 00000004 77656231 00000004 74656d70 00000000 00000004 252e3166 41ac0000`,
		xdr.Message{ID: xdr.IDFloat, MetricID: xdr.MetricID{Host: "web1", Name: "temp"},
			Value: xdr.Value{Fmt: "%.1f", F32: 21.5}}},
	{"request", `00000088 00000004 77656231 00000004 74656d70 00000000`,
		xdr.Message{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Host: "web1", Name: "temp"}}},
	{"spoofed string", `00000085 0000000d 31302e30 2e302e35 3a776562 35000000 00000005 6275696c 64000000
		00000001 00000002 25730000 00000004 76312e32`,
		xdr.Message{ID: xdr.IDString, MetricID: xdr.MetricID{Host: "10.0.0.5:web5", Name: "build", Spoof: true},
			Value: xdr.Value{Fmt: "%s", Str: "v1.2"}}},
	{"short", `00000082 00000002 766d0000 00000010 676f6c64 656e5f6d 6f645f73 686f7274 00000000
		00000003 25686400 fffffb2e`,
		xdr.Message{ID: xdr.IDShort, MetricID: xdr.MetricID{Host: "vm", Name: "golden_mod_short"},
			Value: xdr.Value{Fmt: "%hd", I: -1234}}},
}

func TestProtocolExamples(t *testing.T) {
	for _, ex := range protocolExamples {
		t.Run(ex.name, func(t *testing.T) {
			pkt := readHex(t, ex.hex)
			got, err := xdr.AppendMessage(nil, &ex.msg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, pkt) {
				t.Fatalf("encoded\n got %x\nwant %x", got, pkt)
			}
			m, err := xdr.Decode(pkt)
			if err != nil {
				t.Fatal(err)
			}
			if !sameMessage(&m, &ex.msg) {
				t.Fatalf("decoded %+v, want %+v", m, ex.msg)
			}
		})
	}
}

// sameMessage compares the protocol content of two messages (not their
// private decode buffers; nil and empty extra lists are the same on the wire).
func sameMessage(a, b *xdr.Message) bool {
	x, y := *a, *b
	x.Metadata.Extra, y.Metadata.Extra = nil, nil
	if len(a.Metadata.Extra) != len(b.Metadata.Extra) {
		return false
	}
	for i := range a.Metadata.Extra {
		if a.Metadata.Extra[i] != b.Metadata.Extra[i] {
			return false
		}
	}
	return reflect.DeepEqual(x.MetricID, y.MetricID) && x.ID == y.ID &&
		reflect.DeepEqual(x.Metadata, y.Metadata) && sameValue(x.Value, y.Value)
}

// sameValue compares bit patterns so that NaN values round-trip as equal.
func sameValue(a, b xdr.Value) bool {
	return a.Fmt == b.Fmt && a.U == b.U && a.I == b.I && a.Str == b.Str &&
		bitsEqual32(a.F32, b.F32) && bitsEqual64(a.F64, b.F64)
}

func TestDecodeErrors(t *testing.T) {
	value := readHex(t, protocolExamples[1].hex)
	meta := readHex(t, protocolExamples[0].hex)
	long := strings.Repeat("h", xdr.MaxNameLen+1)
	longHost, _ := xdr.AppendRequest(nil, xdr.MetricID{Host: "x"})
	longHost = append(longHost[:4], encodeString(long)...)
	longHost = append(longHost, encodeString("m")...)
	longHost = append(longHost, 0, 0, 0, 0)

	lying := bytes.Clone(value)
	lying[7] = 0xff // host length 255 in a 36-byte packet
	hugeCount := bytes.Clone(meta)
	copy(hugeCount[0x40:], []byte{0x7f, 0xff, 0xff, 0xff})
	// fmt "%.1" announced and present, but its padding byte is not.
	noPad := append(bytes.Clone(value[:0x18]), 0, 0, 0, 3, '%', '.', '1')

	tests := []struct {
		name  string
		pkt   []byte
		err   error
		field string
	}{
		{"empty", nil, xdr.ErrTruncated, "id"},
		{"short id", []byte{0, 0}, xdr.ErrTruncated, "id"},
		{"old format id", readHex(t, "00000004 00000000"), xdr.ErrUnknownID, "id"},
		{"id 137", readHex(t, "00000089 00000000"), xdr.ErrUnknownID, "id"},
		{"no spoof", value[:0x14], xdr.ErrTruncated, "metric_id.spoof"},
		{"no float", value[:0x20], xdr.ErrTruncated, "value"},
		{"double cut", readHex(t, "00000087 00000000 00000000 00000000 00000000 40554c08"), xdr.ErrTruncated, "value"},
		{"lying host length", lying, xdr.ErrOverrun, "metric_id.host"},
		{"padding missing", noPad, xdr.ErrTruncated, "fmt"},
		{"extra count", hugeCount, xdr.ErrOverrun, "metric.metadata"},
		{"extra cut", meta[:len(meta)-4], xdr.ErrOverrun, "extra.data"},
		{"oversize", make([]byte, xdr.MaxPacket+1), xdr.ErrOversize, "packet"},
		{"host too long", longHost, xdr.ErrNameTooLong, "metric_id.host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := xdr.Decode(tt.pkt)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			var de *xdr.DecodeError
			if !errors.As(err, &de) || de.Field != tt.field {
				t.Fatalf("err = %#v, want field %q", err, tt.field)
			}
		})
	}
}

func encodeString(s string) []byte {
	b := []byte{byte(len(s) >> 24), byte(len(s) >> 16), byte(len(s) >> 8), byte(len(s))}
	b = append(b, s...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func TestEncodeErrors(t *testing.T) {
	long := strings.Repeat("n", xdr.MaxNameLen+1)
	dst := []byte("keep")
	tests := []struct {
		name string
		msg  xdr.Message
		err  error
	}{
		{"unknown id", xdr.Message{ID: 127}, xdr.ErrUnknownID},
		{"long host", xdr.Message{ID: xdr.IDUInt, MetricID: xdr.MetricID{Host: long}}, xdr.ErrNameTooLong},
		{"long name", xdr.Message{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Name: long}}, xdr.ErrNameTooLong},
		{"long extra name", xdr.Message{ID: xdr.IDMetadata,
			Metadata: xdr.Metadata{Extra: []xdr.Extra{{Name: long}}}}, xdr.ErrNameTooLong},
		{"metadata over 1464", xdr.Message{ID: xdr.IDMetadata,
			Metadata: xdr.Metadata{Extra: []xdr.Extra{{Name: "DESC", Data: strings.Repeat("d", 1420)}}}}, xdr.ErrOversize},
		{"value over 1472", xdr.Message{ID: xdr.IDString,
			Value: xdr.Value{Str: strings.Repeat("v", 1450)}}, xdr.ErrOversize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xdr.AppendMessage(dst, &tt.msg)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if string(got) != "keep" {
				t.Fatalf("dst changed on error: %q", got)
			}
		})
	}
}

// TestDecodeIntoReuse checks that a reused message gives what a fresh
// decode gives, for a metadata packet followed by value packets.
func TestDecodeIntoReuse(t *testing.T) {
	var m xdr.Message
	for _, ex := range append(protocolExamples, protocolExamples...) {
		pkt := readHex(t, ex.hex)
		if err := xdr.DecodeInto(&m, pkt); err != nil {
			t.Fatal(err)
		}
		pkt[len(pkt)-1] ^= 0xff // the caller may reuse its buffer at once
		if !sameMessage(&m, &ex.msg) {
			t.Fatalf("%s: DecodeInto = %+v, want %+v", ex.name, m, ex.msg)
		}
	}
}

func TestSlopeNames(t *testing.T) {
	for s := xdr.SlopeZero; s <= xdr.SlopeDerivative; s++ {
		if got := xdr.ParseSlope(s.String()); got != s {
			t.Errorf("ParseSlope(%q) = %v, want %v", s.String(), got, s)
		}
	}
	for _, in := range []string{"", "Both", "unspecified", "sideways"} {
		if got := xdr.ParseSlope(in); got != xdr.SlopeUnspecified {
			t.Errorf("ParseSlope(%q) = %v, want unspecified", in, got)
		}
	}
	if got := xdr.Slope(9).String(); got != "unspecified" {
		t.Errorf("Slope(9) = %q", got)
	}
}
