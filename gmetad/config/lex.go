package config

import (
	"bytes"
	"strings"
)

// The dotconf syntax, as lib/dotconf.c of Ganglia 3.7.2 reads it with the
// flags gmetad uses (CASE_INSENSITIVE; inline comments and ${VAR}
// substitution on):
//
//   - A line ending in a backslash continues on the next line (the
//     backslash and the newline are removed, nothing is inserted).
//   - Leading whitespace is skipped; an empty line or one whose first
//     character is '#' is a comment.
//   - The directive name runs up to the first whitespace.
//   - Arguments are separated by whitespace. Double or single quotes group,
//     and can start or stop inside an argument (a"b c"d is "ab cd"); a
//     backslash takes the next character literally, inside quotes too.
//   - An unquoted '#' at the start of an argument ends the line: trailing
//     comments work after whitespace.
//   - After quotes and escapes, ${NAME} is replaced by the environment
//     variable and ${NAME:-default} by the default when NAME is unset.
//
// Where dotconf silently does something the author cannot have meant, the
// lexer reports an error instead: a '#' glued to an argument (dotconf drops
// the argument), an empty "" (dotconf ends the argument list there and
// glues the rest of the line into one argument), a quote left open (dotconf
// keeps the newline in the value), a NUL byte (C cuts the line there) and a
// continuation at end of file (dotconf prints a message and drops the line).

// logicalLine is one directive line after continuations are joined.
type logicalLine struct {
	num  int      // number of its first physical line
	name string   // directive as written
	rest string   // text after the name, for the here-document check
	args []string // after quotes, escapes and ${VAR}
	err  *argError
}

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func syntaxErr(msg string) *argError { return &argError{kind: ErrSyntax, msg: msg} }

// lex splits data into directive lines. Comment and blank lines are left
// out; a line that cannot be split carries err.
func lex(data []byte, lookup func(string) (string, bool)) []logicalLine {
	var out []logicalLine
	var buf strings.Builder
	num, start, joining := 0, 0, false
	for len(data) > 0 {
		text, nl := data, false
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			text, data, nl = data[:i], data[i+1:], true
		} else {
			data = nil
		}
		num++
		if !joining {
			start = num
			buf.Reset()
		}
		cont, kept := continuation(string(text), nl)
		buf.WriteString(kept)
		if joining = cont; joining {
			continue
		}
		if ln, ok := lexLine(start, buf.String(), lookup); ok {
			out = append(out, ln)
		}
	}
	if joining {
		out = append(out, logicalLine{num: start, err: syntaxErr(
			`the last line ends in "\" (a continuation) but the file ends there`)})
	}
	return out
}

// continuation reports whether a physical line continues on the next one
// and returns the part of it that is kept, as dotconf_continue_line does:
// the line must end in a newline, a trailing "\" continues it unless the
// character before is also "\"; in that case the last "\" is dropped.
func continuation(text string, nl bool) (bool, string) {
	t := strings.TrimSuffix(text, "\r")
	if !nl || !strings.HasSuffix(t, `\`) {
		return false, text
	}
	if strings.HasSuffix(t, `\\`) {
		return false, t[:len(t)-1]
	}
	return true, t[:len(t)-1]
}

// lexLine splits one logical line; ok is false for comments and blanks.
func lexLine(num int, s string, lookup func(string) (string, bool)) (logicalLine, bool) {
	i := skipSpace(s, 0)
	if i == len(s) || s[i] == '#' {
		return logicalLine{}, false
	}
	ln := logicalLine{num: num}
	if strings.IndexByte(s, 0) >= 0 {
		ln.err = syntaxErr("NUL byte in line (stock gmetad ignores the line from there on)")
		return ln, true
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	ln.name, ln.rest = s[i:j], s[j:]
	ln.args, ln.err = lexArgs(ln.rest, lookup)
	return ln, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// lexArgs splits the arguments of a line (the text after the name).
func lexArgs(s string, lookup func(string) (string, bool)) ([]string, *argError) {
	var args []string
	for i := skipSpace(s, 0); i < len(s) && s[i] != '#'; i = skipSpace(s, i) {
		arg, n, err := lexArg(s[i:])
		if err != nil {
			return nil, err
		}
		i += n
		if arg, err = substituteEnv(arg, lookup); err != nil {
			return nil, err
		}
		args = append(args, arg)
	}
	return args, nil
}

// lexArg reads one argument at the start of s (dotconf_read_arg) and
// returns it with the number of bytes consumed.
func lexArg(s string) (string, int, *argError) {
	var b strings.Builder
	sq, dq := false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '\'' && !dq:
			sq = !sq
		case c == '"' && !sq:
			dq = !dq
		case sq || dq:
			b.WriteByte(c)
		case isSpace(c):
			return checkArg(b.String(), i)
		case c == '#':
			return "", 0, syntaxErr(`"#" right after an argument: stock gmetad drops that argument; ` +
				`put a space before a comment, or quote the "#"`)
		default:
			b.WriteByte(c)
		}
	}
	if sq || dq {
		return "", 0, syntaxErr("quote not closed at the end of the line")
	}
	return checkArg(b.String(), i)
}

func checkArg(arg string, n int) (string, int, *argError) {
	if arg == "" {
		return "", 0, syntaxErr(`empty argument "" (stock gmetad stops reading arguments there)`)
	}
	return arg, n, nil
}

// substituteEnv replaces ${NAME} and ${NAME:-default} as
// dotconf_substitute_env does: NAME runs to the first '}' or ':', a ':' not
// followed by '-' is skipped with the rest up to '}', a variable that is
// set but empty gives "" (not the default), and the character right after a
// substitution is copied as it is. lookup nil = nothing is set.
func substituteEnv(s string, lookup func(string) (string, bool)) (string, *argError) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		b.WriteString(s[:i])
		s = s[i+2:]
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", syntaxErr(`"${" without a closing "}"`)
		}
		name, def := s[:end], ""
		if c := strings.IndexByte(name, ':'); c >= 0 {
			name, def = name[:c], name[c+1:]
			if d, ok := strings.CutPrefix(def, "-"); ok {
				def = d
			} else {
				def = ""
			}
		}
		if v, ok := lookupEnv(lookup, name); ok {
			def = v
		}
		b.WriteString(def)
		s = s[end+1:]
		if s != "" {
			// dotconf copies the character after '}' without looking
			// at it, so in "${A}${B}" the second one stays as written.
			b.WriteByte(s[0])
			s = s[1:]
		}
	}
}

func lookupEnv(lookup func(string) (string, bool), name string) (string, bool) {
	if lookup == nil {
		return "", false
	}
	return lookup(name)
}
