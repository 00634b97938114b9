package xdr

import "strconv"

// MsgID is the discriminant that opens every Ganglia 3.1+ message.
type MsgID uint32

// The message ids of lib/gm_protocol.x. Ids below 128 belong to the pre-3.1
// format, which 3.x receivers ignore.
const (
	IDMetadata        MsgID = 128 // gmetadata_full
	IDUShort          MsgID = 129 // gmetric_ushort
	IDShort           MsgID = 130 // gmetric_short
	IDInt             MsgID = 131 // gmetric_int
	IDUInt            MsgID = 132 // gmetric_uint
	IDString          MsgID = 133 // gmetric_string
	IDFloat           MsgID = 134 // gmetric_float
	IDDouble          MsgID = 135 // gmetric_double
	IDMetadataRequest MsgID = 136 // gmetadata_request
)

var idNames = [...]string{
	"gmetadata_full", "gmetric_ushort", "gmetric_short", "gmetric_int", "gmetric_uint",
	"gmetric_string", "gmetric_float", "gmetric_double", "gmetadata_request",
}

// Known reports whether id is one of the nine 3.1+ message ids.
func (id MsgID) Known() bool { return id >= IDMetadata && id <= IDMetadataRequest }

// IsValue reports whether id is one of the seven value messages (129–135).
func (id MsgID) IsValue() bool { return id >= IDUShort && id <= IDDouble }

// String returns the gm_protocol.x name of the id, or "unknown(N)".
func (id MsgID) String() string {
	if id.Known() {
		return idNames[id-IDMetadata]
	}
	return "unknown(" + strconv.FormatUint(uint64(id), 10) + ")"
}

// Slope is the metadata slope enum; gmetad picks the RRD DS type from it.
type Slope uint32

// Slope values of include/ganglia.h.
const (
	SlopeZero        Slope = 0
	SlopePositive    Slope = 1
	SlopeNegative    Slope = 2
	SlopeBoth        Slope = 3
	SlopeUnspecified Slope = 4
	SlopeDerivative  Slope = 5
)

var slopeNames = [...]string{"zero", "positive", "negative", "both", "unspecified", "derivative"}

// String returns the name gmond prints in the XML SLOPE attribute; values
// outside the enum print as "unspecified", as slope_to_cstr does.
func (s Slope) String() string {
	if s <= SlopeDerivative {
		return slopeNames[s]
	}
	return "unspecified"
}

// ParseSlope maps a slope name to the enum the way cstr_to_slope does: an exact
// lower-case match, anything else (the empty string included) is unspecified.
func ParseSlope(name string) Slope {
	for i, n := range slopeNames {
		if n == name && Slope(i) != SlopeUnspecified {
			return Slope(i)
		}
	}
	return SlopeUnspecified
}

// MetricID is the identity that every message carries after its id.
type MetricID struct {
	// Host is the sender's hostname, or "IP:hostname" when Spoof is set.
	Host string
	// Name is the metric name the receiver files the metric under.
	Name string
	// Spoof tells the receiver to take the host from Host instead of the
	// datagram's source address.
	Spoof bool
}

// Extra is one metadata "extra data" pair (TITLE, DESC, GROUP, SPOOF_HOST...).
type Extra struct {
	Name, Data string
}

// Metadata is the body of a gmetadata_full message.
type Metadata struct {
	Type  string // string, int8, uint8, int16, uint16, int32, uint32, float, double
	Name  string // metric.name; normally equal to MetricID.Name, ignored by receivers
	Units string
	Slope Slope
	TMax  uint32
	DMax  uint32
	Extra []Extra
}

// Value is the body of a value message. Only the field that belongs to the
// message id is meaningful: U for ushort and uint, I for short and int, F32
// for float, F64 for double and Str for string.
type Value struct {
	Fmt string
	U   uint32
	I   int32
	F32 float32
	F64 float64
	Str string
}

// Message is any Ganglia 3.1+ message. Metadata is set for IDMetadata, Value
// for the value ids; a metadata request carries only the MetricID.
type Message struct {
	ID MsgID
	MetricID
	Metadata Metadata
	Value    Value

	// arena holds the packet bytes that DecodeInto's strings point into.
	arena []byte
}

// Float returns a numeric value message's value as a float64, and false for
// string values and non-value messages. gmetad sums and stores this.
func (m *Message) Float() (float64, bool) {
	switch m.ID {
	case IDUShort, IDUInt:
		return float64(m.Value.U), true
	case IDShort, IDInt:
		return float64(m.Value.I), true
	case IDFloat:
		return float64(m.Value.F32), true
	case IDDouble:
		return m.Value.F64, true
	}
	return 0, false
}
