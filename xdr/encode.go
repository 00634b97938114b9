package xdr

import (
	"encoding/binary"
	"math"
)

// AppendMessage appends the XDR encoding of m to dst. It fails, leaving dst
// as it was, when a name is longer than MaxNameLen, the id is unknown, or the
// message would not fit the datagram a stock sender uses (MaxMetadataPacket
// for metadata, MaxPacket otherwise).
func AppendMessage(dst []byte, m *Message) ([]byte, error) {
	switch {
	case m.ID == IDMetadata:
		return AppendMetadata(dst, m.MetricID, &m.Metadata)
	case m.ID.IsValue():
		return AppendValue(dst, m.ID, m.MetricID, &m.Value)
	case m.ID == IDMetadataRequest:
		return AppendRequest(dst, m.MetricID)
	}
	return dst, &EncodeError{Field: "id", Err: ErrUnknownID}
}

// AppendMetadata appends a gmetadata_full message.
func AppendMetadata(dst []byte, id MetricID, md *Metadata) ([]byte, error) {
	if err := checkNames(id, md); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = appendUint(dst, uint32(IDMetadata))
	dst = appendMetricID(dst, id)
	dst = appendString(dst, md.Type)
	dst = appendString(dst, md.Name)
	dst = appendString(dst, md.Units)
	dst = appendUint(dst, uint32(md.Slope))
	dst = appendUint(dst, md.TMax)
	dst = appendUint(dst, md.DMax)
	dst = appendUint(dst, uint32(len(md.Extra)))
	for _, e := range md.Extra {
		dst = appendString(dst, e.Name)
		dst = appendString(dst, e.Data)
	}
	if len(dst)-start > MaxMetadataPacket {
		return dst[:start], &EncodeError{Field: "metadata", Err: ErrOversize}
	}
	return dst, nil
}

// AppendValue appends a value message of the given id (129–135); the field
// of v that belongs to the id is encoded, the others are ignored.
func AppendValue(dst []byte, id MsgID, mid MetricID, v *Value) ([]byte, error) {
	if !id.IsValue() {
		return dst, &EncodeError{Field: "id", Err: ErrUnknownID}
	}
	if err := checkNames(mid, nil); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = appendUint(dst, uint32(id))
	dst = appendMetricID(dst, mid)
	dst = appendString(dst, v.Fmt)
	switch id {
	case IDUShort:
		dst = appendUint(dst, uint32(uint16(v.U)))
	case IDShort:
		// XDR has no 16-bit type: a short travels sign-extended in 4 bytes.
		dst = appendUint(dst, uint32(int32(int16(v.I))))
	case IDInt:
		dst = appendUint(dst, uint32(v.I))
	case IDUInt:
		dst = appendUint(dst, v.U)
	case IDString:
		dst = appendString(dst, v.Str)
	case IDFloat:
		dst = appendUint(dst, math.Float32bits(v.F32))
	case IDDouble:
		dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(v.F64))
	}
	if len(dst)-start > MaxPacket {
		return dst[:start], &EncodeError{Field: "value", Err: ErrOversize}
	}
	return dst, nil
}

// AppendRequest appends a gmetadata_request asking the owner of mid for its
// metadata.
func AppendRequest(dst []byte, mid MetricID) ([]byte, error) {
	if err := checkNames(mid, nil); err != nil {
		return dst, err
	}
	start := len(dst)
	dst = appendUint(dst, uint32(IDMetadataRequest))
	dst = appendMetricID(dst, mid)
	if len(dst)-start > MaxPacket {
		return dst[:start], &EncodeError{Field: "request", Err: ErrOversize}
	}
	return dst, nil
}

func checkNames(id MetricID, md *Metadata) error {
	if len(id.Host) > MaxNameLen {
		return &EncodeError{Field: "metric_id.host", Err: ErrNameTooLong}
	}
	if len(id.Name) > MaxNameLen {
		return &EncodeError{Field: "metric_id.name", Err: ErrNameTooLong}
	}
	if md == nil {
		return nil
	}
	if len(md.Name) > MaxNameLen {
		return &EncodeError{Field: "metric.name", Err: ErrNameTooLong}
	}
	for _, e := range md.Extra {
		if len(e.Name) > MaxNameLen {
			return &EncodeError{Field: "extra.name", Err: ErrNameTooLong}
		}
	}
	return nil
}

func appendMetricID(dst []byte, id MetricID) []byte {
	dst = appendString(dst, id.Host)
	dst = appendString(dst, id.Name)
	if id.Spoof {
		return appendUint(dst, 1)
	}
	return appendUint(dst, 0)
}

func appendUint(dst []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(dst, v) }

// appendString writes an XDR string: length, bytes, zero padding to 4.
func appendString(dst []byte, s string) []byte {
	dst = appendUint(dst, uint32(len(s)))
	dst = append(dst, s...)
	for pad := (4 - len(s)%4) % 4; pad > 0; pad-- {
		dst = append(dst, 0)
	}
	return dst
}
