package rrdstore

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package is an *Error that
// names the file and wraps one of these (test with errors.Is); the message
// text after the file name is librrd's own where librrd has one, so logs
// read like rrdtool's "ERROR: <file>: <msg>".
var (
	// ErrLocked: another process (or open file) holds a conflicting fcntl
	// lock; librrd says "could not lock RRD" and never waits.
	ErrLocked = errors.New("could not lock RRD")
	// ErrPastUpdate: an update time not after the file's last update.
	ErrPastUpdate = errors.New("update time not after last update")
	// ErrBadValue: a value or timestamp that librrd's number readers refuse.
	ErrBadValue = errors.New("bad value in update")
	// ErrDSCount: an update argument without a time, or with too many or
	// too few values for the file's data sources.
	ErrDSCount = errors.New("wrong number of values in update")
	// ErrNotRRD: the file is not an RRD (cookie, version or counts wrong).
	ErrNotRRD = errors.New("not an RRD file")
	// ErrForeignArch: an RRD written on a machine with another byte order
	// or ABI (librrd: "This RRD was created on another architecture").
	ErrForeignArch = errors.New("RRD created on another architecture")
	// ErrUnsupported: valid for librrd but outside this engine (COMPUTE,
	// DCOUNTER/DDERIVE, Holt-Winters RRAs, version > 3 for updates,
	// at-style times, 32-bit ABIs).
	ErrUnsupported = errors.New("not supported by rrdstore")
	// ErrTruncatedFile: the file is shorter than its header says.
	ErrTruncatedFile = errors.New("RRD file truncated")
	// ErrBadDef: a DS:/RRA: definition or Spec that rrdtool create refuses.
	ErrBadDef = errors.New("bad RRD definition")
)

// Error is the error type of this package: the file, the kind (one of the
// sentinels above) and librrd's message. Err, when set, is the underlying
// system error (for example a syscall.Errno from open or fcntl).
type Error struct {
	Path string
	Kind error
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	msg := e.Msg
	if msg == "" && e.Kind != nil {
		msg = e.Kind.Error()
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Path == "" {
		return msg
	}
	return e.Path + ": " + msg
}

// Unwrap returns the kind and the system error, so errors.Is matches
// either (ErrLocked as well as syscall.EAGAIN, fs.ErrNotExist, ...).
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// newErr builds an *Error with a formatted message.
func newErr(path string, kind error, format string, args ...any) *Error {
	return &Error{Path: path, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// withPath fills in the file name of an error made without one (the
// number readers and the argument parser do not know the file).
func withPath(err error, path string) error {
	var e *Error
	if errors.As(err, &e) && e.Path == "" {
		e.Path = path
	}
	return err
}

// sysErr wraps an error from the operating system.
func sysErr(path string, kind error, op string, err error) *Error {
	return &Error{Path: path, Kind: kind, Msg: op, Err: err}
}
