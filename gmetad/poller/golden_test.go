package poller

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// goldenTime is the parse time of the golden tests; it only shows as
// Report.Time.
var goldenTime = time.Unix(1795303300, 0).UTC()

// goldenResult is what a golden file holds: the report and Parse's error.
type goldenResult struct {
	Err    string `json:",omitempty"`
	Report *Report
}

func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".xml")
		t.Run(name, func(t *testing.T) {
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := marshalResult(t, doc)
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s (run go test -update and review the diff)\n%s", file, golden, got)
			}
			// The same bytes gzipped, as gmond's gzip_output sends them.
			if gz := marshalResult(t, gzipBytes(t, doc)); !bytes.Equal(gz, got) {
				t.Errorf("gzipped %s parses differently:\n%s", file, gz)
			}
		})
	}
}

func marshalResult(t *testing.T, doc []byte) []byte {
	t.Helper()
	rep, err := Parse(bytes.NewReader(doc), goldenTime, ParseOptions{})
	res := goldenResult{Report: rep}
	if err != nil {
		res.Err = err.Error()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep '<' readable in the error texts
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
