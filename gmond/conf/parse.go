package conf

import (
	"fmt"
	"strings"
)

// nodeKind is the shape of one statement.
type nodeKind uint8

const (
	nOption  nodeKind = iota // key = value, key += value, key = {a, b}
	nSection                 // key [title] { ... }
	nFunc                    // key(arg, ...)
)

// node is one statement of the syntax tree, before any schema is applied.
type node struct {
	kind     nodeKind
	key      string // lower-cased: libconfuse option names are case-insensitive here
	name     string // as written, for messages
	pos      Pos
	appendOp bool     // written with +=
	value    string   // nOption: the single value
	list     []string // nOption written as {a, b}; isList tells an empty list
	isList   bool
	title    string // nSection: "param NAME { }"
	hasTitle bool
	children []*node  // nSection
	args     []string // nFunc
}

// maxNesting bounds section depth; stock files use at most four levels.
const maxNesting = 32

// fileParser turns one file's tokens into nodes. It stops at the first
// syntax error (libconfuse cannot resynchronise either); the statements
// complete before it are still decoded, so their errors are reported too.
type fileParser struct {
	p    *parser
	lx   *lexer
	file string
	tok  token
	bad  bool
}

func (fp *fileParser) advance() { fp.tok = fp.lx.next() }

// syntax records a syntax error at the current token, unless the lexer
// already failed there (its message is the better one).
func (fp *fileParser) syntax(key, format string, args ...any) {
	if fp.bad {
		return
	}
	fp.bad = true
	if fp.lx.err != nil {
		fp.p.errs = append(fp.p.errs, fp.lx.err)
		return
	}
	fp.p.errs = append(fp.p.errs, &Error{File: fp.file, Line: fp.tok.line, Key: key, Msg: fmt.Sprintf(format, args...), Err: ErrSyntax})
}

// top parses a whole file at level 0, resolving include statements in place.
func (fp *fileParser) top() []*node {
	var out []*node
	fp.advance()
	for fp.tok.kind != tEOF {
		if fp.tok.kind == tRBrace {
			fp.syntax("", "'}' without a section to close")
			break
		}
		n := fp.statement(0, "")
		if n == nil {
			break
		}
		if n.kind == nFunc && n.key == "include" {
			out = append(out, fp.p.include(n)...)
			continue
		}
		out = append(out, n)
	}
	if fp.lx.err != nil {
		fp.syntax("", "")
	}
	return out
}

// statement parses one "name ..." statement; nil after a syntax error.
func (fp *fileParser) statement(level int, path string) *node {
	if fp.tok.kind != tStr {
		fp.syntax(path, "expected an option or section name, found %s", fp.tok.describe())
		return nil
	}
	n := &node{key: strings.ToLower(fp.tok.text), name: fp.tok.text, pos: Pos{fp.file, fp.tok.line}}
	key := join(path, n.key)
	fp.advance()
	switch fp.tok.kind {
	case tEq, tAppend:
		n.kind, n.appendOp = nOption, fp.tok.kind == tAppend
		fp.advance()
		if !fp.value(n, key) {
			return nil
		}
	case tLParen:
		n.kind = nFunc
		if !fp.arguments(n, key) {
			return nil
		}
	case tStr:
		n.title, n.hasTitle = fp.tok.text, true
		titleTok := fp.tok
		fp.advance()
		if fp.tok.kind != tLBrace {
			// "name word" then no '{': far more often a forgotten '='
			// than a titled section, so point at the title's line.
			fp.tok = titleTok
			fp.syntax(key, "expected '=' after %q, found %s", n.name, titleTok.describe())
			return nil
		}
		fallthrough
	case tLBrace:
		n.kind = nSection
		if !fp.body(n, level+1, key) {
			return nil
		}
	default:
		fp.syntax(key, "expected '=', '{' or '(' after %q, found %s", n.name, fp.tok.describe())
		return nil
	}
	return n
}

// value parses what follows '=': one string or a {a, b} list.
func (fp *fileParser) value(n *node, key string) bool {
	switch fp.tok.kind {
	case tStr:
		n.value = fp.tok.text
		fp.advance()
		return true
	case tLBrace:
		n.isList = true
		fp.advance()
		return fp.items(&n.list, tRBrace, key)
	}
	fp.syntax(key, "expected a value after '=', found %s", fp.tok.describe())
	return false
}

// arguments parses "( [a {, b}] )" of a function call.
func (fp *fileParser) arguments(n *node, key string) bool {
	fp.advance()
	return fp.items(&n.args, tRParen, key)
}

// items parses a possibly empty comma-separated string list up to and
// including the closing token.
func (fp *fileParser) items(dst *[]string, closer tokKind, key string) bool {
	if fp.tok.kind == closer {
		fp.advance()
		return true
	}
	for {
		if fp.tok.kind != tStr {
			fp.syntax(key, "expected a value, found %s", fp.tok.describe())
			return false
		}
		*dst = append(*dst, fp.tok.text)
		fp.advance()
		switch fp.tok.kind {
		case closer:
			fp.advance()
			return true
		case tComma:
			fp.advance()
		default:
			fp.syntax(key, "expected ',' or %s, found %s", closer, fp.tok.describe())
			return false
		}
	}
}

// body parses "{ statements }" (the '{' is the current token).
func (fp *fileParser) body(n *node, level int, key string) bool {
	if level > maxNesting {
		fp.syntax(key, "sections nested more than %d deep", maxNesting)
		return false
	}
	fp.advance()
	for fp.tok.kind != tRBrace {
		if fp.tok.kind == tEOF {
			fp.syntax(key, "section opened at line %d is not closed", n.pos.Line)
			return false
		}
		c := fp.statement(level, key)
		if c == nil {
			return false
		}
		n.children = append(n.children, c)
	}
	fp.advance()
	return true
}

// join builds a dotted key path for messages.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
