package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenHost is the host name of the authority in every golden file.
const goldenHost = "gmetad-host"

// goldenConfs are the sample configurations: Debian's shipped
// /etc/ganglia/gmetad.conf, the one the shared golden captures were made
// with, and one that sets every directive.
var goldenConfs = []string{"debian-gmetad.conf", "shared-gmetad.conf", "all-directives.conf"}

type goldenResult struct {
	Config   Config    `json:"config"`
	Warnings []Warning `json:"warnings"`
}

// TestGolden parses each sample into golden JSON and golden -t output, and
// reads the -t output back to the same Config.
func TestGolden(t *testing.T) {
	for _, name := range goldenConfs {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			c, warnings, err := Parser{}.Parse(name, data, DefaultFor(goldenHost))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			js, err := json.MarshalIndent(goldenResult{c, warnings}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(name, ".conf")+".json", append(js, '\n'))
			checkGolden(t, strings.TrimSuffix(name, ".conf")+".t.golden", writeConfig(t, c))
			checkRoundTrip(t, c)
		})
	}
}

// TestDefaultGolden is `gmetad -t` without a file.
func TestDefaultGolden(t *testing.T) {
	c := DefaultFor(goldenHost)
	checkGolden(t, "default.t.golden", writeConfig(t, c))
	checkRoundTrip(t, c)
}

func writeConfig(t *testing.T, c Config) []byte {
	t.Helper()
	var b bytes.Buffer
	n, err := c.WriteTo(&b)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	if n != int64(b.Len()) {
		t.Errorf("WriteTo returned %d, wrote %d bytes", n, b.Len())
	}
	return b.Bytes()
}

// checkRoundTrip parses the WriteTo output of c on top of the defaults and
// wants c back.
func checkRoundTrip(t *testing.T, c Config) {
	t.Helper()
	text := writeConfig(t, c)
	got, _, err := Parser{}.Parse("written.conf", text, DefaultFor(goldenHost))
	if err != nil {
		t.Fatalf("WriteTo output does not parse: %v\n%s", err, text)
	}
	if !reflect.DeepEqual(withoutLines(got), withoutLines(c)) {
		t.Errorf("round trip changed the config:\n got %+v\nwant %+v\ntext:\n%s", got, c, text)
	}
}

// withoutLines clears DataSource.Line, which WriteTo cannot keep.
func withoutLines(c Config) Config {
	c = c.clone()
	for i := range c.DataSources {
		c.DataSources[i].Line = 0
	}
	return c
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -update rewrites it):\n--- got\n%s", path, got)
	}
}

// TestLoad reads a file from disk on top of Default().
func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gmetad.conf")
	if err := os.WriteFile(path, []byte("setuid off\ngridname Loaded\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, warnings, err := Load(path)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("Load = %v, %v", warnings, err)
	}
	want := Default()
	want.Setuid, want.GridName = false, "Loaded"
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Load = %+v, want %+v", c, want)
	}
	if _, _, err := Load(filepath.Join(t.TempDir(), "missing.conf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want a not-exist error", err)
	}
}
