package mapping

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics; a failure is a non-empty Errors whose
// every entry names the file and a kind; the report is the same on every
// run (no map-order leaks); a mapping that parses re-validates to the same
// value after Encode.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/bad/*.toml")
	seeds = append(seeds, "testdata/example.toml")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(base + "[[host]]\nname = 'a'\ncluster = 'Unmapped'\n"))
	f.Add([]byte("default = {cluster = 'x', port = 1}\nmanaged_system = [{name='y', model_serial='1234-ABC_1234567', port=2}]\n"))
	const name = "fuzz.toml"
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(name, data)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a non-empty Errors: %#v", err)
			}
			for _, e := range es {
				if e.File != name || e.Err == nil || e.Line < 0 {
					t.Fatalf("bad FieldError %#v", e)
				}
			}
			if _, err2 := Parse(name, data); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("report not deterministic:\n%v\n---\n%v", err, err2)
			}
			return
		}
		var buf bytes.Buffer
		if err := m.Encode(&buf); err != nil {
			t.Fatalf("Encode: %v", err)
		}
		m2, err := Parse(name, buf.Bytes())
		if err != nil {
			t.Fatalf("encoded mapping does not re-validate: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip changed the mapping:\n%+v\n%+v\n%s", m, m2, buf.Bytes())
		}
	})
}
