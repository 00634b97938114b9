package conf

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// decoder applies gmond's option tables to the syntax tree.
type decoder struct {
	p    *parser
	goos string
}

func (d *decoder) warn(pos Pos, key, msg string) {
	d.p.warns = append(d.p.warns, warning(pos, key, msg))
}

// option returns n's single value, or reports why n is not one.
func (d *decoder) option(n *node, key string) (string, bool) {
	switch {
	case n.kind == nSection:
		d.p.errorf(n.pos, key, ErrType, "is an option: write %s = value", n.name)
	case n.kind == nFunc:
		d.p.errorf(n.pos, key, ErrType, "is an option, not a function: write %s = value", n.name)
	case n.isList:
		d.p.errorf(n.pos, key, ErrType, "takes one value, not a {list}")
	case n.appendOp:
		d.p.errorf(n.pos, key, ErrType, "takes one value; += only appends to lists, use =")
	default:
		return n.value, true
	}
	return "", false
}

// section reports whether n is a section of the expected titled-ness.
func (d *decoder) section(n *node, key string, titled bool) bool {
	switch {
	case n.kind != nSection:
		d.p.errorf(n.pos, key, ErrType, "is a section: write %s { ... }", n.name)
	case titled && !n.hasTitle:
		d.p.errorf(n.pos, key, ErrType, "needs a name: %s NAME { ... }", n.name)
	case !titled && n.hasTitle:
		d.p.errorf(n.pos, key, ErrType, "takes no title (found %q before '{')", n.title)
	default:
		return true
	}
	return false
}

// unknown warns about a statement no option table knows; stock gmond
// refuses to start on these, this agent carries on without them.
func (d *decoder) unknown(n *node, key string) {
	switch {
	case n.key == "include" && n.kind == nFunc:
		d.p.errorf(n.pos, key, ErrInclude, "include is allowed only outside sections")
	case n.key == "include":
		d.p.errorf(n.pos, key, ErrSyntax, "include is written include ('file or pattern')")
	case n.kind == nSection:
		d.warn(n.pos, key, "unknown section; ignored")
	case n.kind == nFunc:
		d.warn(n.pos, key, "unknown function; ignored")
	default:
		d.warn(n.pos, key, "unknown option; ignored")
	}
}

func (d *decoder) str(n *node, key string, dst *string) {
	if v, ok := d.option(n, key); ok {
		*dst = v
	}
}

func (d *decoder) boolean(n *node, key string, dst *bool) {
	v, ok := d.option(n, key)
	if !ok {
		return
	}
	switch strings.ToLower(v) {
	case "yes", "true", "on":
		*dst = true
	case "no", "false", "off":
		*dst = false
	default:
		d.p.errorf(n.pos, key, ErrType, "%q is not a boolean (yes/no, true/false, on/off)", v)
	}
}

// integer parses like libconfuse's strtol(value, &end, 0): decimal, 0x hex
// or 0 octal, an optional sign, leading blanks allowed.
func (d *decoder) integer(n *node, key string, lo, hi int64, dst *int) bool {
	v, ok := d.option(n, key)
	if !ok {
		return false
	}
	i, err := parseCInt(v)
	if err != nil {
		d.p.errorf(n.pos, key, ErrType, "%q is not an integer", v)
		return false
	}
	if i < lo || i > hi {
		d.p.errorf(n.pos, key, ErrRange, "%d is out of range (%d to %d)", i, lo, hi)
		return false
	}
	*dst = int(i)
	return true
}

// maxSeconds keeps durations within the C int stock gmond stores them in.
const maxSeconds = math.MaxInt32

// seconds parses a non-negative whole number of seconds.
func (d *decoder) seconds(n *node, key string, dst *time.Duration) bool {
	var s int
	if !d.integer(n, key, 0, maxSeconds, &s) {
		return false
	}
	*dst = time.Duration(s) * time.Second
	return true
}

// float parses like strtod; infinities and NaN are refused.
func (d *decoder) float(n *node, key string, dst *float64) bool {
	v, ok := d.option(n, key)
	if !ok {
		return false
	}
	f, err := parseCFloat(v)
	if err != nil {
		d.p.errorf(n.pos, key, ErrType, "%q is not a number", v)
		return false
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		d.p.errorf(n.pos, key, ErrRange, "%q is not a finite number", v)
		return false
	}
	*dst = f
	return true
}

const cBlanks = " \t\n\r\f\v"

func parseCInt(s string) (int64, error) {
	t := strings.TrimLeft(s, cBlanks)
	if err := goOnlySyntax(t); err != nil {
		return 0, err
	}
	return strconv.ParseInt(t, 0, 64)
}

func parseCFloat(s string) (float64, error) {
	t := strings.TrimLeft(s, cBlanks)
	if err := goOnlySyntax(t); err != nil {
		return 0, err
	}
	// strtod reads "0x1.8" without a binary exponent; Go insists on one.
	u := strings.TrimLeft(t, "+-")
	if len(u) > 1 && u[0] == '0' && (u[1] == 'x' || u[1] == 'X') && !strings.ContainsAny(u, "pP") {
		t += "p0"
	}
	return strconv.ParseFloat(t, 64)
}

// goOnlySyntax refuses number forms Go's parsers take but C's do not:
// digit separators and the 0o / 0b prefixes.
func goOnlySyntax(t string) error {
	u := strings.TrimLeft(t, "+-")
	if strings.ContainsRune(t, '_') || (len(u) > 1 && u[0] == '0' && strings.ContainsRune("oObB", rune(u[1]))) {
		return strconv.ErrSyntax
	}
	return nil
}
