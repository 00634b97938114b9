package xmlserve

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadLine(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
		err  error
	}{
		{"/\n", 2048, "/", nil},
		{"/a\r\n", 2048, "/a", nil},
		{"/a\rb\n", 2048, "/a", nil},
		{"", 2048, "", nil},
		{"\r", 2048, "", nil},
		{"/eof", 2048, "/eof", nil},
		{"abc\n", 4, "abc", nil},
		{"abc", 4, "abc", nil},
		{"abcd\n", 4, "", ErrRequestTooLong},
		{"abcd", 4, "", ErrRequestTooLong},
	}
	readers := map[string]func(string) io.Reader{
		"whole":    func(s string) io.Reader { return strings.NewReader(s) },
		"one byte": func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"data+EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
	}
	for name, mk := range readers {
		for _, tt := range tests {
			got, err := readLine(mk(tt.in), make([]byte, tt.max))
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("%s: readLine(%q, %d) = %q, %v; want %q, %v", name, tt.in, tt.max, got, err, tt.want, tt.err)
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readLine(iotest.ErrReader(boom), make([]byte, 8)); !errors.Is(err, boom) {
		t.Errorf("read error = %v, want %v", err, boom)
	}
}
