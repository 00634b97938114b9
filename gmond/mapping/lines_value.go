package mapping

// value skips one TOML value, recording array elements and inline-table
// keys under path, and counting the newlines inside multi-line strings and
// arrays so later keys get the right line.
func (l *locator) value(path string) {
	l.skipBlank(false)
	if l.eof() {
		return
	}
	switch {
	case l.at(`"""`):
		l.multiString(`"""`)
	case l.at(`'''`):
		l.multiString(`'''`)
	case l.peek() == '"':
		l.basicString()
	case l.peek() == '\'':
		l.literalString()
	case l.peek() == '[':
		l.array(path)
	case l.peek() == '{':
		l.inlineTable(path)
	default:
		for !l.eof() && !isValueEnd(l.peek()) {
			l.pos++
		}
	}
}

func isValueEnd(c byte) bool {
	return c == ',' || c == ']' || c == '}' || c == '\n' || c == '#'
}

// basicString skips "...", honouring backslash escapes; it stops at a
// newline (an unterminated string, which toml has already refused).
func (l *locator) basicString() {
	l.pos++
	for !l.eof() && l.peek() != '\n' {
		c := l.peek()
		l.pos++
		if c == '\\' && !l.eof() && l.peek() != '\n' {
			l.pos++
		} else if c == '"' {
			return
		}
	}
}

// literalString skips '...' (no escapes).
func (l *locator) literalString() {
	l.pos++
	for !l.eof() && l.peek() != '\n' {
		c := l.peek()
		l.pos++
		if c == '\'' {
			return
		}
	}
}

// multiString skips a multi-line string (delimited by three double or three
// single quotes), counting its newlines. TOML allows up to two extra quotes
// right before the closing delimiter.
func (l *locator) multiString(delim string) {
	l.pos += len(delim)
	for !l.eof() {
		switch {
		case l.at(delim):
			l.pos += len(delim)
			for i := 0; i < 2 && !l.eof() && l.peek() == delim[0]; i++ {
				l.pos++
			}
			return
		case l.peek() == '\\' && delim[0] == '"' && l.pos+1 < len(l.src):
			l.pos++
			if l.peek() == '\n' {
				l.line++
			}
			l.pos++
		case l.peek() == '\n':
			l.line++
			l.pos++
		default:
			l.pos++
		}
	}
}

// array skips [v, v, ...], recording each element as path[i].
func (l *locator) array(path string) {
	l.pos++
	for i := 0; ; {
		l.skipBlank(true)
		if l.eof() {
			return
		}
		switch l.peek() {
		case ']':
			l.pos++
			return
		case ',':
			l.pos++
			i++
			continue
		}
		elem := indexKey(path, i)
		l.record(elem)
		start := l.pos
		l.value(elem)
		if l.pos == start {
			l.pos++ // garbage: never stall
		}
	}
}

// inlineTable skips {k = v, ...}, recording each key under path. Newlines
// are tolerated (TOML 1.1 allows them; toml refuses them otherwise).
func (l *locator) inlineTable(path string) {
	l.pos++
	for {
		l.skipBlank(true)
		if l.eof() {
			return
		}
		switch l.peek() {
		case '}':
			l.pos++
			return
		case ',':
			l.pos++
			continue
		}
		start := l.pos
		l.keyValue(path)
		if l.pos == start {
			l.pos++
		}
	}
}
