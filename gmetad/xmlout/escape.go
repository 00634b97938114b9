package xmlout

// The document is declared ISO-8859-1 (the DTD prolog stock daemons
// print), so every byte from 0x20 up is a valid character and non-ASCII
// bytes are passed through untouched, exactly as stock gmetad does: names
// that are fine for stock come out byte for byte the same. Stock escapes
// nothing it re-emits (Q7); we escape exactly what XML requires in a
// double-quoted attribute value, and nothing more:
//
//	&  -> &amp;     <  -> &lt;     "  -> &quot;
//	TAB -> &#9;     LF -> &#10;    CR -> &#13;    (survive attribute normalisation)
//	other bytes 0x00-0x1F -> &#xFFFD; (XML 1.0 cannot carry them at all)
//
// '>' and the apostrophe stay raw: both are legal there, and stock data has them in
// well-formed values (gmetric DESC "slope derivative => DERIVE" in the
// captures), which must stay byte-identical.
const replacementRef = "&#xFFFD;"

// attrPlain[c] is true for bytes copied unchanged into an attribute value.
var attrPlain = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20
	}
	for _, c := range `&<"` {
		t[c] = false
	}
	return t
}()

// appendAttr appends s escaped for a double-quoted attribute value. The
// common case (nothing to escape) is one scan and one copy.
func appendAttr(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if attrPlain[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '"':
			dst = append(dst, "&quot;"...)
		case '\t':
			dst = append(dst, "&#9;"...)
		case '\n':
			dst = append(dst, "&#10;"...)
		case '\r':
			dst = append(dst, "&#13;"...)
		default:
			dst = append(dst, replacementRef...)
		}
	}
	return append(dst, s[start:]...)
}
