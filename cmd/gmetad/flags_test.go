package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		want options
	}{
		{nil, options{}},
		{[]string{"-c", "/x/gmetad.conf"}, options{config: "/x/gmetad.conf", configSet: true}},
		{[]string{"--conf=/x/g.conf", "-d", "2"}, options{config: "/x/g.conf", configSet: true, debug: 2}},
		{[]string{"-p", "/run/gmetad.pid", "-f"}, options{pidFile: "/run/gmetad.pid", foreground: true}},
		{[]string{"--pid-file", "/p", "--debug", "1"}, options{pidFile: "/p", debug: 1}},
		{[]string{"-t", "--mapping", "/etc/ganglia/lpm.toml"}, options{test: true, mapping: "/etc/ganglia/lpm.toml"}},
		{[]string{"-mapping=/m.toml", "--foreground"}, options{mapping: "/m.toml", foreground: true}},
		{[]string{"-V"}, options{version: true}},
		{[]string{"--embedded", "-f"}, options{embedded: true, foreground: true}},
		// -c "" was given: an explicit (empty) path, which load refuses.
		{[]string{"-c", ""}, options{configSet: true}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			got, err := parseFlags(tc.args, &stderr)
			if err != nil {
				t.Fatalf("parseFlags: %v\n%s", err, stderr.String())
			}
			if got != tc.want {
				t.Errorf("parseFlags = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseFlagsErrors(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr error // nil: any error
		wantOut string
	}{
		{[]string{"-h"}, flag.ErrHelp, "usage: gmetad"},
		{[]string{"-x"}, nil, "flag provided but not defined: -x"},
		{[]string{"-d", "two"}, nil, "invalid value"},
		{[]string{"-d", "-1"}, nil, "-d must be 0 or more"},
		{[]string{"-f", "extra"}, nil, `unexpected argument "extra"`},
		{[]string{"-c"}, nil, "flag needs an argument"},
		{[]string{"-c", "/x", "--embedded"}, nil, "exclude each other"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseFlags(tc.args, &stderr)
			if err == nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("parseFlags = %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(stderr.String(), tc.wantOut) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantOut, stderr.String())
			}
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	env := unitEnv(t)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, exitOK},
		{[]string{"-V"}, exitOK},
		{[]string{"-bogus"}, exitUsage},
		{[]string{"-f", "surplus"}, exitUsage},
		{[]string{"-f", "-c", filepath.Join(t.TempDir(), "missing.conf")}, exitFailed},
	}
	for _, tc := range tests {
		var stdout, stderr bytes.Buffer
		if code := env.run(context.Background(), tc.args, &stdout, &stderr); code != tc.code {
			t.Errorf("run %q = %d, want %d\nstderr: %s", tc.args, code, tc.code, stderr.String())
		}
	}
}

// TestPrintEmbeddedDefault: without -c and without the default file, -t
// prints the embedded default: one cluster on 8649, the stock XML ports,
// RRDs under ./gmetad-data/rrds for a plain user, the state file beside
// (not inside) them; and -t creates nothing.
func TestPrintEmbeddedDefault(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	env := unitEnv(t)
	var stdout, stderr bytes.Buffer
	if code := env.run(context.Background(), []string{"-t"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("gmetad -t = %d\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"the embedded default (no -c, and " + env.defaultConfig + " does not exist)",
		"\nrrd_rootdir " + `"` + filepath.Join(dir, "gmetad-data", "rrds") + `"` + "\n",
		"\nstate_file " + `"` + filepath.Join(dir, "gmetad-data", "gmetad-lpm.state") + `"` + "\n",
		"\nxml_port 8651\n", "\ninteractive_port 8652\n", "\ngridname \"unspecified\"\n",
		"\nsetuid off\n",
		"#   port  8649  cluster \"unspecified\"",
		"no mapping file",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-t output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "data_source") && !strings.Contains(out, "# data_source") {
		t.Errorf("the embedded default polls a data source:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "gmetad-data")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("-t created %s (stat: %v)", filepath.Join(dir, "gmetad-data"), err)
	}
}

// TestEmbeddedFlag: --embedded ignores an existing default gmetad.conf.
func TestEmbeddedFlag(t *testing.T) {
	env := unitEnv(t)
	writeText(t, env.defaultConfig, "no_such_directive 1\n")
	if _, ok := env.load(options{}, &bytes.Buffer{}); ok {
		t.Fatal("the broken default file was not read")
	}
	s, ok := env.load(options{embedded: true}, &bytes.Buffer{})
	if !ok || !s.embedded() {
		t.Fatalf("--embedded: ok %v, embedded %v", ok, s != nil && s.embedded())
	}
}

// TestEmbeddedDefaultAsRoot: as root the embedded default keeps the stock
// rrd_rootdir, with the state file in its parent.
func TestEmbeddedDefaultAsRoot(t *testing.T) {
	env := unitEnv(t)
	env.root = true
	s, ok := env.load(options{}, &bytes.Buffer{})
	if !ok {
		t.Fatal("load failed")
	}
	if !s.embedded() || s.cfg.RRDRootDir != "/var/lib/ganglia/rrds" ||
		s.cfg.StateFile != "/var/lib/ganglia/gmetad-lpm.state" || s.cfg.Setuid {
		t.Errorf("embedded default as root: embedded %v, rrd_rootdir %q, state_file %q, setuid %v",
			s.embedded(), s.cfg.RRDRootDir, s.cfg.StateFile, s.cfg.Setuid)
	}
	if got := s.clusters(); len(got) != 1 || got[0].Cluster != "unspecified" || got[0].Port != 8649 {
		t.Errorf("clusters = %+v", got)
	}
}

// TestConfigAndMappingErrors: every error is printed with file and line,
// and gmetad exits 1 without starting.
func TestConfigAndMappingErrors(t *testing.T) {
	dir := t.TempDir()
	goodMap := filepath.Join(dir, "good.toml")
	writeText(t, goodMap, "[default]\ncluster = \"Unmapped\"\nport = 8300\n")
	badMap := filepath.Join(dir, "bad.toml")
	writeText(t, badMap, "[default]\ncluster = \"x\"\nport = 8300\nbogus = 1\n\n[[managed_system]]\nname = \"y\"\nmodel_serial = \"nope\"\nport = 8300\n")
	tests := []struct {
		name, conf string
		args       []string
		want       []string
	}{
		{"two bad lines", "xml_port 99999\nno_such_directive 1\n", nil,
			[]string{":2: xml_port:", ":3: no_such_directive:", "gmetad: 2 errors in"}},
		{"bad RRAs", "RRAs RRA:AVERAGE:0.5:1:0\n", nil, []string{"RRA"}},
		{"bad mapping", "mapping \"" + badMap + "\"\n", nil,
			[]string{badMap + ":4: ", badMap + ":8: ", "not starting"}},
		{"missing mapping", "mapping \"" + filepath.Join(dir, "none.toml") + "\"\n", nil,
			[]string{filepath.Join(dir, "none.toml")}},
		{"missing --mapping", "", []string{"--mapping", filepath.Join(dir, "none2.toml")},
			[]string{filepath.Join(dir, "none2.toml")}},
		{"good mapping, -t", "mapping \"" + goodMap + "\"\n", []string{"-t"}, nil},
	}
	env := unitEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "gmetad.conf")
			writeText(t, conf, "setuid off\n"+tc.conf)
			var stdout, stderr bytes.Buffer
			code := env.run(context.Background(), append([]string{"-f", "-c", conf}, tc.args...), &stdout, &stderr)
			if tc.want == nil {
				if code != exitOK {
					t.Fatalf("exit %d, want 0\n%s", code, stderr.String())
				}
				return
			}
			if code != exitFailed {
				t.Fatalf("exit %d, want %d\n%s", code, exitFailed, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

func writeText(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
