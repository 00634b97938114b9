package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// Magic numbers of the file header, as read in the writer's byte order.
const (
	MagicMicro  = 0xa1b2c3d4 // classic pcap, microsecond timestamps
	MagicNano   = 0xa1b23c4d // pcap with nanosecond timestamps
	MagicPcapNG = 0x0a0d0d0a // pcapng section header block; not supported
)

// MaxRecord is the largest captured length accepted for one record: libpcap's
// MAXIMUM_SNAPLEN. A larger length means a corrupt file, and refusing it keeps
// a hostile header from making the reader allocate gigabytes.
const MaxRecord = 262144

const (
	fileHeaderLen   = 24
	recordHeaderLen = 16
)

// Errors returned (wrapped, test with errors.Is) by the reader and by
// DecodeUDP.
var (
	ErrPcapNG    = errors.New("pcapng capture files are not supported; convert with: editcap -F pcap IN OUT")
	ErrNotPcap   = errors.New("not a pcap file (bad magic number)")
	ErrTruncated = errors.New("truncated")
	ErrRecordLen = errors.New("record length larger than " + fmt.Sprint(MaxRecord) + " bytes (corrupt file?)")
	ErrLinkType  = errors.New("unsupported link type")
	ErrNotUDP    = errors.New("not a UDP datagram")
	ErrFragment  = errors.New("IP fragment, not reassembled")
	ErrMalformed = errors.New("malformed header")
)

// Header is the pcap file header.
type Header struct {
	ByteOrder    binary.ByteOrder // the byte order of the machine that wrote the file
	Nano         bool             // timestamps carry nanoseconds instead of microseconds
	VersionMajor uint16
	VersionMinor uint16
	SnapLen      uint32
	LinkType     LinkType
}

// Record is one captured frame.
type Record struct {
	Time    time.Time
	OrigLen int    // length of the frame on the wire
	Data    []byte // the captured bytes, at most the snap length of the capture
}

// Reader reads the records of a pcap file one by one.
type Reader struct {
	r   io.Reader
	hdr Header
	buf []byte
}

// NewReader reads the file header from r. It returns ErrPcapNG for a pcapng
// file, ErrNotPcap for anything else that is not pcap, and ErrTruncated when
// r ends inside the header.
func NewReader(r io.Reader) (*Reader, error) {
	var b [fileHeaderLen]byte
	n, err := io.ReadFull(r, b[:])
	if n >= 4 {
		if err := checkMagic(b[:4]); err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, fmt.Errorf("pcap: file ends inside the file header: %w", readErr(err))
	}
	hdr := parseHeader(b[:])
	return &Reader{r: r, hdr: hdr}, nil
}

// IsMagic reports whether b starts with the magic number of a classic pcap
// file (either byte order, either timestamp resolution).
func IsMagic(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	le, be := binary.LittleEndian.Uint32(b), binary.BigEndian.Uint32(b)
	return le == MagicMicro || le == MagicNano || be == MagicMicro || be == MagicNano
}

// IsPcapNG reports whether b starts like a pcapng file. The section header
// block type reads the same in both byte orders.
func IsPcapNG(b []byte) bool {
	return len(b) >= 4 && binary.BigEndian.Uint32(b) == MagicPcapNG
}

func checkMagic(b []byte) error {
	switch {
	case IsMagic(b):
		return nil
	case IsPcapNG(b):
		return fmt.Errorf("pcap: %w", ErrPcapNG)
	}
	return fmt.Errorf("pcap: %w", ErrNotPcap)
}

func parseHeader(b []byte) Header {
	var h Header
	h.ByteOrder = binary.ByteOrder(binary.LittleEndian)
	magic := binary.LittleEndian.Uint32(b)
	if magic != MagicMicro && magic != MagicNano {
		h.ByteOrder = binary.BigEndian
		magic = binary.BigEndian.Uint32(b)
	}
	h.Nano = magic == MagicNano
	h.VersionMajor = h.ByteOrder.Uint16(b[4:])
	h.VersionMinor = h.ByteOrder.Uint16(b[6:])
	h.SnapLen = h.ByteOrder.Uint32(b[16:])
	// The upper bits of the link type field carry FCS information in newer
	// writers (the pcap draft's LinkType and additional information field).
	h.LinkType = LinkType(h.ByteOrder.Uint32(b[20:]) & 0xffff)
	return h
}

// Header returns the file header.
func (r *Reader) Header() Header { return r.hdr }

// Next returns the next record. Its Data is only valid until the next call to
// Next. At the end of the file Next returns io.EOF; a file that ends inside a
// record gives ErrTruncated, and a corrupt record length ErrRecordLen, after
// which the reader cannot resynchronise and the caller should stop.
func (r *Reader) Next() (Record, error) {
	var h [recordHeaderLen]byte
	if _, err := io.ReadFull(r.r, h[:]); err != nil {
		if err == io.EOF {
			return Record{}, io.EOF
		}
		return Record{}, fmt.Errorf("pcap: file ends inside a record header: %w", readErr(err))
	}
	bo := r.hdr.ByteOrder
	sec, frac := bo.Uint32(h[0:]), bo.Uint32(h[4:])
	capLen, origLen := bo.Uint32(h[8:]), bo.Uint32(h[12:])
	if capLen > MaxRecord {
		return Record{}, fmt.Errorf("pcap: record of %d bytes: %w", capLen, ErrRecordLen)
	}
	if cap(r.buf) < int(capLen) {
		r.buf = make([]byte, capLen)
	}
	r.buf = r.buf[:capLen]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return Record{}, fmt.Errorf("pcap: file ends inside a record: %w", readErr(err))
	}
	nsec := int64(frac)
	if !r.hdr.Nano {
		nsec *= 1000
	}
	return Record{
		Time:    time.Unix(int64(sec), nsec).UTC(),
		OrigLen: int(origLen),
		Data:    r.buf,
	}, nil
}

// readErr tells a file that ends too early from a failing reader.
func readErr(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ErrTruncated
	}
	return err
}
