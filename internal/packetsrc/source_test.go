package packetsrc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/pcap"
)

// collect reads an input and returns one line per packet:
// "label hex [time] [from]" or "label error: message".
func collect(t *testing.T, name string, r io.Reader, opt Options) ([]string, Stats) {
	t.Helper()
	var out []string
	st := Read(name, r, opt, func(p Packet) {
		if p.Err != nil {
			line := p.Label + " error: " + p.Err.Error()
			if p.From.IsValid() {
				line += " from " + p.From.String()
			}
			out = append(out, line)
			return
		}
		line := p.Label + " " + hexOf(p.Data)
		if !p.Time.IsZero() {
			line += " " + p.Time.Format(time.RFC3339Nano)
		}
		if p.From.IsValid() {
			line += " " + p.From.String()
		}
		out = append(out, line)
	})
	return out, st
}

// rawCapture builds a pcap file of link type RAW (101) holding IPv4 packets.
func rawCapture(packets ...[]byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, pcap.MagicMicro)
	b = append(b, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, uint32(pcap.LinkRaw))
	for i, p := range packets {
		b = binary.LittleEndian.AppendUint32(b, 1795303137+uint32(i))
		b = binary.LittleEndian.AppendUint32(b, 500000)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	return b
}

// ipv4 returns an IPv4 packet from 10.0.0.1 to 10.0.0.2 of protocol proto;
// for UDP the ports and payload make the UDP header and data.
func ipv4(proto byte, flags uint16, sport, dport uint16, payload string) []byte {
	body := []byte(payload)
	if proto == 17 {
		body = binary.BigEndian.AppendUint16(nil, sport)
		body = binary.BigEndian.AppendUint16(body, dport)
		body = binary.BigEndian.AppendUint16(body, uint16(8+len(payload)))
		body = append(body, 0, 0)
		body = append(body, payload...)
	}
	h := []byte{0x45, 0, 0, 0, 0, 7, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	binary.BigEndian.PutUint16(h[2:], uint16(20+len(body)))
	binary.BigEndian.PutUint16(h[6:], flags)
	return append(h, body...)
}

func TestRead(t *testing.T) {
	capture := rawCapture(
		ipv4(17, 0, 43616, 8649, "\x00\x00\x00\x84"),
		ipv4(6, 0, 0, 0, strings.Repeat("t", 20)),
		ipv4(17, 0x2000, 43616, 8649, "frag"),
		ipv4(17, 0, 5353, 5353, "mdns"),
	)
	tests := []struct {
		name string
		in   []byte
		opt  Options
		want []string
		st   Stats
	}{
		{"raw", []byte("\x00\x00\x00\x84\x00"), Options{}, []string{"in 0000008400"}, Stats{}},
		{"empty", nil, Options{}, []string{"in "}, Stats{}},
		{"hex", []byte("# c\n00000084\n"), Options{}, []string{"in:2 00000084"}, Stats{}},
		{"hex forced raw", []byte("00000084"), Options{Format: Raw}, []string{"in 3030303030303834"}, Stats{}},
		{"binary forced hex", []byte("\x00\x84\n"), Options{Format: Hex}, []string{"in:1 error: bad hex line: invalid character '\\x00' at column 1"}, Stats{}},
		{"pcap", capture, Options{}, []string{
			"in#1 00000084 2026-11-21T23:18:57.5Z 10.0.0.1:43616",
			"in#3 error: ipv4 id 7 offset 0: IP fragment, not reassembled from 10.0.0.1:0",
			"in#4 6d646e73 2026-11-21T23:19:00.5Z 10.0.0.1:5353",
		}, Stats{Frames: 4, NonUDP: 1}},
		{"pcap port", capture, Options{Port: 8649}, []string{
			"in#1 00000084 2026-11-21T23:18:57.5Z 10.0.0.1:43616",
			"in#3 error: ipv4 id 7 offset 0: IP fragment, not reassembled from 10.0.0.1:0",
		}, Stats{Frames: 4, NonUDP: 1, Filtered: 1}},
		{"pcap truncated", capture[:len(capture)-2], Options{}, []string{
			"in#1 00000084 2026-11-21T23:18:57.5Z 10.0.0.1:43616",
			"in#3 error: ipv4 id 7 offset 0: IP fragment, not reassembled from 10.0.0.1:0",
			"in#4 error: pcap: file ends inside a record: truncated",
		}, Stats{Frames: 3, NonUDP: 1}},
		{"pcapng", []byte("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a"), Options{}, []string{
			"in error: pcap: " + pcap.ErrPcapNG.Error(),
		}, Stats{}},
		{"pcap forced on hex", []byte("00000084\n"), Options{Format: Pcap}, []string{"in error: pcap: not a pcap file (bad magic number)"}, Stats{}},
		{"wifi capture", append(rawCapture()[:20], 105, 0, 0, 0), Options{}, []string{
			"in error: pcap: link type IEEE802_11(105): unsupported link type",
		}, Stats{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, st := collect(t, "in", bytes.NewReader(tt.in), tt.opt)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if st != tt.st {
				t.Errorf("stats = %+v, want %+v", st, tt.st)
			}
		})
	}
}

func TestReadErrorsAndLimits(t *testing.T) {
	got, _ := collect(t, "in", iotest.ErrReader(errors.New("disk on fire")), Options{})
	if len(got) != 1 || got[0] != "in error: disk on fire" {
		t.Errorf("read error: %q", got)
	}
	big := io.MultiReader(strings.NewReader("\x00"), io.LimitReader(zeros{}, MaxRaw))
	got, _ = collect(t, "in", big, Options{})
	if len(got) != 1 || !strings.Contains(got[0], "larger than") {
		t.Errorf("huge raw file: %q", got)
	}
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }

func TestParseFormat(t *testing.T) {
	for _, f := range []Format{Auto, Raw, Hex, Pcap} {
		if g, err := ParseFormat(f.String()); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("pcapng"); err == nil {
		t.Error("pcapng accepted")
	}
	if s := fmt.Sprint(Format(9)); s != "Format(9)" {
		t.Error(s)
	}
}
