package metric

import (
	"fmt"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Type is a metadata type string as gmond and gmetric send it.
type Type string

// The metric types gmond's own modules use. int8/uint8 exist in the protocol
// only as metadata strings, so the agent never announces them.
const (
	String Type = "string"
	Int16  Type = "int16"
	UInt16 Type = "uint16"
	Int32  Type = "int32"
	UInt32 Type = "uint32"
	Float  Type = "float"
	Double Type = "double"
)

// MsgID is the value message a metric of type t travels in.
func (t Type) MsgID() (xdr.MsgID, error) {
	switch t {
	case String:
		return xdr.IDString, nil
	case Int16:
		return xdr.IDShort, nil
	case UInt16:
		return xdr.IDUShort, nil
	case Int32:
		return xdr.IDInt, nil
	case UInt32:
		return xdr.IDUInt, nil
	case Float:
		return xdr.IDFloat, nil
	case Double:
		return xdr.IDDouble, nil
	}
	return 0, fmt.Errorf("metric type %q has no value message", string(t))
}

// Numeric reports whether values of t are numbers (value_threshold applies).
func (t Type) Numeric() bool { return t != String && t != "" }

// Def is one metric as gmond's module table describes it: the metadata the
// agent sends (DMax is always 0 for gmond's own metrics, PROTOCOL.md §2.2)
// plus the printf format of the value message and the default title used
// when the collection group gives none.
type Def struct {
	Name   string
	Type   Type
	Units  string
	Slope  xdr.Slope
	TMax   uint32
	DMax   uint32
	Format string // e.g. "%.1f"; travels in the value message
	Group  string // GROUP extra element: core, cpu, load, memory, network, process, system, disk, ibmpower
	Desc   string // DESC extra element
	// Title is the title the default configuration gives the metric
	// (gmond -t). It is not sent by itself: like stock gmond, the agent
	// sends the collection group's title, else the metric name.
	Title string
}

// Metadata returns the gmetadata_full body gmond sends for d, with the
// extras in the order stock gmond sends them: TITLE, DESC, GROUP. title is
// the collection group's title for the metric; stock sends the metric name
// when there is none.
func (d *Def) Metadata(title string) xdr.Metadata {
	if title == "" {
		title = d.Name
	}
	extra := []xdr.Extra{{Name: "TITLE", Data: title}, {Name: "DESC", Data: d.Desc}}
	if d.Group != "" {
		extra = append(extra, xdr.Extra{Name: "GROUP", Data: d.Group})
	}
	return xdr.Metadata{
		Type: string(d.Type), Name: d.Name, Units: d.Units, Slope: d.Slope,
		TMax: d.TMax, DMax: d.DMax, Extra: extra,
	}
}

// Value is one reading: Num for numeric types, Str for strings.
type Value struct {
	Num float64
	Str string
}

// Num returns a numeric reading.
func Num(f float64) Value { return Value{Num: f} }

// Str returns a string reading.
func Str(s string) Value { return Value{Str: s} }

// XDR returns the value message id and body that carry v for d. Numbers are
// converted to the wire type the way C does when gmond assigns a double to
// the module's union member (truncation toward zero for integers).
func (d *Def) XDR(v Value) (xdr.MsgID, xdr.Value, error) {
	id, err := d.Type.MsgID()
	if err != nil {
		return 0, xdr.Value{}, err
	}
	out := xdr.Value{Fmt: d.Format}
	switch id {
	case xdr.IDString:
		out.Str = v.Str
	case xdr.IDUShort:
		out.U = uint32(uint16(clamp(v.Num, 0, 65535)))
	case xdr.IDShort:
		out.I = int32(int16(clamp(v.Num, -32768, 32767)))
	case xdr.IDUInt:
		out.U = uint32(clamp(v.Num, 0, 4294967295))
	case xdr.IDInt:
		out.I = int32(clamp(v.Num, -2147483648, 2147483647))
	case xdr.IDFloat:
		out.F32 = float32(v.Num)
	case xdr.IDDouble:
		out.F64 = v.Num
	}
	return id, out, nil
}

func clamp(f, lo, hi float64) float64 {
	switch {
	case f != f: // NaN
		return 0
	case f < lo:
		return lo
	case f > hi:
		return hi
	}
	return f
}

// Reading is one metric's value from one Collect call.
type Reading struct {
	Name  string
	Value Value
}

// Collector reads one data source (a /proc file, a command) and turns it
// into metrics. Collect reads the source once and returns every metric it
// could compute; a metric it cannot compute this time (the first call of a
// rate, a counter that went backwards, a source that is missing) is left
// out rather than sent as a zero that looks real. Collectors are called from
// one goroutine.
type Collector interface {
	// Name names the source in logs, e.g. "cpu" or "lparcfg".
	Name() string
	// Defs lists the metrics this collector can provide.
	Defs() []Def
	// Collect reads the source. A non-nil error means nothing could be read.
	Collect(now time.Time) ([]Reading, error)
}

// Resetter is implemented by collectors that compute rates from counters.
// After an LPM move the agent calls ResetBaselines so the next rate is not
// computed across two frames' counters (pool idle, PURR, network, disk).
type Resetter interface {
	ResetBaselines()
}
