package main

import (
	"bufio"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ganglia-lpm/ganglia-lpm/internal/packetsrc"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// printer writes one line per packet. Write errors are sticky and returned
// by flush, as bufio does.
type printer interface {
	message(p packetsrc.Packet, m *xdr.Message)
	// failure prints a packet that did not decode; m holds what was
	// decoded before the error, or is nil when there was no packet.
	failure(p packetsrc.Packet, err error, m *xdr.Message)
	flush() error
}

func newPrinter(w io.Writer, json bool) printer {
	bw := bufio.NewWriter(w)
	if json {
		return newJSONPrinter(bw)
	}
	return &humanPrinter{w: bw}
}

// humanPrinter writes "LABEL FROM KIND key=value..." lines. Every string
// that came from the wire is quoted with Go escapes, so hostile bytes can
// neither fake a field nor reach the terminal as control sequences.
type humanPrinter struct {
	w   *bufio.Writer
	buf []byte
}

func (h *humanPrinter) message(p packetsrc.Packet, m *xdr.Message) {
	b := appendLabel(h.buf[:0], p.Label)
	b = append(b, ' ')
	if p.From.IsValid() {
		b = appendFrom(b, p.From)
	} else {
		b = append(b, '-')
	}
	b = append(b, ' ')
	b = append(b, m.ID.String()...)
	b = appendQuoted(b, " host=", m.Host)
	b = appendQuoted(b, " name=", m.Name)
	b = append(b, " spoof="...)
	b = strconv.AppendBool(b, m.Spoof)
	switch {
	case m.ID == xdr.IDMetadata:
		b = appendMetadata(b, m)
	case m.ID.IsValue():
		b = appendQuoted(b, " fmt=", m.Value.Fmt)
		b = append(b, " value="...)
		b = appendValue(b, m)
		b = appendQuoted(b, " val=", xdr.RenderVAL(m.ID, &m.Value))
	}
	h.buf = append(b, '\n')
	h.w.Write(h.buf)
}

func appendMetadata(b []byte, m *xdr.Message) []byte {
	md := &m.Metadata
	b = appendToken(b, " type=", md.Type)
	if md.Name != m.Name { // receivers ignore metric.name; show it only when it disagrees
		b = appendQuoted(b, " metric_name=", md.Name)
	}
	b = appendQuoted(b, " units=", md.Units)
	b = append(b, " slope="...)
	b = append(b, md.Slope.String()...)
	if md.Slope > xdr.SlopeDerivative { // slope_to_cstr hides the wire value
		b = append(b, '(')
		b = strconv.AppendUint(b, uint64(md.Slope), 10)
		b = append(b, ')')
	}
	b = append(b, " tmax="...)
	b = strconv.AppendUint(b, uint64(md.TMax), 10)
	b = append(b, " dmax="...)
	b = strconv.AppendUint(b, uint64(md.DMax), 10)
	b = append(b, " extra=["...)
	for i, e := range md.Extra {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendToken(b, "", e.Name)
		b = appendQuoted(b, "=", e.Data)
	}
	return append(b, ']')
}

// appendValue appends the value of a value message as Go would print it,
// before any printf format: what is on the wire, not what gmond shows.
func appendValue(b []byte, m *xdr.Message) []byte {
	v := &m.Value
	switch m.ID {
	case xdr.IDUShort, xdr.IDUInt:
		return strconv.AppendUint(b, uint64(v.U), 10)
	case xdr.IDShort, xdr.IDInt:
		return strconv.AppendInt(b, int64(v.I), 10)
	case xdr.IDFloat:
		return appendFloat(b, float64(v.F32), 32)
	case xdr.IDDouble:
		return appendFloat(b, v.F64, 64)
	}
	return strconv.AppendQuote(b, v.Str)
}

// appendFloat writes the shortest decimal that reads back as the same
// float of the given size, in plain notation where encoding/json uses it,
// so the human and the JSON output show the same number.
func appendFloat(b []byte, f float64, bits int) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && !math.IsInf(f, 0) && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, bits)
}

func (h *humanPrinter) failure(p packetsrc.Packet, err error, _ *xdr.Message) {
	b := appendLabel(h.buf[:0], p.Label)
	b = append(b, " error: "...)
	b = appendSafe(b, err.Error())
	var notes []string
	if p.Err == nil {
		notes = append(notes, strconv.Itoa(len(p.Data))+" bytes")
	}
	if p.From.IsValid() {
		notes = append(notes, "from "+string(appendFrom(nil, p.From)))
	}
	if len(notes) > 0 {
		b = append(b, " ("...)
		b = append(b, strings.Join(notes, ", ")...)
		b = append(b, ')')
	}
	h.buf = append(b, '\n')
	h.w.Write(h.buf)
}

func (h *humanPrinter) flush() error { return h.w.Flush() }

// appendFrom writes a sender address; port 0 means only the IP was read
// (an IP fragment), so only the IP is shown.
func appendFrom(b []byte, from netip.AddrPort) []byte {
	if from.Port() == 0 {
		return from.Addr().AppendTo(b)
	}
	return from.AppendTo(b)
}

// appendQuoted writes key and s as a Go string literal.
func appendQuoted(b []byte, key, s string) []byte {
	return strconv.AppendQuote(append(b, key...), s)
}

// appendToken writes s bare when it is a plain word (type names, extra
// data keys like TITLE), quoted otherwise, so the line stays unambiguous.
func appendToken(b []byte, key, s string) []byte {
	b = append(b, key...)
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '.' || r == '+' || '0' <= r && r <= '9' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

// appendLabel writes a packet label, quoted if a file name holds
// characters that a terminal would interpret.
func appendLabel(b []byte, label string) []byte {
	if !utf8.ValidString(label) || strings.ContainsFunc(label, func(r rune) bool { return !strconv.IsPrint(r) || r == ' ' }) {
		return strconv.AppendQuote(b, label)
	}
	return append(b, label...)
}

// appendSafe writes an error message, escaping anything unprintable (file
// names in I/O errors come from the command line, not from us).
func appendSafe(b []byte, s string) []byte {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return !strconv.IsPrint(r) && r != ' ' }) {
		q := strconv.Quote(s)
		return append(b, q[1:len(q)-1]...)
	}
	return append(b, s...)
}
