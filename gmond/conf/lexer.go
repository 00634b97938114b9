package conf

import (
	"bytes"
	"fmt"
	"strings"
)

// tokKind is a lexical token class of libconfuse's grammar.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tStr            // quoted or bare string; every value is one
	tLBrace         // {
	tRBrace         // }
	tLParen         // (
	tRParen         // )
	tEq             // =
	tAppend         // +=
	tComma          // ,
)

var tokNames = [...]string{"end of file", "string", "'{'", "'}'", "'('", "')'", "'='", "'+='", "','"}

func (k tokKind) String() string { return tokNames[k] }

type token struct {
	kind tokKind
	text string
	line int
}

// describe names a token for a syntax error message.
func (t token) describe() string {
	if t.kind == tStr {
		return fmt.Sprintf("%q", t.text)
	}
	return t.kind.String()
}

// lexer splits gmond.conf text the way libconfuse 3.x's lexer.l does:
// #, // and /* */ comments; double-quoted strings with C escapes and
// ${VAR} / ${VAR:-default} environment substitution; single-quoted strings
// with only \\ and \' escapes; bare words that end at blanks or any of
// # " ' = { } ( ) + , *.
type lexer struct {
	file   string
	src    []byte
	off    int
	line   int
	lookup func(string) (string, bool)
	warn   func(line int, msg string)
	err    *Error // set once; next then returns tEOF
}

func newLexer(file string, src []byte, lookup func(string) (string, bool), warn func(int, string)) *lexer {
	return &lexer{file: file, src: src, line: 1, lookup: lookup, warn: warn}
}

func (l *lexer) fail(line int, format string, args ...any) token {
	if l.err == nil {
		l.err = &Error{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...), Err: ErrSyntax}
	}
	l.off = len(l.src)
	return token{kind: tEOF, line: line}
}

func (l *lexer) peekAt(i int) byte {
	if l.off+i < len(l.src) {
		return l.src[l.off+i]
	}
	return 0
}

// next returns the next token; after an error it returns tEOF and l.err
// says why.
func (l *lexer) next() token {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case c == '\n':
			l.line++
			l.off++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.off++
		case c == '#' || (c == '/' && l.peekAt(1) == '/'):
			l.skipLine()
		case c == '/' && l.peekAt(1) == '*':
			l.skipBlockComment()
		case c == '+' && l.peekAt(1) != '=':
			// libconfuse drops a lone '+' without a word, so "= +7"
			// reads 7; do the same.
			l.off++
		default:
			return l.token(c)
		}
	}
	return token{kind: tEOF, line: l.line}
}

func (l *lexer) token(c byte) token {
	line := l.line
	if k := punct(c); k != tEOF {
		l.off++
		return token{kind: k, line: line}
	}
	switch {
	case c == '+' && l.peekAt(1) == '=':
		l.off += 2
		return token{kind: tAppend, line: line}
	case c == '"':
		l.off++
		return l.doubleQuoted(line)
	case c == '\'':
		l.off++
		return l.singleQuoted(line)
	case c == '$' && l.peekAt(1) == '{':
		if end := bytes.IndexByte(l.src[l.off:], '}'); end >= 0 {
			ref := string(l.src[l.off+2 : l.off+end])
			l.line += strings.Count(ref, "\n")
			l.off += end + 1
			return token{kind: tStr, text: l.expand(ref), line: line}
		}
	case c == '*':
		// libconfuse drops it too, but what follows then means something
		// else (usually an unquoted glob); say so instead.
		return l.fail(line, "unexpected '*' (quote values that contain it)")
	}
	start := l.off
	for l.off < len(l.src) && isBare(l.src[l.off]) {
		l.off++
	}
	return token{kind: tStr, text: string(l.src[start:l.off]), line: line}
}

// punct returns the token kind of a one-character token, tEOF for others.
func punct(c byte) tokKind {
	switch c {
	case '{':
		return tLBrace
	case '}':
		return tRBrace
	case '(':
		return tLParen
	case ')':
		return tRParen
	case '=':
		return tEq
	case ',':
		return tComma
	}
	return tEOF
}

// isBare reports whether c may be part of an unquoted word. A '/' inside a
// word is kept ("path = /usr/lib/x.so"); only at the start of a token does
// "//" or "/*" open a comment, as in libconfuse.
func isBare(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '#', '"', '\'', '=', '{', '}', '(', ')', '+', ',', '*':
		return false
	}
	return true
}

func (l *lexer) skipLine() {
	for l.off < len(l.src) && l.src[l.off] != '\n' {
		l.off++
	}
}

func (l *lexer) skipBlockComment() {
	line := l.line
	l.off += 2
	for l.off < len(l.src) {
		if l.src[l.off] == '*' && l.peekAt(1) == '/' {
			l.off += 2
			return
		}
		if l.src[l.off] == '\n' {
			l.line++
		}
		l.off++
	}
	// libconfuse ends such a comment at end of file without a word; it
	// usually means the rest of the file was commented out by mistake.
	l.warn(line, "comment opened with /* is never closed; the rest of the file is ignored")
}

// expand resolves the inside of ${...}: NAME or NAME:-default. An unset
// variable without a default expands to nothing.
func (l *lexer) expand(ref string) string {
	name, def, hasDef := ref, "", false
	if i := strings.IndexByte(ref, ':'); i >= 0 && i+1 < len(ref) && ref[i+1] == '-' {
		name, def, hasDef = ref[:i], ref[i+2:], true
	}
	if v, ok := l.lookup(name); ok {
		return v
	}
	if hasDef {
		return def
	}
	return ""
}
