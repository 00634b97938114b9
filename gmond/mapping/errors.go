package mapping

import (
	"errors"
	"strconv"
	"strings"
)

// Kinds of mapping errors; every FieldError wraps exactly one of them, so
// callers and tests use errors.Is instead of matching text.
var (
	ErrSyntax          = errors.New("TOML syntax error")
	ErrUnknownKey      = errors.New("unknown key")
	ErrType            = errors.New("wrong type")
	ErrRequired        = errors.New("required key missing")
	ErrPortRange       = errors.New("port out of range")
	ErrDuplicatePort   = errors.New("duplicate port")
	ErrPortConflict    = errors.New("cluster on two ports")
	ErrDuplicateSerial = errors.New("duplicate model_serial")
	ErrDuplicateName   = errors.New("duplicate name")
	ErrModelSerial     = errors.New("bad model_serial")
	ErrUnsafeName      = errors.New("unsafe name")
	ErrACL             = errors.New("bad ACL rule")
)

// FieldError is one problem in a mapping file, located by file, line and
// key. Line is 0 when the key is absent from the file (a missing table).
type FieldError struct {
	File string
	Line int
	Key  string // e.g. "managed_system[1].port" (0-based index), "" for the whole file
	Msg  string
	Err  error // one of the Err* kinds above
}

// Error prints "file:line: key: msg", the shape compilers use, so editors
// can jump to the line.
func (e *FieldError) Error() string {
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
func (e *FieldError) Unwrap() error { return e.Err }

// Errors is every problem found in one mapping file, in file order. Parse
// and Load return it as the error so one run shows all mistakes at once.
type Errors []*FieldError

// Error prints one FieldError per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is(err, ErrDuplicatePort) look through the list.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// errorsAs returns the FieldErrors in err, or nil when err did not come
// from Parse (a read error).
func errorsAs(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return nil
}
