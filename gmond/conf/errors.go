package conf

import (
	"errors"

	"github.com/ganglia-lpm/ganglia-lpm/internal/fielderr"
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
// errors). Err is one of the Err* kinds above.
type Error = fielderr.Error

// Errors is every problem found in one configuration, in file order. Parse
// and Load return it so an operator sees all mistakes in one run.
type Errors = fielderr.List

// warning formats one Config.Warnings line.
func warning(p Pos, key, msg string) string {
	e := Error{File: p.File, Line: p.Line, Key: key, Msg: msg}
	return e.Error()
}
