package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// fixedNow is the clock of every test run: packets received by --listen
// carry it.
func fixedNow() time.Time { return time.Date(2026, 11, 21, 23, 18, 57, 163176000, time.UTC) }

type result struct {
	code           int
	stdout, stderr string
}

// String renders a run the way golden files store it.
func (r result) String() string {
	return fmt.Sprintf("%s-- stderr --\n%s-- exit %d --\n", r.stdout, r.stderr, r.code)
}

// runCmd runs the command line args in-process with stdin as standard input.
func runCmd(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: bytes.NewReader(stdin), stdout: &out, stderr: &errOut, now: fixedNow}
	code := run(context.Background(), e, args)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update and review the diff):\n%s", path, diffLines(string(want), got))
	}
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var sb strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 5; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&sb, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return sb.String()
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{"no command", nil, exitUsage, "", "usage: ganglia-lpm <command>"},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, exitOK, "  decode ", ""},
		{"--help", []string{"--help"}, exitOK, "Commands:", ""},
		{"help decode", []string{"help", "decode"}, exitOK, "usage: ganglia-lpm decode", ""},
		{"help unknown", []string{"help", "nope"}, exitUsage, "", `unknown command "nope"`},
		{"decode -h", []string{"decode", "-h"}, exitOK, "", "-listen address"},
		{"bad flag", []string{"decode", "--bogus"}, exitUsage, "", "flag provided but not defined: -bogus"},
		{"bad format", []string{"decode", "--format", "pcapng"}, exitUsage, "", `unknown format "pcapng"`},
		{"bad port", []string{"decode", "--port", "70000"}, exitUsage, "", "--port 70000: not a UDP port"},
		{"listen and files", []string{"decode", "--listen", ":0", "x.bin"}, exitUsage, "", "--listen cannot be combined with FILE arguments"},
		{"listen and format", []string{"decode", "--format", "hex", "--listen", ":0"}, exitUsage, "", "--listen cannot be combined with --format"},
		{"missing file", []string{"decode", "testdata/nope.bin"}, exitFailed, "testdata/nope.bin error: open testdata/nope.bin: no such file or directory", "1 failed"},
		{"flags after files", []string{"decode", "testdata/0002.bin", "--json"}, exitOK, `"kind":"gmetric_uint"`, ""},
		{"dash dash", []string{"decode", "--", "--json"}, exitFailed, "--json error: open --json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCmd(t, nil, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("got %s", r)
			}
		})
	}
}

func TestUsageGolden(t *testing.T) {
	golden(t, "usage.golden", runCmd(t, nil, "help").String())
	golden(t, "decode-usage.golden", runCmd(t, nil, "help", "decode").String())
}
