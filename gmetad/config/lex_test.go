package config

import (
	"errors"
	"reflect"
	"testing"
)

// TestLexArgs covers dotconf's argument rules (lib/dotconf.c
// dotconf_read_arg) and the cases where ganglia-lpm reports an error
// instead of guessing.
func TestLexArgs(t *testing.T) {
	env := map[string]string{"HOME": "/home/g", "EMPTY": "", "A": "x", "B": "y"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		in   string
		want []string
		err  error
	}{
		{"", nil, nil},
		{"   ", nil, nil},
		{"a b\tc", []string{"a", "b", "c"}, nil},
		{"a # comment", []string{"a"}, nil},
		{"a #comment with \"quote", []string{"a"}, nil},
		{"# all comment", nil, nil},
		{`"a b" c`, []string{"a b", "c"}, nil},
		{`'a b' "c d"`, []string{"a b", "c d"}, nil},
		{`a"b c"d`, []string{"ab cd"}, nil},
		{`"it's" 'say "hi"'`, []string{"it's", `say "hi"`}, nil},
		{`"a # b"`, []string{"a # b"}, nil},
		{`a\ b`, []string{"a b"}, nil},
		{`"a\"b"`, []string{`a"b`}, nil},
		{`'a\'b'`, []string{"a'b"}, nil},
		{`a\#b`, []string{"a#b"}, nil},
		{`a\\b`, []string{`a\b`}, nil},
		{`trailing\`, []string{`trailing\`}, nil},
		{"a\r", []string{"a"}, nil},
		{"${HOME}/rrds", []string{"/home/g/rrds"}, nil},
		{"${NOPE:-/var/lib}/rrds", []string{"/var/lib/rrds"}, nil},
		{"${NOPE}x", []string{"x"}, nil},
		{"${NOPE:junk}x", []string{"x"}, nil},
		{"${EMPTY:-default}", nil, ErrValue}, // set but empty: "" wins, and "" is refused
		{"pre${A}post", []string{"prexpost"}, nil},
		{"${A}${B}", []string{"x${B}"}, nil}, // dotconf copies the byte after '}' unexamined
		{"${A}-${B}", []string{"x-y"}, nil},
		{"$HOME", []string{"$HOME"}, nil},
		{"${HOME", nil, ErrSyntax},
		{`"open`, nil, ErrSyntax},
		{`'open`, nil, ErrSyntax},
		{`a#glued`, nil, ErrSyntax},
		{`"a"#glued`, nil, ErrSyntax},
		{`a "" b`, nil, ErrSyntax},
		{`''`, nil, ErrSyntax},
	}
	for _, tt := range tests {
		ln, ok := lexLine(1, "x "+tt.in, lookup)
		if !ok {
			t.Fatalf("%q: line taken for a comment", tt.in)
		}
		var err error
		if ln.err != nil {
			err = ln.err
		} else {
			err = (&directive{max: -1}).check(ln)
		}
		if tt.err != nil {
			if !errors.Is(kindOf(err), tt.err) {
				t.Errorf("%q: error %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(ln.args, tt.want) {
			t.Errorf("%q: args %q, %v; want %q", tt.in, ln.args, err, tt.want)
		}
	}
}

// kindOf returns the kind of an *argError, for errors.Is.
func kindOf(err error) error {
	var ae *argError
	if errors.As(err, &ae) {
		return ae.kind
	}
	return err
}

// TestLexLines covers comments, blank lines, names and continuations.
func TestLexLines(t *testing.T) {
	type line struct {
		num  int
		name string
		args []string
	}
	tests := []struct {
		in   string
		want []line
		err  bool
	}{
		{"# c\n\n  \t\n  # indented\nxml_port 1\n", []line{{5, "xml_port", []string{"1"}}}, false},
		{"a 1\r\nb 2\r\n", []line{{1, "a", []string{"1"}}, {2, "b", []string{"2"}}}, false},
		{"no newline at end", []line{{1, "no", []string{"newline", "at", "end"}}}, false},
		{"a 1 \\\n  2\nb", []line{{1, "a", []string{"1", "2"}}, {3, "b", nil}}, false},
		{"a x\\\ny\n", []line{{1, "a", []string{"xy"}}}, false},
		{"a 1 \\\r\n 2\n", []line{{1, "a", []string{"1", "2"}}}, false},
		{"a x\\\\\nb\n", []line{{1, "a", []string{`x\`}}, {2, "b", nil}}, false},
		{"a x\\\\\\\nb\n", []line{{1, "a", []string{`x\`}}, {2, "b", nil}}, false},
		{"a \\\n# not a comment: continued\n", []line{{1, "a", nil}}, false},
		{"name#glued 1\n", []line{{1, "name#glued", []string{"1"}}}, false},
		{"a 1 \\\n", nil, true},
		{"a \x00 b\n", nil, true},
	}
	for _, tt := range tests {
		var got []line
		failed := false
		for _, ln := range lex([]byte(tt.in), nil) {
			if ln.err != nil {
				failed = true
				continue
			}
			got = append(got, line{ln.num, ln.name, ln.args})
		}
		if failed != tt.err || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: %+v (error %v), want %+v (error %v)", tt.in, got, failed, tt.want, tt.err)
		}
	}
}

// TestParseCInt checks the sscanf("%li") forms and the refusals.
func TestParseCInt(t *testing.T) {
	good := map[string]int64{"0": 0, "8651": 8651, "+5": 5, "-5": -5, "022": 18, "0x21cb": 8651, "0X1F": 31, "00": 0}
	for in, want := range good {
		if got, ok := parseCInt(in); !ok || got != want {
			t.Errorf("parseCInt(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "8651abc", "08", "0x", "1_000", "+-1", "--1", "0b1", "0o7", "99999999999999999999", " 1"} {
		if got, ok := parseCInt(in); ok {
			t.Errorf("parseCInt(%q) = %d, want refusal", in, got)
		}
	}
}
