package packetsrc

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseHexLine(t *testing.T) {
	ts := time.Date(2026, 11, 21, 23, 36, 33, 261000000, time.UTC)
	tests := []struct {
		line string
		skip bool
		time time.Time
		data string // hex of the expected bytes
		err  string // substring of the expected error
	}{
		{line: "", skip: true},
		{line: "   \t", skip: true},
		{line: "# comment", skip: true},
		{line: "  # indented comment 00 11", skip: true},
		{line: "00000084", data: "00000084"},
		{line: "00 00 00 84\t6b02", data: "000000846b02"},
		{line: "DEADbeef", data: "deadbeef"},
		{line: "00000084 # trailing comment", data: "00000084"},
		{line: "1795304193.261 00000084", time: ts, data: "00000084"},
		{line: "1795304193.261000000999 00000084", time: ts, data: "00000084"},
		{line: "1795304193 00000084", time: ts.Truncate(time.Second), data: "00000084"},
		{line: "1795304193.261", time: ts, data: ""},
		{line: "1795304193", data: "1795304193"}, // nothing follows: hex
		{line: "0795304193 00", data: "079530419300"},
		{line: "12345678 9abc", data: "123456789abc"},
		{line: "00000084\r", data: "00000084"},
		{line: "0000008", err: "odd number of hex digits"},
		{line: "0000 00zz", err: "invalid character 'z' at column 8"},
		{line: "1.2.3 00", err: "invalid character '.' at column 2"},
		{line: "99999999999999999999.5 00", err: "out of range"},
		{line: "0x84", err: "invalid character 'x'"},
	}
	for _, tt := range tests {
		p, ok := parseHexLine([]byte(tt.line), nil)
		if ok == tt.skip {
			t.Errorf("%q: ok = %v", tt.line, ok)
			continue
		}
		if tt.err != "" {
			if p.Err == nil || !errors.Is(p.Err, ErrHex) || !strings.Contains(p.Err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.line, p.Err, tt.err)
			}
			continue
		}
		if p.Err != nil || hexOf(p.Data) != tt.data || !p.Time.Equal(tt.time) {
			t.Errorf("%q: got %x at %v, err %v; want %s at %v", tt.line, p.Data, p.Time, p.Err, tt.data, tt.time)
		}
	}
}

func TestLooksHex(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"00000084 0000\n", true},
		{"# only a comment\n\n", true},
		{"1795302993.261 0000008000\n1795302993.262 00000084", true},
		{"1795302993.2", true}, // cut by the peek
		{"00000084\nhello\n", false},
		{"\x00\x00\x00\x80\x00\x00\x00\x02vm\x00\x00", false},
		{"1795302993.261.5 00", false},
		{"0000 00 # ok\n00 zz\n", false},
	}
	for _, tt := range tests {
		if got := looksHex([]byte(tt.in)); got != tt.want {
			t.Errorf("looksHex(%q) = %v", tt.in, got)
		}
	}
}

func TestReadHexLabelsAndLongLine(t *testing.T) {
	in := "# header\n00000084\n\n1795302993.5 00 00 00 85\nzz\n" + strings.Repeat("0", MaxHexLine+2) + "\n00000086\n"
	got, _ := collect(t, "dump.hex", strings.NewReader(in), Options{Format: Hex})
	want := []string{
		"dump.hex:2 00000084",
		"dump.hex:4 00000085 2026-11-21T23:16:33.5Z",
		"dump.hex:5 error: bad hex line: invalid character 'z' at column 1",
		"dump.hex:6 error: bad hex line: longer than 1048576 bytes",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func hexOf(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteByte("0123456789abcdef"[c>>4])
		sb.WriteByte("0123456789abcdef"[c&15])
	}
	return sb.String()
}

// FuzzHexLines reads arbitrary text as a hex dump: nothing may panic, every
// packet must come with a file:line label, and writing a packet back as hex
// (with its timestamp) and reading it again must give the same bytes.
func FuzzHexLines(f *testing.F) {
	f.Add([]byte("1795302993.261 0000008000000002766d0000\n# c\n\n00 00 00 84\n"))
	f.Add([]byte("1795302993 00\n0x00\nzz\n0000008\n"))
	f.Add([]byte("99999999999999999999.5 00\n\r\n\t# x\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		Read("f", bytes.NewReader(in), Options{Format: Hex}, func(p Packet) {
			if !strings.HasPrefix(p.Label, "f:") {
				t.Fatalf("label %q", p.Label)
			}
			if p.Err != nil {
				return
			}
			line := hexOf(p.Data)
			if !p.Time.IsZero() {
				line = p.Time.Format("20060102") + ".0 " + line // any decimal field with a point
			}
			q, ok := parseHexLine([]byte(line), nil)
			if len(p.Data) > 0 && (!ok || q.Err != nil || !bytes.Equal(q.Data, p.Data)) {
				t.Fatalf("round trip of %x: %x, %v", p.Data, q.Data, q.Err)
			}
		})
	})
}
