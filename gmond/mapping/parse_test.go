package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func loadExample(t *testing.T) *Mapping {
	t.Helper()
	m, err := Load("testdata/example.toml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestExample pins the parsed form of the seed setup's mapping and the
// ports gmetad opens for it.
func TestExample(t *testing.T) {
	m := loadExample(t)
	got, err := json.MarshalIndent(struct {
		Mapping  *Mapping
		Clusters []ClusterPort
	}{m, m.Clusters()}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/example.golden.json", append(got, '\n'))
}

// TestBadFiles runs every testdata/bad/*.toml and compares the whole error
// report (file:line: key: msg per line) with its .golden file.
func TestBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			m, err := Load(file)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want errors", file, m)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			for _, e := range es {
				if e.File != file || e.Err == nil {
					t.Errorf("error without file or kind: %#v", e)
				}
			}
			checkGolden(t, strings.TrimSuffix(file, ".toml")+".golden", []byte(err.Error()+"\n"))
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.toml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
}

// TestEncodeRoundTrip: Encode writes what Parse reads back unchanged.
func TestEncodeRoundTrip(t *testing.T) {
	m := loadExample(t)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Parse(m.Path, buf.Bytes())
	if err != nil {
		t.Fatalf("re-parse: %v\n%s", err, buf.Bytes())
	}
	if !reflect.DeepEqual(m, m2) {
		t.Errorf("round trip changed the mapping:\n%+v\n%+v", m, m2)
	}
}

// TestDefaults: lpar_dir defaults to LPARS, a host rule without a port
// takes its cluster's, model_serial is stored upper-case.
func TestDefaults(t *testing.T) {
	m, err := Parse("min.toml", []byte(`
[default]
cluster = "Unmapped"
port = 8649
[[managed_system]]
name = "P"
model_serial = "9009-42a_21abcde"
port = 8650
[[host]]
name = "h"
cluster = "P"
`))
	if err != nil {
		t.Fatal(err)
	}
	if m.LPARDir != "LPARS" || m.Hosts[0].Port != 8650 || m.Systems[0].ModelSerial != "9009-42A_21ABCDE" || m.Path != "min.toml" {
		t.Errorf("got %+v", m)
	}
}
