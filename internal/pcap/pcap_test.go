package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"
)

var (
	orders = []binary.ByteOrder{binary.LittleEndian, binary.BigEndian}
	ts0    = time.Date(2026, 11, 21, 12, 0, 0, 123456789, time.UTC)
)

// readAll reads every record of a capture and decodes its UDP datagram.
func readAll(t *testing.T, file []byte) (Header, []Record, []Datagram) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var recs []Record
	var dgs []Datagram
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r.Header(), recs, dgs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		d, err := DecodeUDP(r.Header().LinkType, rec.Data)
		if err != nil {
			t.Fatalf("DecodeUDP: %v", err)
		}
		d.Payload = bytes.Clone(d.Payload)
		rec.Data = bytes.Clone(rec.Data)
		recs, dgs = append(recs, rec), append(dgs, d)
	}
}

func TestLinkTypes(t *testing.T) {
	v4src := netip.MustParseAddrPort("10.1.2.3:43616")
	v4dst := netip.MustParseAddrPort("10.9.8.7:8649")
	v6src := netip.MustParseAddrPort("[2001:db8::1]:43616")
	v6dst := netip.MustParseAddrPort("[2001:db8::2]:8301")
	links := []LinkType{LinkNull, LinkEthernet, LinkRaw12, LinkRaw14, LinkRaw, LinkLoop, LinkSLL, LinkSLL2, LinkIPv4, LinkIPv6}
	for _, link := range links {
		for _, order := range orders {
			for _, nano := range []bool{false, true} {
				for _, v6 := range []bool{false, true} {
					src, dst := v4src, v4dst
					if v6 {
						src, dst = v6src, v6dst
					}
					if (link == LinkIPv4 && v6) || (link == LinkIPv6 && !v6) {
						continue
					}
					name := link.String() + "/" + order.String()
					if nano {
						name += "/nano"
					}
					if v6 {
						name += "/ipv6"
					}
					t.Run(name, func(t *testing.T) {
						checkRoundTrip(t, link, order, nano, src, dst)
					})
				}
			}
		}
	}
}

func checkRoundTrip(t *testing.T, link LinkType, order binary.ByteOrder, nano bool, src, dst netip.AddrPort) {
	t.Helper()
	payloads := [][]byte{[]byte("\x00\x00\x00\x84 first"), {}, bytes.Repeat([]byte{0xab}, 1472)}
	c := newCapture(order, nano, link)
	for i, p := range payloads {
		c.add(ts0.Add(time.Duration(i)*time.Second), frame(link, order, udpPacket(src, dst, p)))
	}
	hdr, recs, dgs := readAll(t, c.bytes())
	if hdr.LinkType != link || hdr.Nano != nano || hdr.ByteOrder != order || hdr.VersionMajor != 2 || hdr.VersionMinor != 4 {
		t.Errorf("header = %+v", hdr)
	}
	if len(dgs) != len(payloads) {
		t.Fatalf("got %d datagrams, want %d", len(dgs), len(payloads))
	}
	want := ts0.Truncate(time.Microsecond)
	if nano {
		want = ts0
	}
	if !recs[0].Time.Equal(want) {
		t.Errorf("time = %v, want %v", recs[0].Time, want)
	}
	for i, d := range dgs {
		if !bytes.Equal(d.Payload, payloads[i]) || d.Src != src || d.Dst != dst {
			t.Errorf("datagram %d = %v -> %v %q", i, d.Src, d.Dst, d.Payload)
		}
		if recs[i].OrigLen != len(recs[i].Data) {
			t.Errorf("record %d: orig len %d, data %d", i, recs[i].OrigLen, len(recs[i].Data))
		}
	}
}

func TestNewReaderErrors(t *testing.T) {
	good := newCapture(binary.LittleEndian, false, LinkEthernet).bytes()
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"short magic", good[:3], ErrTruncated},
		{"short header", good[:20], ErrTruncated},
		{"pcapng", []byte("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a"), ErrPcapNG},
		{"pcapng short", []byte("\x0a\x0d\x0d\x0a"), ErrPcapNG},
		{"text", []byte("0000008000000002766d0000"), ErrNotPcap},
		{"xdr packet", []byte("\x00\x00\x00\x80\x00\x00\x00\x02vm\x00\x00"), ErrNotPcap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tt.file))
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNextErrors(t *testing.T) {
	p := udpPacket(netip.MustParseAddrPort("127.0.0.1:1"), netip.MustParseAddrPort("127.0.0.1:2"), []byte("data"))
	whole := newCapture(binary.BigEndian, false, LinkRaw).add(ts0, p).bytes()
	huge := newCapture(binary.BigEndian, false, LinkRaw).bytes()
	huge = binary.BigEndian.AppendUint32(huge, 0)
	huge = binary.BigEndian.AppendUint32(huge, 0)
	huge = binary.BigEndian.AppendUint32(huge, MaxRecord+1)
	huge = binary.BigEndian.AppendUint32(huge, MaxRecord+1)
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"record header cut", whole[:24+10], ErrTruncated},
		{"record data cut", whole[:len(whole)-1], ErrTruncated},
		{"record too long", huge, ErrRecordLen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Next(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestIsMagic(t *testing.T) {
	for _, m := range []string{"\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x4d\x3c\xb2\xa1"} {
		if !IsMagic([]byte(m)) || IsPcapNG([]byte(m)) {
			t.Errorf("IsMagic(%q) = false", m)
		}
	}
	for _, m := range []string{"", "\xa1\xb2\xc3", "\x00\x00\x00\x80", "\x0a\x0d\x0d\x0a"} {
		if IsMagic([]byte(m)) {
			t.Errorf("IsMagic(%q) = true", m)
		}
	}
}

func TestLinkTypeString(t *testing.T) {
	for l, want := range map[LinkType]string{1: "EN10MB(1)", 276: "LINUX_SLL2(276)", 105: "IEEE802_11(105)", 9999: "linktype(9999)"} {
		if got := l.String(); got != want {
			t.Errorf("%d: %q, want %q", l, got, want)
		}
	}
	if LinkType(105).Supported() || !LinkSLL2.Supported() {
		t.Error("Supported is wrong")
	}
}
