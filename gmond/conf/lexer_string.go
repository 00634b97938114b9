package conf

import "bytes"

// doubleQuoted scans the rest of a "..." string (the opening quote is
// consumed). Escapes follow libconfuse: \n \r \b \f \a \e \t \v, octal
// \ooo (at most 0377), hex \xH or \xHH, backslash-newline continues the
// line, any other \c is c. ${VAR} and ${VAR:-default} are substituted.
func (l *lexer) doubleQuoted(line int) token {
	var b []byte
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == '"':
			l.off++
			return token{kind: tStr, text: string(b), line: line}
		case c == '\n':
			b = append(b, c)
			l.line++
			l.off++
		case c == '$' && l.peekAt(1) == '{' && bytes.IndexByte(l.src[l.off:], '}') >= 0:
			end := bytes.IndexByte(l.src[l.off:], '}')
			ref := string(l.src[l.off+2 : l.off+end])
			l.line += bytes.Count(l.src[l.off:l.off+end], []byte{'\n'})
			b = append(b, l.expand(ref)...)
			l.off += end + 1
		case c == '\\':
			if l.off+1 >= len(l.src) {
				return l.fail(line, "string is not terminated")
			}
			var ok bool
			if b, ok = l.escape(b); !ok {
				return token{kind: tEOF, line: l.line}
			}
		default:
			b = append(b, c)
			l.off++
		}
	}
	return l.fail(line, "string is not terminated")
}

// escape decodes the backslash sequence at l.off and appends it to b.
func (l *lexer) escape(b []byte) ([]byte, bool) {
	d := l.src[l.off+1]
	switch {
	case d == '\n':
		l.line++
		l.off += 2
		return b, true
	case d >= '0' && d <= '9':
		return l.octal(b)
	case d == 'x' && isHex(l.peekAt(2)):
		n, v := 1, hexVal(l.peekAt(2))
		if isHex(l.peekAt(3)) {
			n, v = 2, v*16+hexVal(l.peekAt(3))
		}
		l.off += 2 + n
		return append(b, v), true
	}
	l.off += 2
	if r, ok := simpleEscapes[d]; ok {
		return append(b, r), true
	}
	return append(b, d), true
}

var simpleEscapes = map[byte]byte{'n': '\n', 'r': '\r', 'b': '\b', 'f': '\f', 'a': '\a', 'e': 0x1b, 't': '\t', 'v': '\v'}

// octal handles \ooo. Flex takes the longest match, so a digit run longer
// than the octal prefix (\8, \1234, \19) is libconfuse's "bad escape".
func (l *lexer) octal(b []byte) ([]byte, bool) {
	start := l.off + 1
	run := start
	for run < len(l.src) && l.src[run] >= '0' && l.src[run] <= '9' {
		run++
	}
	oct := start
	for oct < len(l.src) && oct-start < 3 && l.src[oct] >= '0' && l.src[oct] <= '7' {
		oct++
	}
	seq := string(l.src[l.off:run])
	if run > oct {
		l.fail(l.line, "bad escape sequence %q in string", seq)
		return b, false
	}
	v := 0
	for _, c := range l.src[start:oct] {
		v = v*8 + int(c-'0')
	}
	if v > 0xff {
		l.fail(l.line, "octal escape %q is above \\377", seq)
		return b, false
	}
	l.off = oct
	return append(b, byte(v)), true
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// singleQuoted scans the rest of a '...' string: only \\ and \' are
// escapes, backslash-newline continues the line, any other backslash is
// kept as written.
func (l *lexer) singleQuoted(line int) token {
	var b []byte
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch c {
		case '\'':
			l.off++
			return token{kind: tStr, text: string(b), line: line}
		case '\n':
			b = append(b, c)
			l.line++
			l.off++
		case '\\':
			if l.off+1 >= len(l.src) {
				return l.fail(line, "string is not terminated")
			}
			switch d := l.src[l.off+1]; d {
			case '\n':
				l.line++
			case '\\', '\'':
				b = append(b, d)
			default:
				b = append(b, c, d)
			}
			l.off += 2
		default:
			b = append(b, c)
			l.off++
		}
	}
	return l.fail(line, "string is not terminated")
}
