package packetsrc

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/pcap"
)

// Packet is one datagram read from a source, or the reason why the source
// could not give one at this place.
type Packet struct {
	// Label names the packet for the operator: "file" for a raw packet file,
	// "file:line" for a hex dump, "file#frame" for a capture (the frame number
	// Wireshark shows).
	Label string
	// From is the sender when the source knows it (captures); the port is 0
	// when only the address could be read.
	From netip.AddrPort
	// Time is when the packet was captured, zero when unknown.
	Time time.Time
	// Data is the datagram. It is only valid during the callback.
	Data []byte
	// Err is set when the source could not produce a datagram: an IP
	// fragment, a bad hex line, a truncated capture. Data is then nil.
	Err error
}

// Format is the kind of an input.
type Format int

// The input formats. Auto picks one from the content (see Read).
const (
	Auto Format = iota
	Raw
	Hex
	Pcap
)

var formatNames = [...]string{"auto", "raw", "hex", "pcap"}

// String returns the name ParseFormat accepts.
func (f Format) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFormat maps "auto", "raw", "hex" or "pcap" to a Format.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if s == n {
			return Format(i), nil
		}
	}
	return Auto, fmt.Errorf("unknown format %q (want %s)", s, strings.Join(formatNames[:], ", "))
}

// Options tune Read.
type Options struct {
	Format Format
	// Port keeps only the datagrams of a capture whose source or destination
	// port is Port; 0 keeps all. Fragments are always reported, since the
	// port of a later fragment cannot be known without reassembly.
	Port uint16
}

// Stats counts what Read skipped without emitting it.
type Stats struct {
	Frames   int // capture records read
	NonUDP   int // capture records that are not UDP over IP (ARP, TCP...)
	Filtered int // datagrams left out by Options.Port
}

// MaxRaw bounds a raw packet file. Anything that large is not a datagram,
// and the limit keeps a mistaken argument (a disk image...) out of memory.
const MaxRaw = 1 << 20

// bufLen is the read buffer; auto-detection looks at most at its content.
const bufLen = 64 << 10

// Read reads the packets of one input called name and calls emit for each,
// in order. An error that ends the input (unreadable file, pcapng, truncated
// capture) is emitted as a last Packet with Err set.
//
// With Auto, a pcap or pcapng magic number selects Pcap; otherwise content
// made only of hex digits, white space, # comments and leading decimal
// timestamps selects Hex; anything else is Raw: the whole input is one
// datagram, as a capture sink stores it.
func Read(name string, r io.Reader, opt Options, emit func(Packet)) Stats {
	br := bufio.NewReaderSize(r, bufLen)
	f := opt.Format
	if f == Auto {
		f = detect(br)
	}
	switch f {
	case Pcap:
		return readPcap(name, br, opt.Port, emit)
	case Hex:
		readHex(name, br, emit)
	default:
		readRaw(name, br, emit)
	}
	return Stats{}
}

// detect looks at the start of the input to pick its format. It uses what
// the first read returned rather than waiting for a full buffer, so a live
// pipe (tail -f dump.hex | ...) is decoded as lines arrive.
func detect(br *bufio.Reader) Format {
	// A short or failing input gives a short head, and the read proper
	// reports the error again.
	magic, _ := br.Peek(4)
	if pcap.IsMagic(magic) || pcap.IsPcapNG(magic) {
		return Pcap
	}
	head, _ := br.Peek(br.Buffered())
	// The head may end inside a line, which looksHex allows for.
	if len(head) > 0 && looksHex(head) {
		return Hex
	}
	return Raw
}

func readRaw(name string, r io.Reader, emit func(Packet)) {
	b, err := io.ReadAll(io.LimitReader(r, MaxRaw+1))
	switch {
	case err != nil:
		emit(Packet{Label: name, Err: err})
	case len(b) > MaxRaw:
		emit(Packet{Label: name, Err: fmt.Errorf("raw packet file larger than %d bytes: not a datagram (try --format hex or pcap)", MaxRaw)})
	default:
		emit(Packet{Label: name, Data: b})
	}
}
