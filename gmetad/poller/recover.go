package poller

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// recoverLine handles a syntax error: count it, drop the rest of the line,
// and skip the element the line opened with its children. A broken CLUSTER
// or GRID line therefore loses the whole source (its name is unknown), a
// broken HOST line that host, a METRIC line that metric.
func (p *parser) recoverLine(err error) error {
	p.malformed++
	p.count(ReasonMalformed)
	line := p.in.errLine()
	name, kind := classify(p.in.tok, p.in.skipLine())
	msg := err.Error()
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg = se.Msg
	}
	if name.Local != "" {
		msg = "<" + name.Local + ">: " + msg
	}
	p.addError(fmt.Sprintf("line %d: %s", line, msg))
	if p.malformed > p.opts.MaxMalformed {
		return fmt.Errorf("%w: %d lines", ErrMalformed, p.malformed)
	}
	switch {
	case kind == tagEnd:
		p.closeTag(name, false)
	case kind != tagStart:
	case name.Space == "" && (name.Local == "GANGLIA_XML" || name.Local == "EXTRA_DATA"):
		// Their attributes carry nothing gmetad needs: open them, so
		// that their content is still read.
		p.push(frame{name: name})
	default:
		p.push(frame{name: name})
		if p.skipFrom == 0 {
			p.skipFrom = len(p.stack)
		}
	}
	return nil
}

// tagKind is what a broken line was.
type tagKind uint8

const (
	tagNone  tagKind = iota // text, a declaration, or no element name
	tagStart                // "<X ...>": its children are skipped too
	tagEmpty                // "<X .../>"
	tagEnd                  // "</X>"
)

// classify tells from the first bytes of a broken token and the last two
// non-blank bytes of its line which element the line held.
func classify(tok []byte, tail [2]byte) (xml.Name, tagKind) {
	i := 0
	for i < len(tok) && (tok[i] == ' ' || tok[i] == '\t' || tok[i] == '\r' || tok[i] == '\n') {
		i++
	}
	if i >= len(tok) || tok[i] != '<' {
		return xml.Name{}, tagNone
	}
	i++
	kind := tagStart
	if i < len(tok) && tok[i] == '/' {
		kind = tagEnd
		i++
	}
	j := i
	for j < len(tok) && isNameByte(tok[j]) {
		j++
	}
	if j == i {
		return xml.Name{}, tagNone
	}
	if kind == tagStart && tail == [2]byte{'/', '>'} {
		kind = tagEmpty
	}
	return splitName(string(tok[i:j])), kind
}

func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-' || c >= 0x80
}

// splitName splits "prefix:local" as encoding/xml's RawToken does.
func splitName(s string) xml.Name {
	if space, local, ok := strings.Cut(s, ":"); ok && space != "" && local != "" {
		return xml.Name{Space: space, Local: local}
	}
	return xml.Name{Local: s}
}
