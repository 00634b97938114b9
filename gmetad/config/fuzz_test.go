package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics, every error is an *Error with a kind, and
// a configuration that parses is written by WriteTo (or refused with
// ErrUnwritable) and reads back the same.
func FuzzParse(f *testing.F) {
	for _, name := range goldenConfs {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range goodLines {
		f.Add([]byte(tt.line))
	}
	for _, tt := range badLines {
		f.Add([]byte(tt.line))
	}
	f.Add([]byte("data_source a\"b c\"'d' 1 h \\\n  h2 # c\ngridname ${X:-${}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		base := DefaultFor("fuzz")
		c, _, err := Parser{Root: true}.Parse("f.conf", data, base)
		if err != nil {
			for _, e := range unjoin(err) {
				var ce *Error
				if !errors.As(e, &ce) || ce.Kind == nil || ce.File != "f.conf" {
					t.Fatalf("error %v is not an *Error with a kind", e)
				}
			}
			return
		}
		var b strings.Builder
		if _, err := c.WriteTo(&b); err != nil {
			if !errors.Is(err, ErrUnwritable) {
				t.Fatalf("WriteTo: %v", err)
			}
			return
		}
		checkRoundTrip(t, c)
	})
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
