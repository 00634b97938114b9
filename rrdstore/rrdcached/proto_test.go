package rrdcached

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestAppendCommand(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"PING", nil, "PING\n"},
		{"UPDATE", []string{"/db/Test Cluster/h/m.rrd", "1:2"}, `UPDATE /db/Test\ Cluster/h/m.rrd 1:2` + "\n"},
		{"UPDATE", []string{`a\b`, `x \ y`}, `UPDATE a\\b x\ \\\ y` + "\n"},
		{"CREATE", []string{"f", "-b", "-5"}, "CREATE f -b -5\n"},
	}
	for _, tt := range tests {
		got, err := appendCommand([]byte("prev\n"), tt.name, tt.fields...)
		if err != nil || string(got) != "prev\n"+tt.want {
			t.Errorf("appendCommand(%q, %q) = %q, %v; want %q", tt.name, tt.fields, got, err, tt.want)
		}
	}
	// A refused line leaves what came before untouched.
	got, err := appendCommand([]byte("prev\n"), "UPDATE", "f", "a\nb")
	if !errors.Is(err, ErrBadField) || string(got) != "prev\n" {
		t.Errorf("bad field: %q, %v", got, err)
	}
}

// unescape splits a line the way rrdcached's tokenizer does, to check
// that escaping round-trips.
func unescape(line string) []string {
	var out []string
	var cur []byte
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			i++
			cur = append(cur, line[i])
		case line[i] == ' ':
			out, cur = append(out, string(cur)), nil
		default:
			cur = append(cur, line[i])
		}
	}
	return append(out, string(cur))
}

func FuzzEscape(f *testing.F) {
	f.Add("Test Cluster", `a\b`, "1700000010:1")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		line, err := appendCommand(nil, "UPDATE", a, b, c)
		if err != nil {
			return
		}
		got := unescape(strings.TrimSuffix(string(line), "\n"))
		if want := []string{"UPDATE", a, b, c}; !reflect.DeepEqual(got, want) {
			t.Errorf("round trip of %q = %q", want, got)
		}
	})
}

func TestReadReply(t *testing.T) {
	tests := []struct {
		in   string
		want reply
		err  error
	}{
		{"0 PONG\n", reply{status: 0, message: "PONG"}, nil},
		{"0 PONG\r\n", reply{status: 0, message: "PONG"}, nil},
		{"-1 No such file: /x\n", reply{status: -1, message: "No such file: /x"}, nil},
		{"2 errors\n2 a b\n4 c\n", reply{status: 2, message: "errors", lines: []string{"2 a b", "4 c"}}, nil},
		{"0\n", reply{}, nil},
		{"", reply{}, io.EOF},
		{"0 PO", reply{}, io.ErrUnexpectedEOF},
		{"3 follow\na\n", reply{}, io.ErrUnexpectedEOF},
		{"PONG\n", reply{}, ErrProtocol},
		{"+1 x\n", reply{}, ErrProtocol},
		{"- x\n", reply{}, ErrProtocol},
		{"99999999999 x\n", reply{}, ErrProtocol},
		{strings.Repeat("x", maxReplyLine+10) + "\n", reply{}, ErrProtocol},
	}
	for _, tt := range tests {
		got, err := readReply(bufio.NewReaderSize(strings.NewReader(tt.in), maxReplyLine))
		if !errors.Is(err, tt.err) || (err == nil && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("readReply(%.40q) = %+v, %v; want %+v, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzReply feeds arbitrary bytes to the reply parser: it must not panic,
// must consume replies back to back, and must not allocate more than the
// bytes it was given justify (a line count in the status is never trusted).
func FuzzReply(f *testing.F) {
	for _, seed := range []string{
		"0 PONG\n", "-1 No such file: /x\n", statsReply,
		"2 errors\n2 illegal attempt\n4 Unknown command: BOGUS\n",
		"999999999 x\n", "3 updates pending\r\n1:1\n", "0 1700000070\n0 PONG\n",
		"-5\n", "0\n\n\n", "\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(data), maxReplyLine)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 4 {
			r, err := readReply(br)
			if err != nil {
				break
			}
			if r.status >= 0 && len(r.lines) != r.status {
				t.Fatalf("status %d with %d lines", r.status, len(r.lines))
			}
			if r.status < 0 && r.lines != nil {
				t.Fatalf("error reply with lines")
			}
		}
		runtime.ReadMemStats(&after)
		// Strings copy the input once; the lines slice holds at most one
		// 16-byte header per input byte, doubled by append's growth. The
		// constant covers error formatting (fmt's printer pool may be
		// empty after a GC).
		budget := uint64(64*len(data) + 64<<10)
		if got := after.TotalAlloc - before.TotalAlloc; got > budget {
			t.Fatalf("allocated %d bytes for %d input bytes", got, len(data))
		}
	})
}
