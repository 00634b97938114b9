package fielderr

import (
	"errors"
	"testing"
)

var errKind = errors.New("kind")

func TestFormatAndUnwrap(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{File: "gmond.conf", Line: 3, Key: "globals.mute", Msg: "not a boolean"}, "gmond.conf:3: globals.mute: not a boolean"},
		{Error{File: "lpm.toml", Key: "default", Msg: "missing"}, "lpm.toml: default: missing"},
		{Error{File: "x.conf", Line: 1, Msg: "unexpected }"}, "x.conf:1: unexpected }"},
	}
	for _, c := range cases {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	l := List{&Error{File: "a", Line: 1, Msg: "one"}, &Error{File: "a", Line: 2, Msg: "two", Err: errKind}}
	if l.Error() != "a:1: one\na:2: two" {
		t.Errorf("list prints %q", l.Error())
	}
	var err error = l
	if !errors.Is(err, errKind) {
		t.Error("errors.Is does not see the kind inside the list")
	}
	var fe *Error
	if !errors.As(err, &fe) || fe.Line != 1 {
		t.Errorf("errors.As gives %+v", fe)
	}
}
