package xdr

import (
	"errors"
	"strconv"
)

// Size limits of the protocol as stock Ganglia 3.7 applies them.
const (
	// MaxPacket is gmond's default max_udp_msg_len: the largest datagram a
	// stock receiver reads whole, and the largest value message a sender sends.
	MaxPacket = 1472
	// MaxMetadataPacket is the buffer stock gmond encodes metadata into
	// (1500 MTU - 28 IP/UDP - 8); larger metadata is never sent.
	MaxMetadataPacket = 1464
	// MaxNameLen bounds host, metric and extra-data names. A host or metric
	// name becomes a directory or "<name>.rrd" file name on the server, so it
	// must fit NAME_MAX (255) there.
	MaxNameLen = 255
)

// Errors returned (wrapped in a *DecodeError or *EncodeError) by the codec.
// Test for them with errors.Is.
var (
	ErrTruncated   = errors.New("packet truncated")
	ErrOverrun     = errors.New("length overruns packet")
	ErrUnknownID   = errors.New("unknown message id")
	ErrOversize    = errors.New("packet larger than the protocol allows")
	ErrNameTooLong = errors.New("name longer than " + strconv.Itoa(MaxNameLen) + " bytes")
)

// DecodeError says which field of a packet could not be decoded and where.
type DecodeError struct {
	Field  string // e.g. "metric_id.host", "extra[2].data", "id"
	Offset int    // byte offset of the field in the packet
	Err    error  // one of the Err* values
}

func (e *DecodeError) Error() string {
	return "xdr: decoding " + e.Field + " at byte " + strconv.Itoa(e.Offset) + ": " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError says which field of a message could not be encoded.
type EncodeError struct {
	Field string
	Err   error
}

func (e *EncodeError) Error() string { return "xdr: encoding " + e.Field + ": " + e.Err.Error() }

func (e *EncodeError) Unwrap() error { return e.Err }
