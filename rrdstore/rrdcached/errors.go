package rrdcached

import (
	"errors"
	"strings"
)

// Kinds of daemon error. A *ServerError matches at most one of them with
// errors.Is; rrdcached has no error codes (every failure is "-1 <text>"), so
// the kind is recognised once, here, from the text rrdcached 1.7.2 sends.
var (
	// ErrNoSuchFile: "No such file: <abs>" (UPDATE, FLUSH), "No such file
	// or directory" (FORGET of a file the daemon holds nothing for) and
	// "RRD Error: opening '<abs>': No such file or directory" (LAST, INFO).
	ErrNoSuchFile = errors.New("no such file")
	// ErrIllegalUpdate: "illegal attempt to update using time T when last
	// update time is L (minimum one second step)": T is not after the
	// last time the daemon accepted for the file.
	ErrIllegalUpdate = errors.New("illegal attempt to update")
	// ErrBadTimestamp: "Cannot find timestamp in '<value>'!"; the values
	// of the same UPDATE before the bad one were enqueued.
	ErrBadTimestamp = errors.New("cannot find timestamp")
	// ErrPermissionDenied: "<path>: Permission denied", what -B answers
	// for a name outside the base directory or containing "../".
	ErrPermissionDenied = errors.New("permission denied")
	// ErrFileExists: CREATE with -O (or a daemon started with -O) on an
	// existing file: "RRD Error: creating '<abs>': File exists".
	ErrFileExists = errors.New("file exists")
	// ErrUnknownCommand: "Unknown command: X", and "Can't use 'X' here."
	// for a command not allowed inside a BATCH.
	ErrUnknownCommand = errors.New("unknown command")
)

// Client-side errors.
var (
	// ErrLineTooLong: a command line longer than MaxLine; nothing was sent.
	ErrLineTooLong = errors.New("rrdcached: command line longer than 4096 bytes")
	// ErrBadField: a name or value that the line protocol cannot carry
	// (empty, or containing a newline, carriage return or NUL); nothing
	// was sent.
	ErrBadField = errors.New("rrdcached: field cannot be sent")
	// ErrOutsideBaseDir: over TCP, an absolute file name that is not
	// under Options.BaseDir; nothing was sent.
	ErrOutsideBaseDir = errors.New("rrdcached: file is outside the base directory")
	// ErrOutcomeUnknown: the connection failed after the command was
	// handed to the kernel, so the daemon may or may not have applied it.
	// The client never resends such a command.
	ErrOutcomeUnknown = errors.New("rrdcached: connection lost after sending; the command may have been applied")
	// ErrProtocol: the daemon's reply does not follow "<N> <message>"
	// framing; the connection is dropped.
	ErrProtocol = errors.New("rrdcached: malformed reply")
)

// ServerError is a command the daemon refused: a "-1 <message>" reply, or
// one "<k> <message>" line of a BATCH summary.
type ServerError struct {
	// Command is the command name as sent, e.g. "UPDATE".
	Command string
	// Message is the daemon's text, unchanged.
	Message string
}

func (e *ServerError) Error() string {
	return "rrdcached: " + e.Command + ": " + e.Message
}

// Unwrap returns the error kind (ErrNoSuchFile, ErrIllegalUpdate, ...) the
// message belongs to, or nil, so that errors.Is works on kinds.
func (e *ServerError) Unwrap() error { return kindOf(e.Message) }

// kindOf recognises the messages listed with the kinds above.
func kindOf(msg string) error {
	switch {
	case strings.HasPrefix(msg, "No such file"),
		strings.HasSuffix(msg, "No such file or directory"):
		return ErrNoSuchFile
	case strings.HasPrefix(msg, "illegal attempt to update"):
		return ErrIllegalUpdate
	case strings.HasPrefix(msg, "Cannot find timestamp"):
		return ErrBadTimestamp
	case strings.HasSuffix(msg, "Permission denied"):
		return ErrPermissionDenied
	case strings.HasSuffix(msg, "File exists"):
		return ErrFileExists
	case strings.HasPrefix(msg, "Unknown command"),
		strings.HasPrefix(msg, "Can't use '"):
		return ErrUnknownCommand
	}
	return nil
}
