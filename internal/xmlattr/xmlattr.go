// Package xmlattr escapes attribute values of the Ganglia XML that gmond and
// gmetad print. Stock daemons escape almost nothing (PROTOCOL.md §7 Q7), so
// one quote or '<' from the network breaks every consumer; we escape every
// value while changing no byte that stock writes correctly:
//
//   - & < " become &amp; &lt; &quot;, the minimum a double-quoted attribute
//     needs; '>' and '\” stay raw, as stock writes them (a DESC "slope
//     positive => COUNTER" stays byte-identical);
//   - string VALs of gmond's dump additionally get stock xml_escape's
//     &gt; and &apos; (AppendStringVAL);
//   - tab, newline and carriage return become &#09; &#10; &#13; (the
//     two-digit references stock's xml_escape writes), so a parser gets the
//     character back instead of a space from attribute normalisation;
//   - every other byte below 0x20 becomes '?': XML 1.0 cannot carry those
//     characters at all, not even as references;
//   - bytes from 0x7F up pass through: the documents declare ISO-8859-1, in
//     which every such byte is a character XML allows.
package xmlattr

// attrEscapes[c] is the replacement of byte c in an attribute value, ""
// when c is written as is; valEscapes is the same for gmond string VALs.
var attrEscapes, valEscapes = func() (attr, val [256]string) {
	for c := 0; c < 0x20; c++ {
		attr[c] = "?"
	}
	attr['\t'], attr['\n'], attr['\r'] = "&#09;", "&#10;", "&#13;"
	attr['&'], attr['<'], attr['"'] = "&amp;", "&lt;", "&quot;"
	val = attr
	val['>'], val['\''] = "&gt;", "&apos;"
	return attr, val
}()

// Append appends s escaped for a double-quoted attribute value. The common
// case, nothing to escape, is one scan and one copy.
func Append[T string | []byte](dst []byte, s T) []byte { return appendEscaped(dst, s, &attrEscapes) }

// AppendStringVAL appends a string metric's VAL as gmond's dump writes it:
// Append plus stock xml_escape's &gt; and &apos;.
func AppendStringVAL[T string | []byte](dst []byte, s T) []byte {
	return appendEscaped(dst, s, &valEscapes)
}

func appendEscaped[T string | []byte](b []byte, s T, table *[256]string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if r := table[s[i]]; r != "" {
			b = append(b, s[start:i]...)
			b = append(b, r...)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}
