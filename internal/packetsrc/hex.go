package packetsrc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ErrHex is wrapped by the errors of hex lines that cannot be read.
var ErrHex = errors.New("bad hex line")

// MaxHexLine bounds one line of a hex dump: far beyond any datagram
// (65507 bytes are 131014 digits), small enough to refuse a binary file
// forced through --format hex without reading it all into one line.
const MaxHexLine = 1 << 20

// readHex reads a hex dump: one packet per line, white space inside a line
// ignored, # starts a comment, blank lines skipped, and an optional leading
// unix time ("1795302993.261 0000008000...") as the capture tools of the
// golden data write it.
func readHex(name string, r io.Reader, emit func(Packet)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxHexLine)
	var buf []byte
	line := 0
	for sc.Scan() {
		line++
		p, ok := parseHexLine(sc.Bytes(), buf[:0])
		if !ok {
			continue
		}
		p.Label = name + ":" + strconv.Itoa(line)
		if p.Err == nil {
			buf = p.Data
		}
		emit(p)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("%w: longer than %d bytes", ErrHex, MaxHexLine)
		}
		emit(Packet{Label: name + ":" + strconv.Itoa(line+1), Err: err})
	}
}

// parseHexLine decodes one line, appending the packet bytes to dst. ok is
// false for blank and comment-only lines.
func parseHexLine(line, dst []byte) (p Packet, ok bool) {
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	start := skipSpace(line, 0)
	if start == len(line) {
		return p, false
	}
	if end, isTime := leadingTime(line, start); isTime {
		t, err := parseUnixTime(line[start:end])
		if err != nil {
			p.Err = err
			return p, true
		}
		p.Time, start = t, end
	}
	p.Data, p.Err = appendHex(dst, line, start)
	if p.Err != nil {
		p.Data = nil
	}
	return p, true
}

// leadingTime says whether the field at start is a unix time rather than
// the first group of hex digits, and where it ends. A field with a decimal
// point is a time (hex has none). A field of digits only is a time when it
// has 9 or more digits, does not start with 0 and more follows: every
// Ganglia packet starts with 000000, and hex dumps group digits by 2, 4 or 8.
func leadingTime(line []byte, start int) (end int, ok bool) {
	end = start
	dots := 0
	for end < len(line) && !isSpace(line[end]) {
		switch c := line[end]; {
		case c == '.':
			dots++
		case c < '0' || c > '9':
			return end, false
		}
		end++
	}
	digits := end - start - dots
	if dots == 1 && digits > 0 {
		return end, true
	}
	more := skipSpace(line, end) < len(line)
	return end, dots == 0 && digits >= 9 && line[start] != '0' && more
}

// parseUnixTime parses "seconds[.fraction]" exactly (no float rounding).
func parseUnixTime(f []byte) (time.Time, error) {
	secs, frac, _ := bytes.Cut(f, []byte("."))
	s, err := strconv.ParseInt(string(secs), 10, 64)
	if err != nil || s > 1<<40 {
		return time.Time{}, fmt.Errorf("%w: timestamp %q out of range", ErrHex, f)
	}
	var ns int64
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	return time.Unix(s, ns).UTC(), nil
}

// appendHex decodes the hex digits of line[start:], ignoring white space.
func appendHex(dst, line []byte, start int) ([]byte, error) {
	var hi byte
	half := false
	for i := start; i < len(line); i++ {
		c := line[i]
		if isSpace(c) {
			continue
		}
		v, ok := nibble(c)
		if !ok {
			return dst, fmt.Errorf("%w: invalid character %q at column %d", ErrHex, c, i+1)
		}
		if half {
			dst = append(dst, hi<<4|v)
		}
		hi, half = v, !half
	}
	if half {
		return dst, fmt.Errorf("%w: odd number of hex digits", ErrHex)
	}
	return dst, nil
}

// looksHex reports whether b reads as a hex dump. The last line may be cut
// short by the peek, so a trailing partial timestamp is allowed.
func looksHex(b []byte) bool {
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, []byte("\n"))
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		start := skipSpace(line, 0)
		if end, ok := leadingTime(line, start); ok {
			start = end
		}
		for _, c := range line[start:] {
			if _, ok := nibble(c); !ok && !isSpace(c) {
				return false
			}
		}
	}
	return true
}

func nibble(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}
