package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Time specifications for --start and --end, as rrdfetch(1) documents them,
// for the subset that scripts around gmetad use:
//
//	SPEC   = [REF] {OFFSET}
//	REF    = seconds since 1970 | now | n | start | s | end | e | epoch
//	OFFSET = ("+" | "-") COUNT [UNIT] {COUNT [UNIT]}
//
// REF may be left out before an offset (now); start and end must be
// followed by one; an empty specification is an error, as in rrdtool. Units
// are s, sec(ond)(s), min(ute)(s), h, hr, hour(s), d, day(s), w, wk,
// week(s), mon(th)(s), y, yr, year(s); a bare count is seconds. "m" is
// months after a day, week, month or year unit, or when it follows a count
// below 6 with no unit before it, and minutes otherwise (rrdfetch's rule).
// Days and longer move the calendar in local time, as rrdtool's mktime does.
// Dates, times of day and other at-style words are refused with a clear
// error instead of being guessed. One known difference: rrdtool takes the
// token after a count as its unit even when it is a sign, so it reads
// "-10+5" as -15; here it is -5.

// Kinds of timeSpec.
const (
	timeAbsolute = iota // ref plus offsets
	timeRelStart        // the start time plus offsets
	timeRelEnd          // the end time plus offsets
)

// timeSpec is a parsed specification: ref moved by the calendar deltas and
// then by offset seconds. ref is unused for the relative kinds.
type timeSpec struct {
	kind                int
	ref                 time.Time
	years, months, days int
	offset              int64
}

// abs is the absolute time of an absolute specification.
func (t timeSpec) abs() int64 {
	return t.ref.AddDate(t.years, t.months, t.days).Unix() + t.offset
}

// from resolves a relative specification against base.
func (t timeSpec) from(base int64) int64 {
	t.ref = time.Unix(base, 0).In(time.Local)
	return t.abs()
}

// minEpochSeconds keeps small numbers, which rrdtool reads as dates or times
// of day, out of the "seconds since 1970" reference.
const minEpochSeconds = 10 * 365 * 24 * 3600

func errUnsupportedTime(spec string) error {
	return fmt.Errorf("'%s' is not supported by ganglia-lpm rrd: use seconds since 1970, now, start or end, "+
		"with offsets such as -10s, -1h, -1d", spec)
}

// parseRRDTime parses spec with now as the current time.
func parseRRDTime(spec string, now time.Time) (timeSpec, error) {
	ts := timeSpec{kind: timeAbsolute, ref: time.Unix(now.Unix(), 0).In(time.Local)}
	words := splitTimeWords(spec)
	if len(words) == 0 {
		return ts, fmt.Errorf("unparsable time: %s", spec)
	}
	rest, err := ts.parseRef(spec, words)
	if err != nil {
		return ts, err
	}
	return ts, ts.parseOffsets(spec, rest)
}

// splitTimeWords cuts spec into numbers, words and the signs + and -;
// blanks only separate.
func splitTimeWords(spec string) []string {
	var words []string
	for i := 0; i < len(spec); {
		c := rune(spec[i])
		j := i + 1
		switch {
		case c == ' ' || c == '\t':
			i = j
			continue
		case unicode.IsDigit(c):
			for j < len(spec) && unicode.IsDigit(rune(spec[j])) {
				j++
			}
		case unicode.IsLetter(c):
			for j < len(spec) && unicode.IsLetter(rune(spec[j])) {
				j++
			}
		}
		words = append(words, spec[i:j])
		i = j
	}
	return words
}

// parseRef reads the reference at the start of words and returns the rest.
func (t *timeSpec) parseRef(spec string, words []string) ([]string, error) {
	w := strings.ToLower(words[0])
	switch {
	case w == "+" || w == "-":
		return words, nil
	case w == "now" || w == "n":
		return words[1:], nil
	case w == "start" || w == "s" || w == "end" || w == "e":
		t.kind = timeRelStart
		if w[0] == 'e' {
			t.kind = timeRelEnd
		}
		if len(words) == 1 {
			return nil, fmt.Errorf("'start' or 'end' MUST be followed by +|- offset")
		}
		return words[1:], nil
	case w == "epoch":
		t.ref = time.Unix(0, 0).In(time.Local)
		return words[1:], nil
	case unicode.IsDigit(rune(w[0])):
		v, err := strconv.ParseInt(w, 10, 64)
		if err != nil || v <= minEpochSeconds || v > 1<<40 {
			return nil, errUnsupportedTime(spec)
		}
		t.ref = time.Unix(v, 0).In(time.Local)
		return words[1:], nil
	}
	return nil, errUnsupportedTime(spec)
}

// parseOffsets applies every signed group of counts and units in words.
func (t *timeSpec) parseOffsets(spec string, words []string) error {
	sign := int64(0)
	prevUnit := ""
	for i := 0; i < len(words); i++ {
		w := strings.ToLower(words[i])
		switch {
		case w == "+" || w == "-":
			sign, prevUnit = 1, ""
			if w == "-" {
				sign = -1
			}
			if i+1 == len(words) || !unicode.IsDigit(rune(words[i+1][0])) {
				return fmt.Errorf("There should be number after '%s'", w)
			}
		case sign != 0 && unicode.IsDigit(rune(w[0])):
			n, err := strconv.ParseInt(w, 10, 32)
			if err != nil {
				return fmt.Errorf("offset '%s' in '%s' is too large", w, spec)
			}
			unit := ""
			if i+1 < len(words) && unicode.IsLetter(rune(words[i+1][0])) {
				unit = strings.ToLower(words[i+1])
				i++
			}
			if prevUnit, err = t.add(sign*n, unit, prevUnit); err != nil {
				return fmt.Errorf("%v in '%s'", err, spec)
			}
		default:
			return errUnsupportedTime(spec)
		}
	}
	return nil
}

// add moves t by n of unit and returns the unit it was taken as.
func (t *timeSpec) add(n int64, unit, prev string) (string, error) {
	if unit == "m" {
		unit = "min"
		if prev == "d" || prev == "w" || prev == "mon" || prev == "y" || (prev == "" && n > -6 && n < 6) {
			unit = "mon"
		}
	}
	switch canon := timeUnits[unit]; canon {
	case "y":
		t.years += int(n)
	case "mon":
		t.months += int(n)
	case "w":
		t.days += int(n) * 7
	case "d":
		t.days += int(n)
	case "h":
		t.offset += n * 3600
	case "min":
		t.offset += n * 60
	case "s":
		t.offset += n
	default:
		return "", fmt.Errorf("unknown time unit '%s'", unit)
	}
	return timeUnits[unit], nil
}

// timeUnits maps every accepted unit word to its canonical name.
var timeUnits = map[string]string{"": "s", "s": "s", "sec": "s", "second": "s", "seconds": "s",
	"min": "min", "minute": "min", "minutes": "min", "h": "h", "hr": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d", "w": "w", "wk": "w", "week": "w", "weeks": "w",
	"mon": "mon", "month": "mon", "months": "mon", "y": "y", "yr": "y", "year": "y", "years": "y"}

// procStartEnd resolves a start and an end of which one may be relative to
// the other, with rrdtool's messages for the impossible combinations.
func procStartEnd(start, end timeSpec) (int64, int64, error) {
	switch {
	case start.kind == timeRelEnd && end.kind == timeRelStart:
		return 0, 0, fmt.Errorf("the start and end times cannot be specified relative to each other")
	case start.kind == timeRelStart:
		return 0, 0, fmt.Errorf("the start time cannot be specified relative to itself")
	case end.kind == timeRelEnd:
		return 0, 0, fmt.Errorf("the end time cannot be specified relative to itself")
	}
	var s, e int64
	if start.kind == timeRelEnd {
		s = start.from(end.abs())
	} else {
		s = start.abs()
	}
	if end.kind == timeRelStart {
		e = end.from(s)
	} else {
		e = end.abs()
	}
	return s, e, nil
}
