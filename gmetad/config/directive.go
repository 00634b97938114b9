package config

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// directive is one entry of the directive table: how a line is read into
// a Config and how WriteTo prints it back.
type directive struct {
	name     string // canonical spelling; lines match it case-insensitively
	ext      bool   // ganglia-lpm extension: stock gmetad refuses it
	str      bool   // dotconf ARG_STR, where a "<<" here-document would apply
	min, max int    // argument count; max -1 = no limit
	doc      string // comment WriteTo prints above the line
	warn     string // non-empty: accepted but not acted upon
	set      func(st *state, args []string) error
	// get returns the argument text (already quoted) of each line WriteTo
	// prints; none means the directive is unset and is printed commented.
	get   func(c *Config) []string
	unset string // comment printed instead when get returns nothing
}

// directives is the table, in the order WriteTo prints it: stock gmetad's
// option table (gmetad/conf.c.in), then the extensions.
var directives = append(stockDirectives(), extensionDirectives()...)

// byName indexes directives by lower-case name.
var byName = func() map[string]*directive {
	m := make(map[string]*directive, len(directives))
	for i := range directives {
		m[strings.ToLower(directives[i].name)] = &directives[i]
	}
	return m
}()

// lookupDirective matches names as dotconf's CASE_INSENSITIVE does
// (strncasecmp: ASCII letters only).
func lookupDirective(name string) *directive {
	return byName[asciiLower(name)]
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// ---- constructors for the common kinds of directive ----

func intDir(name, doc string, min, max int64, f func(*Config) *int) directive {
	return directive{name: name, doc: doc, min: 1, max: 1,
		set: func(st *state, a []string) error {
			v, err := parseInt(a[0], min, max)
			if err == nil {
				*f(&st.cfg) = v
			}
			return err
		},
		get: func(c *Config) []string { return []string{strconv.Itoa(*f(c))} },
	}
}

func portDir(name, doc string, f func(*Config) *int) directive {
	d := intDir(name, doc, 0, 65535, f)
	d.set = func(st *state, a []string) error {
		v, err := parsePort(a[0])
		if err == nil {
			*f(&st.cfg) = v
		}
		return err
	}
	return d
}

// secondsDir reads a whole number of units (seconds, or milliseconds for
// carbon_timeout) into a Duration.
func secondsDir(name, doc string, unit time.Duration, min int64, f func(*Config) *time.Duration) directive {
	return directive{name: name, doc: doc, min: 1, max: 1,
		set: func(st *state, a []string) error {
			v, err := parseInt(a[0], min, math.MaxInt32)
			if err == nil {
				*f(&st.cfg) = time.Duration(v) * unit
			}
			return err
		},
		get: func(c *Config) []string { return []string{strconv.FormatInt(int64(*f(c)/unit), 10)} },
	}
}

func toggleDir(name, doc string, f func(*Config) *bool) directive {
	return directive{name: name, doc: doc, min: 1, max: 1,
		set: func(st *state, a []string) error {
			v, err := parseToggle(a[0])
			if err == nil {
				*f(&st.cfg) = v
			}
			return err
		},
		get: func(c *Config) []string { return []string{onOff(*f(c))} },
	}
}

// intBoolDir is an ARG_INT directive used as a flag: any non-zero integer
// is true. A word like "on" is refused: sscanf reads it as 0.
func intBoolDir(name, doc string, f func(*Config) *bool) directive {
	return directive{name: name, doc: doc, min: 1, max: 1,
		set: func(st *state, a []string) error {
			v, ok := parseCInt(a[0])
			if !ok {
				return valueErr("%q is not an integer (stock gmetad reads it as 0)", a[0])
			}
			*f(&st.cfg) = v != 0
			return nil
		},
		get: func(c *Config) []string { return []string{zeroOne(*f(c))} },
	}
}

// strDir is an ARG_STR directive; check, if not nil, validates the value.
// An empty value is printed commented, since dotconf cannot read "".
func strDir(name, doc string, f func(*Config) *string, check func(string) error) directive {
	return directive{name: name, doc: doc, str: true, min: 1, max: 1, unset: "(not set)",
		set: func(st *state, a []string) error {
			if check != nil {
				if err := check(a[0]); err != nil {
					return err
				}
			}
			*f(&st.cfg) = a[0]
			return nil
		},
		get: func(c *Config) []string {
			if *f(c) == "" {
				return nil
			}
			return []string{quote(*f(c))}
		},
	}
}

// listDir is an ARG_LIST directive whose lines add to the list; WriteTo
// prints at most stockMaxArgs values a line so stock gmetad reads them all.
func listDir(name, doc string, f func(*Config) *[]string, check func(string) error) directive {
	return directive{name: name, doc: doc, min: 1, max: -1, unset: "(none)",
		set: func(st *state, a []string) error {
			for _, v := range a {
				if check != nil {
					if err := check(v); err != nil {
						return err
					}
				}
			}
			*f(&st.cfg) = append(*f(&st.cfg), a...)
			return nil
		},
		get: func(c *Config) []string { return chunkWords(*f(c), stockMaxArgs) },
	}
}

func oneOf(values ...string) func(string) error {
	return func(s string) error {
		for _, v := range values {
			if s == v {
				return nil
			}
		}
		return valueErr("%q is not one of %s", s, strings.Join(values, ", "))
	}
}

// extension marks d as a ganglia-lpm directive.
func (d directive) extension() directive { d.ext = true; return d }

// notImplemented makes every line of d produce a Warning.
func (d directive) notImplemented(msg string) directive { d.warn = msg; return d }

// suggest returns the directive closest to a misspelt name, or "".
func suggest(name string) string {
	if len(name) > 40 {
		return ""
	}
	name = asciiLower(name)
	best, bestDist := "", 3
	for _, d := range directives {
		if dist := editDistance(name, strings.ToLower(d.name)); dist < bestDist {
			best, bestDist = d.name, dist
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
