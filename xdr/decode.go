package xdr

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// Decode decodes one message from a datagram. The returned message owns a
// private copy of b, so b may be reused at once. Like a stock receiver it
// ignores bytes after the message and reads any non-zero bool as true.
func Decode(b []byte) (Message, error) {
	var m Message
	if err := checkSize(b); err != nil {
		return m, err
	}
	err := m.decode(append([]byte(nil), b...))
	return m, err
}

// DecodeInto decodes b into m, reusing m's buffers, so a receive loop that
// keeps one Message per reader allocates nothing in the steady state.
//
// The strings in m (host, names, units, extra data, string values) point into
// a buffer that m owns and that the next DecodeInto on m overwrites: copy
// them (strings.Clone) before keeping them beyond that call. That is the price
// of decoding without allocating, and the reason Decode exists.
func DecodeInto(m *Message, b []byte) error {
	if err := checkSize(b); err != nil {
		return err
	}
	m.arena = append(m.arena[:0], b...)
	return m.decode(m.arena)
}

func checkSize(b []byte) error {
	if len(b) > MaxPacket {
		return &DecodeError{Field: "packet", Offset: MaxPacket, Err: ErrOversize}
	}
	return nil
}

// decode fills m from b; the strings it sets alias b, which the caller
// guarantees is not modified while they are in use.
func (m *Message) decode(b []byte) error {
	r := reader{b: b}
	extra := m.Metadata.Extra[:0]
	*m = Message{arena: m.arena}
	m.Metadata.Extra = extra

	id, err := r.uint("id")
	if err != nil {
		return err
	}
	m.ID = MsgID(id)
	if !m.ID.Known() {
		return &DecodeError{Field: "id", Offset: 0, Err: ErrUnknownID}
	}
	if err := r.metricID(&m.MetricID); err != nil {
		return err
	}
	switch {
	case m.ID == IDMetadata:
		return r.metadata(&m.Metadata)
	case m.ID.IsValue():
		return r.value(m.ID, &m.Value)
	}
	return nil // a metadata request is only the metric id
}

type reader struct {
	b   []byte
	off int
}

func (r *reader) fail(field string, err error) error {
	return &DecodeError{Field: field, Offset: r.off, Err: err}
}

func (r *reader) uint(field string) (uint32, error) {
	if len(r.b)-r.off < 4 {
		return 0, r.fail(field, ErrTruncated)
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v, nil
}

// string reads an XDR string, refusing lengths beyond the packet before
// touching memory, and names longer than limit (0 = only the packet bounds it).
func (r *reader) string(field string, limit int) (string, error) {
	n, err := r.uint(field)
	if err != nil {
		return "", err
	}
	left := uint64(len(r.b) - r.off)
	if uint64(n) > left {
		r.off -= 4
		return "", r.fail(field, ErrOverrun)
	}
	if limit > 0 && int(n) > limit {
		r.off -= 4
		return "", r.fail(field, ErrNameTooLong)
	}
	padded := (uint64(n) + 3) &^ 3
	if padded > left {
		// The bytes are there but the padding is not. Stock XDR (xdr_string
		// via xdr_opaque) fails here too.
		return "", r.fail(field, ErrTruncated)
	}
	var s string
	if n > 0 {
		s = unsafe.String(&r.b[r.off], int(n))
	}
	r.off += int(padded)
	return s, nil
}

func (r *reader) metricID(id *MetricID) error {
	var err error
	if id.Host, err = r.string("metric_id.host", MaxNameLen); err != nil {
		return err
	}
	if id.Name, err = r.string("metric_id.name", MaxNameLen); err != nil {
		return err
	}
	spoof, err := r.uint("metric_id.spoof")
	id.Spoof = spoof != 0
	return err
}

func (r *reader) metadata(md *Metadata) error {
	var err error
	if md.Type, err = r.string("metric.type", 0); err != nil {
		return err
	}
	if md.Name, err = r.string("metric.name", MaxNameLen); err != nil {
		return err
	}
	if md.Units, err = r.string("metric.units", 0); err != nil {
		return err
	}
	var slope uint32
	if slope, err = r.uint("metric.slope"); err != nil {
		return err
	}
	md.Slope = Slope(slope)
	if md.TMax, err = r.uint("metric.tmax"); err != nil {
		return err
	}
	if md.DMax, err = r.uint("metric.dmax"); err != nil {
		return err
	}
	n, err := r.uint("metric.metadata")
	if err != nil {
		return err
	}
	// Every pair takes at least 8 bytes (two empty strings): a count that
	// cannot fit is refused before any memory is reserved for it.
	if uint64(n)*8 > uint64(len(r.b)-r.off) {
		r.off -= 4
		return r.fail("metric.metadata", ErrOverrun)
	}
	if cap(md.Extra) < int(n) {
		md.Extra = make([]Extra, 0, n)
	}
	for i := 0; i < int(n); i++ {
		var e Extra
		if e.Name, err = r.string("extra.name", MaxNameLen); err != nil {
			return err
		}
		if e.Data, err = r.string("extra.data", 0); err != nil {
			return err
		}
		md.Extra = append(md.Extra, e)
	}
	return nil
}

func (r *reader) value(id MsgID, v *Value) error {
	var err error
	if v.Fmt, err = r.string("fmt", 0); err != nil {
		return err
	}
	if id == IDString {
		v.Str, err = r.string("value", 0)
		return err
	}
	if id == IDDouble {
		if len(r.b)-r.off < 8 {
			return r.fail("value", ErrTruncated)
		}
		v.F64 = math.Float64frombits(binary.BigEndian.Uint64(r.b[r.off:]))
		r.off += 8
		return nil
	}
	u, err := r.uint("value")
	if err != nil {
		return err
	}
	switch id {
	case IDUShort:
		v.U = uint32(uint16(u)) // xdr_u_short keeps the low 16 bits
	case IDShort:
		v.I = int32(int16(u))
	case IDInt:
		v.I = int32(u)
	case IDUInt:
		v.U = u
	case IDFloat:
		v.F32 = math.Float32frombits(u)
	}
	return nil
}
