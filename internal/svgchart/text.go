package svgchart

import (
	"unicode/utf8"
)

// appendEscaped appends s to b as XML character data that is also safe inside
// a double- or single-quoted attribute. Series names come from the network:
// invalid UTF-8 and characters XML 1.0 forbids become U+FFFD, so the output
// always parses.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&#34;"...)
		case r == '\'':
			b = append(b, "&#39;"...)
		case r == '\t', r == '\n', r == '\r':
			b = append(b, ' ') // labels are one line; attribute normalisation would do the same
		case r == utf8.RuneError && size == 1, !isXMLChar(r):
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			b = append(b, s[i-size:i]...)
		}
	}
	return b
}

// isXMLChar reports whether r is a Char of the XML 1.0 grammar.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// truncate shortens s to at most max runes, ending it with an ellipsis when
// something was cut. It counts runes, not bytes, so it never splits one.
func truncate(s string, max int) (string, bool) {
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…", true
		}
		n++
	}
	return s, false
}

// textWidth estimates the width in pixels of s in the chart's sans-serif font
// at the given size; layout only needs it to avoid overlaps, not to be exact.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}
