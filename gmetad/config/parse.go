package config

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
)

// stockMaxArgs is how many arguments dotconf reads from one line
// (CFG_VALUES - 1); it glues the rest of the line, unparsed, into one more.
const stockMaxArgs = 15

// Parser reads gmetad.conf text. The zero value is pure: no environment
// variable is set and the process is taken as not root.
type Parser struct {
	// LookupEnv resolves ${NAME} in arguments, as dotconf does; nil means
	// every variable is unset.
	LookupEnv func(name string) (string, bool)
	// Root tells whether the server runs as root, which setuid needs.
	Root bool
}

// SystemParser returns a Parser for this process: its environment and
// its effective user.
func SystemParser() Parser {
	return Parser{LookupEnv: os.LookupEnv, Root: os.Geteuid() == 0}
}

// Parse reads a gmetad.conf on top of base with SystemParser.
func Parse(name string, data []byte, base Config) (Config, []Warning, error) {
	return SystemParser().Parse(name, data, base)
}

// Load reads the gmetad.conf at path on top of Default().
func Load(path string) (Config, []Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, nil, err
	}
	return Parse(path, data, Default())
}

// Parse reads data, a gmetad.conf named name in messages, on top of base:
// scalar directives replace base's value (the last line wins, as in stock
// gmetad), RRAs replaces the list, and data_source, trusted_hosts,
// unsummarized_metrics and summarized_metrics add to it. It reports every
// error found, joined, each an *Error; on error the Config is the zero value.
func (p Parser) Parse(name string, data []byte, base Config) (Config, []Warning, error) {
	st := &state{file: name, cfg: base.clone(), sources: map[string]int{}}
	for _, ds := range st.cfg.DataSources {
		st.sources[ds.Name] = ds.Line
	}
	for _, ln := range lex(data, p.LookupEnv) {
		st.apply(ln)
	}
	st.checkSetuid(p.Root)
	st.deriveCheckReport()
	slices.SortStableFunc(st.warnings, func(a, b Warning) int { return a.Line - b.Line })
	if len(st.errs) > 0 {
		return Config{}, st.warnings, errors.Join(st.errs...)
	}
	return st.cfg, st.warnings, nil
}

// state is one Parse in progress.
type state struct {
	file       string
	cfg        Config
	line       int            // line being applied
	sources    map[string]int // data_source name -> line
	setuidLine int            // last setuid or setuid_username line
	errs       []error
	warnings   []Warning
	// checkReportSet: a check_report line was read (see deriveCheckReport).
	checkReportSet bool
}

func (st *state) apply(ln logicalLine) {
	st.line = ln.num
	if ln.err != nil {
		st.fail(ln.name, ln.err)
		return
	}
	if n := asciiLower(ln.name); n == "include" || n == "includepath" {
		st.fail(ln.name, &argError{kind: ErrUnsupported,
			msg: "dotconf's Include is not supported: keep the configuration in one file"})
		return
	}
	d := lookupDirective(ln.name)
	if d == nil {
		st.unknown(ln.name)
		return
	}
	if err := d.check(ln); err != nil {
		st.fail(ln.name, err)
		return
	}
	if err := d.set(st, ln.args); err != nil {
		st.fail(ln.name, err)
		return
	}
	if d.warn != "" {
		st.warn(ln.name, d.warn)
	}
	if !d.ext && len(ln.args) > stockMaxArgs {
		st.warn(ln.name, strconv.Itoa(len(ln.args))+" arguments on one line: stock gmetad reads only "+
			strconv.Itoa(stockMaxArgs)+" and glues the rest into one")
	}
}

// check applies the argument count and the here-document rule.
func (d *directive) check(ln logicalLine) error {
	if d.str && strings.HasPrefix(strings.TrimLeft(ln.rest, " \t\v\f\r"), "<<") {
		return &argError{kind: ErrUnsupported, msg: "here-documents (<<) are not supported"}
	}
	n := len(ln.args)
	switch {
	case n < d.min:
		return &argError{kind: ErrArgCount, msg: "missing argument"}
	case d.max >= 0 && n > d.max:
		return &argError{kind: ErrArgCount, msg: "takes " + strconv.Itoa(d.max) + " argument, got " +
			strconv.Itoa(n) + " (quote a value that contains spaces)"}
	}
	for _, a := range ln.args {
		if a == "" {
			return valueErr("empty value (from an unset ${VAR})")
		}
	}
	return nil
}

func (st *state) fail(directive string, err error) {
	e := &Error{File: st.file, Line: st.line, Directive: directive, Kind: ErrValue, Msg: err.Error()}
	var ae *argError
	if errors.As(err, &ae) {
		e.Kind = ae.kind
	}
	st.errs = append(st.errs, e)
}

func (st *state) warn(directive, msg string) {
	st.warnings = append(st.warnings, Warning{File: st.file, Line: st.line, Directive: directive, Msg: msg})
}

// unknown reports a directive no table knows. Stock gmetad exits on it
// ("gmetad config file error: Unknown Config-Option: 'x'"), so it is an
// error here too, with a suggestion for a near miss.
func (st *state) unknown(name string) {
	msg := "unknown directive (stock gmetad refuses it too)"
	if s := suggest(name); s != "" {
		msg += "; did you mean " + s + "?"
	}
	st.fail(name, &argError{kind: ErrUnknownDirective, msg: msg})
}

// checkSetuid warns once when setuid is on but the process cannot change
// user: stock gmetad exits ("Must be root to setuid"), ganglia-lpm keeps
// running as the current user so that a plain user can try it.
func (st *state) checkSetuid(root bool) {
	if root || !st.cfg.Setuid {
		return
	}
	st.line = st.setuidLine
	st.warn("setuid", "not running as root: gmetad keeps its current user instead of becoming "+
		strconv.Quote(st.cfg.SetuidUsername)+" (stock gmetad would exit); write \"setuid off\" to silence this")
}
