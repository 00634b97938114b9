package templates

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"text/template"
)

// GmondConfTemplate is the default text/template from which `ganglia-lpm
// render` writes the gmond.conf of a stock Ganglia 3.7 gmond on an LPAR:
// a unicast sender to the collector and port the mapping file gives the
// managed system it runs on, with stock modules and collection groups. Its
// opening comment lists the data fields and functions a template may use.
//
//go:embed gmond.conf.tmpl
var GmondConfTemplate string

// ParseGmondConf parses text as a gmond.conf template named name, with the
// functions of GmondConfFuncs. Executing it on a field the data lacks is an
// error, so a template with a typo writes nothing.
func ParseGmondConf(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(GmondConfFuncs()).Option("missingkey=error").Parse(text)
}

// GmondConfFuncs returns the functions a gmond.conf template may call
// besides text/template's own: quote and required (see the opening
// comment of GmondConfTemplate).
func GmondConfFuncs() template.FuncMap {
	return template.FuncMap{
		"quote":    confQuote,
		"required": required,
	}
}

// confEscaper escapes what libconfuse unescapes in a double-quoted string.
// "$" is among them because libconfuse (3.x, as in Debian's gmond) expands
// ${VAR} inside quoted strings: `"a${HOME}"` reaches gmond as "a/root",
// while `"a\${HOME}"` stays literal.
var confEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "\n", `\n`, "\t", `\t`)

// confQuote returns s as a double-quoted gmond.conf (libconfuse) string
// that stock gmond reads back as exactly s. Other control characters have
// no escape that every libconfuse version reads, so they are an error.
func confQuote(s string) (string, error) {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return "", fmt.Errorf("%q: control character %U cannot be written in gmond.conf", s, r)
		}
	}
	return `"` + confEscaper.Replace(s) + `"`, nil
}

// required passes value through, or fails the template with message when
// value is empty: `{{.Collector | required "no collector" | quote}}`.
func required(message string, value any) (any, error) {
	if s, ok := value.(string); value == nil || ok && s == "" {
		return nil, errors.New(message)
	}
	return value, nil
}
