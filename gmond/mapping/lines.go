package mapping

import (
	"strconv"
	"strings"
)

// keyLines maps every key path in a TOML document to the line it is on,
// because BurntSushi/toml keeps key positions private (MetaData has no
// accessor in v1.6). Paths use the same spelling as FieldError.Key:
// "managed_system[1].port", "host[0]", "acl[2]" (array elements, 0-based).
// It is only asked about files toml has already accepted, but it must
// never loop or panic on anything (FuzzParse feeds it garbage too).
func keyLines(src []byte) map[string]int {
	l := &locator{src: src, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	prefix := ""
	for {
		l.skipBlank(true)
		if l.eof() {
			return l.lines
		}
		if l.peek() == '[' {
			prefix = l.header()
		} else {
			l.keyValue(prefix)
		}
		l.skipLine()
	}
}

// lineOf returns the line of path or of its nearest recorded parent
// ("host[2].port" -> "host[2]" -> "host"), or 0.
func lineOf(lines map[string]int, path string) int {
	for path != "" {
		if n, ok := lines[path]; ok {
			return n
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}

// joinKey appends one key part to a path, quoting parts that are not bare
// keys so that "a.b" as one quoted key stays distinct from a.b.
func joinKey(path, part string) string {
	if !isBareKey(part) {
		part = strconv.Quote(part)
	}
	if path == "" {
		return part
	}
	return path + "." + part
}

// indexKey names element i of the array at path.
func indexKey(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isBareKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

type locator struct {
	src    []byte
	pos    int
	line   int
	lines  map[string]int
	arrays map[string]int // [[array]] headers seen so far, by unindexed path
}

func (l *locator) eof() bool  { return l.pos >= len(l.src) }
func (l *locator) peek() byte { return l.src[l.pos] }

func (l *locator) at(s string) bool { return strings.HasPrefix(string(l.src[l.pos:]), s) }

func (l *locator) record(path string) {
	if _, ok := l.lines[path]; !ok {
		l.lines[path] = l.line
	}
}

// skipBlank skips spaces, tabs and comments, and newlines when nl is set.
func (l *locator) skipBlank(nl bool) {
	for !l.eof() {
		switch c := l.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
		case c == '\n' && nl:
			l.pos++
			l.line++
		case c == '#':
			for !l.eof() && l.peek() != '\n' {
				l.pos++
			}
		default:
			return
		}
	}
}

// skipLine moves past the end of the current line; it always advances
// unless at EOF, which is what keeps keyLines from looping.
func (l *locator) skipLine() {
	for !l.eof() && l.peek() != '\n' {
		l.pos++
	}
	if !l.eof() {
		l.pos++
		l.line++
	}
}

// header reads "[a.b]" or "[[a.b]]" and returns the table's path, with
// array-of-tables components indexed by how often their header appeared.
func (l *locator) header() string {
	array := l.at("[[")
	l.pos++
	if array {
		l.pos++
	}
	parts := l.keyParts()
	path := ""
	for i, p := range parts {
		path = joinKey(path, p)
		last := i == len(parts)-1
		if last && array {
			l.arrays[path]++
		}
		if n := l.arrays[path]; n > 0 && (array || !last) {
			l.record(path)
			path = indexKey(path, n-1)
		}
	}
	if path != "" {
		l.record(path)
	}
	return path
}

// keyValue reads "key = value", recording the key and anything nested in
// the value.
func (l *locator) keyValue(prefix string) {
	parts := l.keyParts()
	l.skipBlank(false)
	if len(parts) == 0 || l.eof() || l.peek() != '=' {
		return
	}
	l.pos++
	path := prefix
	for _, p := range parts {
		path = joinKey(path, p)
	}
	l.record(path)
	l.value(path)
}

// keyParts reads a dotted key of bare, "basic" and 'literal' parts.
func (l *locator) keyParts() []string {
	var parts []string
	for {
		l.skipBlank(false)
		if l.eof() {
			return parts
		}
		start := l.pos
		switch l.peek() {
		case '"':
			l.basicString()
			raw := string(l.src[start:l.pos])
			if s, err := strconv.Unquote(raw); err == nil {
				raw = s
			}
			parts = append(parts, raw)
		case '\'':
			l.literalString()
			parts = append(parts, strings.Trim(string(l.src[start:l.pos]), "'"))
		default:
			for !l.eof() && isBareKey(string(l.peek())) {
				l.pos++
			}
			if l.pos == start {
				return parts
			}
			parts = append(parts, string(l.src[start:l.pos]))
		}
		l.skipBlank(false)
		if l.eof() || l.peek() != '.' {
			return parts
		}
		l.pos++
	}
}
