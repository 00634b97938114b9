package xmlout

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzAnswer feeds random request lines to Answer over a fixed snapshot
// (the grammar fixture plus the hostile one): it must never panic, a
// refused request writes nothing, a /status request writes nothing until
// WriteStatus, whose output is valid JSON(P), and everything else is one
// well-formed GANGLIA_XML document, with an HTTP header exactly when the
// request was HTTP.
func FuzzAnswer(f *testing.F) {
	reqs, _ := filepath.Glob(filepath.Join(stockDir, "interactive/*.request"))
	for _, p := range reqs {
		b, _ := os.ReadFile(p)
		f.Add(string(b))
	}
	for _, s := range []string{
		"", "/", "//", "/c1/", "/c1/h1/m1", "/My Cluster/web 1", "GET /*/*/* HTTP/1.0",
		"GET /c1/*/m1 HTTP/1.1", "/?filter=summary", "/?filter", "/status?callback=cb",
		"GET HTTP/1.0", "GET /status HTTP/1.0", "/g1/x", "/a\x00b", "/\xe9\xff", "/tab\t/x",
		"/" + strings.Repeat("a", MaxRequestLen),
	} {
		f.Add(s)
	}
	small, hostileSnap := smallSnapshot(), hostileSnapshot()
	snap := &Snapshot{Grid: small.Grid, Summary: small.Summary,
		Sources: append(append([]Source(nil), small.Sources...), hostileSnap.Sources...)}
	st := &Status{GridName: hostileSnap.Grid.Name, Groups: []StatusGroup{{Name: "x", Fields: []StatusField{StringField("s", hostile[2])}}}}

	f.Fuzz(func(t *testing.T, line string) {
		var out bytes.Buffer
		res, err := Answer(&out, snap, line, fixtureNow)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case res.Malformed:
			if out.Len() != 0 || res.Reason == nil {
				t.Fatalf("refused %q (%v) but wrote %d bytes", line, res.Reason, out.Len())
			}
		case res.Status:
			if out.Len() != 0 {
				t.Fatalf("status request %q wrote %d bytes", line, out.Len())
			}
			if err := WriteStatus(&out, st, res.Callback); err != nil {
				t.Fatal(err)
			}
			checkJSON(t, out.Bytes(), res.Callback)
		default:
			if _, hasHeader := stripHTTP(out.Bytes()); hasHeader != res.HTTP {
				t.Fatalf("%q: HTTP header %v, Result.HTTP %v", line, hasHeader, res.HTTP)
			}
			if _, err := parseXML(out.Bytes()); err != nil {
				t.Fatalf("%q: not well-formed: %v", line, err)
			}
		}
	})
}
