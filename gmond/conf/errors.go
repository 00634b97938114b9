package conf

import (
	"errors"
	"strconv"
	"strings"
)

// Kinds of configuration errors; every Error wraps one, so callers and
// tests use errors.Is instead of matching text.
var (
	ErrSyntax   = errors.New("syntax error")
	ErrType     = errors.New("wrong value type")
	ErrRange    = errors.New("value out of range")
	ErrRequired = errors.New("required option missing")
	ErrConflict = errors.New("conflicting options")
	ErrInclude  = errors.New("include failed")
)

// Error is one problem in a gmond.conf, located by file, line and key
// (a dotted path such as "udp_send_channel.port"; empty for pure syntax
// errors).
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
	Err  error // one of the Err* kinds above
}

// Error prints "file:line: key: msg", the shape compilers use, so editors
// can jump to the line.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(":")
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the error's kind.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one configuration, in file order. Parse
// and Load return it so an operator sees all mistakes in one run.
type Errors []*Error

// Error prints one Error per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at each entry.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// warning formats one Config.Warnings line.
func warning(p Pos, key, msg string) string {
	e := Error{File: p.File, Line: p.Line, Key: key, Msg: msg}
	return e.Error()
}
