package cluster

import "github.com/ganglia-lpm/ganglia-lpm/xdr"

// Escaping of attribute values. Stock gmond escapes only string VALs and
// writes names, units and extra data raw (Q7), so one '"' or '<' from the
// network breaks every consumer. We escape every attribute value, changing
// no byte that stock writes correctly:
//
//   - string VALs get stock's xml_escape set: & < > " ' become &amp; &lt;
//     &gt; &quot; &apos;;
//   - every other value (names, units, extra data, tags, location, cluster
//     attributes, numeric VALs) gets only what a double-quoted attribute
//     needs: & < " become &amp; &lt; &quot;, and '>' and '\'' stay as stock
//     writes them (a DESC "slope positive => COUNTER" is byte-identical);
//   - tab, newline and carriage return become &#09; &#10; &#13; (the
//     two-digit references stock's xml_escape writes; a parser gets the
//     character back instead of a space from attribute normalisation);
//   - every other byte below 0x20 becomes '?': XML 1.0 cannot carry those
//     characters at all, not even as references, and stock's "&#NN;" for
//     them makes expat and encoding/xml reject the whole document;
//   - bytes from 0x7F up are written as they are: the document declares
//     ISO-8859-1, in which every such byte is a character XML allows.
//     (Stock's xml_escape writes broken two-digit references for them.)
//
// Names keep their bytes in the state; only the XML changes them.

// attrEscapes[c] is the replacement of byte c in an attribute value, ""
// when c is written as is; valEscapes is the same for string VALs.
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

// appendEscaped appends s escaped by table for a double-quoted attribute.
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

// appendAttr appends an attribute value other than a string VAL.
func appendAttr(b []byte, s string) []byte { return appendEscaped(b, s, &attrEscapes) }

// appendVAL appends a VAL: escaped like stock's xml_escape for a string
// value, like any attribute for the output of a numeric format.
func appendVAL(b []byte, val []byte, id xdr.MsgID) []byte {
	if id == xdr.IDString {
		return appendEscaped(b, val, &valEscapes)
	}
	return appendEscaped(b, val, &attrEscapes)
}
