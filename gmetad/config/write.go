package config

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// ErrUnwritable is returned by WriteTo for a value gmetad.conf cannot hold:
// one with a newline or NUL, or with "${", which dotconf substitutes even
// when escaped.
var ErrUnwritable = errors.New("value cannot be written in gmetad.conf")

const writeHeader = `# gmetad.conf: the configuration in effect (gmetad -t).
# Syntax of stock gmetad 3.7.2 (dotconf): one directive per line, names are
# case-insensitive, "#" starts a comment, quotes group an argument and a
# backslash escapes the next character. Unset directives are shown commented.
`

const extensionHeader = `
# ---- ganglia-lpm extensions ----------------------------------------------
# Stock gmetad 3.7.2 exits on every directive below ("Unknown Config-Option");
# delete this section before giving the file to a stock gmetad.
`

const notImplementedNote = " [accepted, not implemented by ganglia-lpm: each line gives a warning]"

// WriteTo writes c in gmetad.conf syntax, every directive in a stable
// order with a comment, stock directives first and the ganglia-lpm
// extensions in a section of their own. Parsing the output on top of
// Default() gives c back (DataSource.Line aside).
func (c Config) WriteTo(w io.Writer) (int64, error) {
	if err := c.checkWritable(); err != nil {
		return 0, err
	}
	stock := DefaultFor("localhost")
	var b strings.Builder
	b.WriteString(writeHeader)
	inExt := false
	for i := range directives {
		d := &directives[i]
		if d.ext && !inExt {
			b.WriteString(extensionHeader)
			inExt = true
		}
		b.WriteString("\n# " + d.doc)
		if d.warn != "" {
			b.WriteString(notImplementedNote)
		}
		b.WriteString("\n")
		lines, prefix := d.get(&c), ""
		if len(lines) == 0 {
			b.WriteString("# " + d.name + " " + d.unset + "\n")
		}
		if d.warn != "" && slices.Equal(lines, d.get(&stock)) {
			// At the stock default a line would only produce a warning
			// when the output is read back.
			prefix = "# "
		}
		for _, l := range lines {
			b.WriteString(prefix + d.name + " " + l + "\n")
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// checkWritable walks every string of c (by reflection, so that a field
// added later is covered too).
func (c *Config) checkWritable() error {
	var err error
	walkStrings(reflect.ValueOf(c).Elem(), func(s string) {
		if err == nil && (strings.ContainsAny(s, "\n\x00") || strings.Contains(s, "${")) {
			err = fmt.Errorf("%w: %q", ErrUnwritable, s)
		}
	})
	return err
}

func walkStrings(v reflect.Value, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Slice:
		for i := range v.Len() {
			walkStrings(v.Index(i), f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			walkStrings(v.Field(i), f)
		}
	}
}

// quote writes s as one double-quoted dotconf argument.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

// word writes s bare when dotconf reads it back unchanged, else quoted.
func word(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\v\f\r\"'\\#") || strings.HasPrefix(s, "<<") {
		return quote(s)
	}
	return s
}

// chunkWords joins the values of a list directive, at most n to a line.
func chunkWords(list []string, n int) []string {
	var lines []string
	for len(list) > 0 {
		k := min(n, len(list))
		words := make([]string, k)
		for i, s := range list[:k] {
			words[i] = word(s)
		}
		lines = append(lines, strings.Join(words, " "))
		list = list[k:]
	}
	return lines
}
