package conf

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// memFS is an in-memory file tree for include tests and fuzzing.
type memFS map[string]string

func (m memFS) ReadFile(name string) ([]byte, error) {
	if s, ok := m[filepath.Clean(name)]; ok {
		return []byte(s), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m memFS) Glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	for k := range m {
		if ok, _ := filepath.Match(pattern, k); ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out, nil
}

// testEnv is the environment ${...} sees in tests.
func testEnv(name string) (string, bool) {
	v, ok := map[string]string{"GANGLIA_CLUSTER": "prod", "EMPTY": ""}[name]
	return v, ok
}

func testOptions(fsys fileSystem, goos string) options {
	return options{goos: goos, fs: fsys, lookupEnv: testEnv}
}

// parseText parses one in-memory file on linux with the test environment.
func parseText(text string) (*Config, error) {
	return parse("test.conf", []byte(text), testOptions(memFS{}, "linux"))
}

// mustParse fails the test on any error.
func mustParse(t *testing.T, text string) *Config {
	t.Helper()
	c, err := parseText(text)
	if err != nil {
		t.Fatalf("parse:\n%s\nerror: %v", text, err)
	}
	return c
}

// asErrors returns the Errors in err, failing the test if err is not one.
func asErrors(t *testing.T, err error) Errors {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) || len(es) == 0 {
		t.Fatalf("error is not a non-empty conf.Errors: %#v", err)
	}
	return es
}

// checkGolden compares got with the file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
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
		t.Errorf("%s differs (run go test -update and review the diff)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// dump returns c.Dump's text.
func dump(t *testing.T, c *Config) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Dump(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
