package rrdstore

import (
	"math"
	"regexp"
	"strings"
)

// DS is a data source definition: DS:Name:Type:Heartbeat:Min:Max. Min and
// Max are NaN for "U" (no limit).
type DS struct {
	Name, Type string
	Heartbeat  uint64
	Min, Max   float64
}

// RRA is an archive definition: RRA:CF:XFF:Steps:Rows.
type RRA struct {
	CF    string
	XFF   float64
	Steps uint64
	Rows  uint64
}

// Spec is everything Create needs. Step 0 means librrd's default of 300 s;
// Start 0 means now − 10 s, like rrdtool create without --start.
type Spec struct {
	Step  uint64
	Start int64
	DS    []DS
	RRA   []RRA
}

// defaultStep is rrdtool create's step without --step.
const defaultStep = 300

// minStart is rrdtool create's lower limit for --start ("the first entry to
// the RRD should be after 1980").
const minStart = 3600 * 24 * 365 * 10

// dsRE is the DS syntax rrd_create 1.7 accepts (the "=mapped[index]" part
// only matters with --source, which is not supported, and is ignored).
var dsRE = regexp.MustCompile(`^([-a-zA-Z0-9_]{1,19})(?:=([-a-zA-Z0-9_]{1,19})(?:\[([0-9]+)\])?)?:([A-Z]{1,19}):(.+)$`)

// ParseDefs reads DS: and RRA: definitions as rrdtool create does, with
// durations ("2m", "1d") scaled by step (0 = 300), and librrd's messages
// for what it refuses. Duplicate DS names are refused here too.
func ParseDefs(defs []string, step uint64) ([]DS, []RRA, error) {
	if step == 0 {
		step = defaultStep
	}
	var dss []DS
	var rras []RRA
	for _, d := range defs {
		switch {
		case strings.HasPrefix(d, "DS:"):
			ds, err := parseDS(d[3:])
			if err != nil {
				return nil, nil, err
			}
			for _, o := range dss {
				if o.Name == ds.Name {
					return nil, nil, defErr("Duplicate DS name: %s", ds.Name)
				}
			}
			dss = append(dss, ds)
		case strings.HasPrefix(d, "RRA:"):
			rra, err := parseRRA(d[4:], step)
			if err != nil {
				return nil, nil, err
			}
			rras = append(rras, rra)
		default:
			return nil, nil, defErr("can't parse argument '%s'", d)
		}
	}
	return dss, rras, nil
}

func defErr(format string, args ...any) error { return newErr("", ErrBadDef, format, args...) }

// parseDS is librrd's parseDS + parseGENERIC_DS for one "name:TYPE:args".
func parseDS(def string) (DS, error) {
	m := dsRE.FindStringSubmatch(def)
	if m == nil {
		return DS{}, defErr("invalid DS format")
	}
	ds := DS{Name: m[1], Type: m[4]}
	switch dsKindOf(ds.Type) {
	case dsGauge, dsCounter, dsDerive, dsAbsolute:
	case dsCompute, dsDCounter, dsDDerive:
		return DS{}, newErr("", ErrUnsupported, "data source type %s is not supported", ds.Type)
	default:
		return DS{}, defErr("invalid DS type specified (%s)", ds.Type)
	}
	args := m[5]
	fail := func(why string) (DS, error) {
		return DS{}, defErr("failed to parse data source %s: %s", args, why)
	}
	colon := strings.IndexByte(args, ':')
	switch {
	case colon < 0:
		return fail("missing separator")
	case colon >= 32:
		return fail("heartbeat too long")
	}
	hb, why := scaledDuration(args[:colon], 1)
	if why != "" {
		return fail(why)
	}
	ds.Heartbeat = hb
	if err := ds.setLimits(args, colon+1); err != nil {
		return DS{}, err
	}
	return ds, nil
}

// setLimits reads "min:max" from args[from:] (parseGENERIC_DS).
func (ds *DS) setLimits(args string, from int) error {
	minS, maxS, ok := scanMinMax(args[from:])
	if !ok {
		return defErr("failed to parse data source %s: failed to extract min:max", args)
	}
	var err error
	if ds.Min, err = limit(minS, "parsing min val"); err != nil {
		return err
	}
	if ds.Max, err = limit(maxS, "parsing max val"); err != nil {
		return err
	}
	if ds.Min >= ds.Max {
		return defErr("failed to parse data source %s: min must be less than max in DS definition", args)
	}
	return nil
}

// scanMinMax is sscanf(s, "%18[^:]:%18[^:]"): two non-empty fields of at
// most 18 bytes; anything after the second field is ignored.
func scanMinMax(s string) (string, string, bool) {
	field := func(s string) (string, string) {
		n := 0
		for n < len(s) && n < 18 && s[n] != ':' {
			n++
		}
		return s[:n], s[n:]
	}
	minS, rest := field(s)
	if minS == "" || rest == "" || rest[0] != ':' {
		return "", "", false
	}
	maxS, _ := field(rest[1:])
	return minS, maxS, maxS != ""
}

// limit reads a DS min or max: exactly "U" is no limit.
func limit(s, context string) (float64, error) {
	if s == "U" {
		return dnan, nil
	}
	v, err := readDouble(s, context)
	if err != nil {
		return 0, newErr("", ErrBadDef, "%s", err.(*Error).Msg)
	}
	return v, nil
}

// parseRRA is librrd's parseRRA for AVERAGE/MIN/MAX/LAST: "CF:xff:steps:rows".
// Like strtok, empty fields between colons are skipped; fields are checked
// in order, so the first bad one is the one reported.
func parseRRA(def string, step uint64) (RRA, error) {
	toks := strings.FieldsFunc(def, func(r rune) bool { return r == ':' })
	rra := RRA{Steps: 1}
	for k, tok := range toks {
		if err := rra.setField(k, tok, step); err != nil {
			return RRA{}, err
		}
	}
	if len(toks) < 4 {
		return RRA{}, defErr("Expected at least 4 arguments for RRA but got %d", len(toks))
	}
	return rra, nil
}

// setField reads field k of an RRA definition into rra.
func (rra *RRA) setField(k int, tok string, step uint64) error {
	var why string
	switch k {
	case 0:
		// sscanf("%19[A-Z]"): the leading capitals are the name.
		n := 0
		for n < len(tok) && n < 19 && 'A' <= tok[n] && tok[n] <= 'Z' {
			n++
		}
		rra.CF = tok[:n]
		switch cfKindOf(rra.CF) {
		case cfAverage, cfMin, cfMax, cfLast:
		case cfHoltWinters:
			return newErr("", ErrUnsupported, "consolidation function %s is not supported", rra.CF)
		default:
			return defErr("Unrecognized consolidation function %s", rra.CF)
		}
	case 1:
		xff, ok := parseNumber(tok)
		if !ok || xff < 0 || xff >= 1 {
			return defErr("Invalid xff: must be between 0 and 1")
		}
		rra.XFF = xff
	case 2:
		if rra.Steps, why = scaledDuration(tok, step); why != "" {
			return defErr("Invalid step %s: %s", tok, why)
		}
	case 3:
		if rra.Rows, why = scaledDuration(tok, step*rra.Steps); why != "" {
			return defErr("Invalid row count %s: %s", tok, why)
		}
	default:
		return defErr("Unexpected extra argument for consolidation function %s", rra.CF)
	}
	return nil
}

// scaledDuration is librrd's rrd_scaled_duration: a plain count, or a
// number with a unit (s m h d w M y) converted to seconds and divided by
// divisor, which must divide it. The second result is librrd's complaint.
func scaledDuration(tok string, divisor uint64) (uint64, string) {
	if tok == "" || !isDigit(tok[0]) {
		return 0, "value must be (suffixed) positive number"
	}
	value, i := uint64(0), 0
	for ; i < len(tok) && isDigit(tok[i]); i++ {
		d := uint64(tok[i] - '0')
		if value > (math.MaxUint64-d)/10 {
			value = math.MaxUint64 // strtoul saturates
			continue
		}
		value = value*10 + d
	}
	if i == len(tok) {
		divisor = 1 // a bare count is not scaled
	} else {
		unit, ok := durationUnits[tok[i]] // only the first byte after the number counts
		if !ok {
			return 0, "value has trailing garbage"
		}
		value *= unit
	}
	if value == 0 {
		return 0, "value must be positive"
	}
	if value%divisor != 0 {
		return 0, "value would truncate when scaled"
	}
	return value / divisor, ""
}

var durationUnits = map[byte]uint64{
	's': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400, 'M': 31 * 86400, 'y': 366 * 86400,
}

// GmetadRRAs is gmetad 3.7's default archive list (gmetad.conf without
// RRAs): a day of steps, two weeks of 4 steps, a year of 40 steps.
func GmetadRRAs() []RRA {
	return []RRA{
		{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 5856},
		{CF: "AVERAGE", XFF: 0.5, Steps: 4, Rows: 20160},
		{CF: "AVERAGE", XFF: 0.5, Steps: 40, Rows: 52704},
	}
}

// GmetadSpec is what gmetad's rrd_helpers.c creates (PROTOCOL.md §4.6): a
// host file has DS sum, a summary file sum and num, each with heartbeat
// 8×step and no limits; sum's type follows the metric's slope (positive →
// COUNTER, derivative → DERIVE, else GAUGE) and num is always GAUGE, the
// upstream master choice (PROTOCOL.md §7 Q10). rras nil means GmetadRRAs;
// step 0 means gmetad's default poll interval, 15 s.
func GmetadSpec(step uint64, start int64, slope string, summary bool, rras []RRA) Spec {
	if step == 0 {
		step = 15 // gmetad's default poll interval
	}
	typ := "GAUGE"
	switch slope {
	case "positive":
		typ = "COUNTER"
	case "derivative":
		typ = "DERIVE"
	}
	if rras == nil {
		rras = GmetadRRAs()
	}
	spec := Spec{Step: step, Start: start, RRA: rras,
		DS: []DS{{Name: "sum", Type: typ, Heartbeat: 8 * step, Min: dnan, Max: dnan}}}
	if summary {
		spec.DS = append(spec.DS, DS{Name: "num", Type: "GAUGE", Heartbeat: 8 * step, Min: dnan, Max: dnan})
	}
	return spec
}
