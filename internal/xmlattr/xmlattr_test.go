package xmlattr

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppend(t *testing.T) {
	for _, tc := range []struct{ in, attr, val string }{
		{"plain name", "plain name", "plain name"},
		{`a<b & "c"`, `a&lt;b &amp; &quot;c&quot;`, `a&lt;b &amp; &quot;c&quot;`},
		{"x => y 'q'", "x => y 'q'", "x =&gt; y &apos;q&apos;"},
		{"t\tn\nr\r", "t&#09;n&#10;r&#13;", "t&#09;n&#10;r&#13;"},
		{"nul\x00bell\x07", "nul?bell?", "nul?bell?"},
		{"latin\xe9\x7f", "latin\xe9\x7f", "latin\xe9\x7f"},
	} {
		if got := string(Append(nil, tc.in)); got != tc.attr {
			t.Errorf("Append(%q) = %q, want %q", tc.in, got, tc.attr)
		}
		if got := string(AppendStringVAL(nil, []byte(tc.in))); got != tc.val {
			t.Errorf("AppendStringVAL(%q) = %q, want %q", tc.in, got, tc.val)
		}
	}
}

// FuzzAppend: whatever the bytes, the escaped value parses as an attribute.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "a<b", "\x00\x01\t", "&amp;", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, esc := range [][]byte{Append(nil, s), AppendStringVAL(nil, s)} {
			doc := `<?xml version="1.0" encoding="ISO-8859-1"?><e a="` + string(esc) + `"/>`
			d := xml.NewDecoder(strings.NewReader(doc))
			d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return latin1(r), nil }
			for {
				_, err := d.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%q escaped to %q: %v", s, esc, err)
				}
			}
		}
	})
}

// latin1 decodes ISO-8859-1, as the documents declare.
func latin1(r io.Reader) io.Reader {
	b, err := io.ReadAll(r)
	if err != nil {
		return r
	}
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return strings.NewReader(string(out))
}
