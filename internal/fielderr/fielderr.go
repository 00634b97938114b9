// Package fielderr is the error shape every configuration reader of the
// project returns: one problem located by file, line and key, printed as
// "file:line: key: msg" (the shape compilers use, so editors jump to the
// line), and a list of them so an operator sees every mistake in one run.
package fielderr

import (
	"strconv"
	"strings"
)

// Error is one problem in a configuration file. Line is 0 when the key is
// absent from the file (a missing section); Key is a dotted or indexed
// path such as "udp_send_channel.port" or "managed_system[1].port", empty
// for the whole file or a pure syntax error.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
	Err  error // the kind of problem, for errors.Is
}

// Error prints "file:line: key: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the error's kind.
func (e *Error) Unwrap() error { return e.Err }

// List is every problem found in one file, in file order.
type List []*Error

// Error prints one Error per line.
func (es List) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at each entry.
func (es List) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
