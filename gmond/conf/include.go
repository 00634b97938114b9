package conf

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileSystem is what includes need; tests swap in a map.
type fileSystem interface {
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

type osFS struct{}

func (osFS) ReadFile(name string) ([]byte, error)  { return os.ReadFile(name) }
func (osFS) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// options are the parser's outside inputs, fixed in production.
type options struct {
	goos      string
	fs        fileSystem
	lookupEnv func(string) (string, bool)
}

// maxIncludeDepth is libconfuse's MAX_INCLUDE_DEPTH.
const maxIncludeDepth = 10

// parser holds what one Parse call accumulates across files.
type parser struct {
	opts  options
	errs  Errors
	warns []string
	files []string
	seen  map[string]bool
	stack []string // cleaned absolute paths of the files being parsed
}

func newParser(o options) *parser { return &parser{opts: o, seen: map[string]bool{}} }

func (p *parser) errorf(pos Pos, key string, kind error, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: pos.File, Line: pos.Line, Key: key, Msg: fmt.Sprintf(format, args...), Err: kind})
}

// parseData parses one file's bytes into top-level nodes.
func (p *parser) parseData(name string, data []byte) []*node {
	if !p.seen[name] {
		p.seen[name] = true
		p.files = append(p.files, name)
	}
	p.stack = append(p.stack, absPath(name))
	defer func() { p.stack = p.stack[:len(p.stack)-1] }()
	fp := &fileParser{p: p, file: name}
	fp.lx = newLexer(name, data, p.opts.lookupEnv, func(line int, msg string) {
		p.warns = append(p.warns, warning(Pos{name, line}, "", msg))
	})
	return fp.top()
}

// include resolves include('pattern') the way gmond's Ganglia_cfg_include
// does, except that a relative pattern is taken from the including file's
// directory (stock uses the working directory, which for a daemon is
// rarely what the author meant). A pattern with no match includes nothing;
// a plain path that does not exist is an error; names starting with '.'
// match only a pattern that starts with '.' (fnmatch FNM_PERIOD).
func (p *parser) include(n *node) []*node {
	if len(n.args) != 1 || n.args[0] == "" {
		p.errorf(n.pos, "include", ErrInclude, "include takes one file name or pattern, got %d", len(n.args))
		return nil
	}
	pat := n.args[0]
	if !filepath.IsAbs(pat) {
		pat = filepath.Join(filepath.Dir(n.pos.File), pat)
	}
	files := []string{pat}
	if hasWildcard(pat) {
		m, err := p.opts.fs.Glob(pat)
		if err != nil {
			p.errorf(n.pos, "include", ErrInclude, "pattern %q: %v", n.args[0], err)
			return nil
		}
		files = files[:0]
		dotPattern := strings.HasPrefix(filepath.Base(pat), ".")
		for _, f := range m {
			if dotPattern || !strings.HasPrefix(filepath.Base(f), ".") {
				files = append(files, f)
			}
		}
	}
	var out []*node
	for _, f := range files {
		out = append(out, p.includeFile(f, n.pos)...)
	}
	return out
}

func (p *parser) includeFile(name string, from Pos) []*node {
	abs := absPath(name)
	for i, s := range p.stack {
		if s == abs {
			chain := append(append([]string(nil), p.stack[i:]...), abs)
			p.errorf(from, "include", ErrInclude, "include cycle: %s", strings.Join(chain, " -> "))
			return nil
		}
	}
	if len(p.stack) >= maxIncludeDepth {
		p.errorf(from, "include", ErrInclude, "includes nested more than %d deep at %s", maxIncludeDepth, name)
		return nil
	}
	data, err := p.opts.fs.ReadFile(name)
	if err != nil {
		p.errorf(from, "include", ErrInclude, "%v", err)
		return nil
	}
	return p.parseData(name, data)
}

// absPath names a file for cycle detection; a failure to get the working
// directory leaves the cleaned name, which still catches direct cycles.
func absPath(name string) string {
	if a, err := filepath.Abs(name); err == nil {
		return a
	}
	return filepath.Clean(name)
}

// hasWildcard is gmond's has_wildcard: '?' or '*', or a '[' later closed
// by ']'; a backslash protects the next character.
func hasWildcard(s string) bool {
	open := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '?', '*':
			return true
		case '\\':
			i++
		case '[':
			open = true
		case ']':
			if open {
				return true
			}
		}
	}
	return false
}
