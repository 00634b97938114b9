package mapping

import (
	"errors"

	"github.com/ganglia-lpm/ganglia-lpm/internal/fielderr"
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
// key ("managed_system[1].port", 0-based index). Line is 0 when the key is
// absent from the file (a missing table). Err is one of the Err* kinds.
type FieldError = fielderr.Error

// Errors is every problem found in one mapping file, in file order. Parse
// and Load return it as the error so one run shows all mistakes at once.
type Errors = fielderr.List

// errorsAs returns the FieldErrors in err, or nil when err did not come
// from Parse (a read error).
func errorsAs(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	return nil
}
