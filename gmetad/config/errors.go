package config

import (
	"errors"
	"strconv"
)

// Kinds of configuration errors. Every error of Parse is an *Error wrapping
// one of these (test with errors.Is); several are joined with errors.Join.
var (
	// ErrSyntax: a line dotconf cannot split into arguments the way the
	// author meant (unterminated quote, "#" glued to an argument, an
	// empty "" argument, a NUL byte, a continuation at end of file).
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownDirective: a directive neither stock gmetad nor ganglia-lpm
	// knows. Stock gmetad exits on it too ("Unknown Config-Option").
	ErrUnknownDirective = errors.New("unknown directive")
	// ErrArgCount: too few or too many arguments.
	ErrArgCount = errors.New("wrong number of arguments")
	// ErrValue: an argument out of range or of the wrong form.
	ErrValue = errors.New("invalid value")
	// ErrUnsupported: dotconf features ganglia-lpm does not implement
	// (Include, IncludePath, here-documents).
	ErrUnsupported = errors.New("not supported")
	// ErrDuplicate: a second data_source with the same name.
	ErrDuplicate = errors.New("duplicate")
)

// Error is one problem in a configuration file.
type Error struct {
	File      string
	Line      int    // 1-based; 0 when the problem is not on one line
	Directive string // as written in the file; "" for syntax errors before it
	Kind      error  // one of the Err* variables
	Msg       string
}

// Error formats the problem as "file:line: directive: message".
func (e *Error) Error() string {
	return position(e.File, e.Line, e.Directive) + e.Msg
}

// Unwrap returns the kind, for errors.Is.
func (e *Error) Unwrap() error { return e.Kind }

// Warning is a directive that was accepted but will not act as in stock
// gmetad: a feature ganglia-lpm does not implement, or one that cannot work
// in this process (setuid without root). Callers log every warning.
type Warning struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Directive string `json:"directive"`
	Msg       string `json:"msg"`
}

// String formats the warning as "file:line: directive: message".
func (w Warning) String() string {
	return position(w.File, w.Line, w.Directive) + w.Msg
}

func position(file string, line int, directive string) string {
	s := file
	if line > 0 {
		s += ":" + strconv.Itoa(line)
	}
	s += ": "
	if directive != "" {
		s += directive + ": "
	}
	return s
}
