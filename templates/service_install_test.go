package templates_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// repoRoot is where the Makefile is, seen from this package's directory.
const repoRoot = ".."

var (
	binDir    string // make build's BIN for every test here; TestMain removes it
	buildOnce sync.Once
	buildErr  error
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "templates-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = dir
	return m.Run()
}

// binaries runs make build into a temporary BIN once and returns it: the
// tests use the same binaries make install copies.
func binaries(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatalf("make not installed (apt-get install make): %v", err)
	}
	buildOnce.Do(func() {
		cmd := exec.Command("make", "-C", repoRoot, "build", "BIN="+binDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("make build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// makeInstall runs make install with the built binaries and vars.
func makeInstall(t *testing.T, vars ...string) {
	t.Helper()
	bin := binaries(t)
	args := append([]string{"-C", repoRoot, "install", "BIN=" + bin}, vars...)
	if out, err := exec.Command("make", args...).CombinedOutput(); err != nil {
		t.Fatalf("make %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// installed is the documented layout for PREFIX=/usr/local (README.md
// "Installing"): file, mode, and what it is a copy of (a binary in BIN or
// a file of templates/).
var installed = []struct {
	path string
	mode fs.FileMode
	bin  string
	src  string
}{
	{"usr/local/sbin/gmond", 0o755, "gmond", ""},
	{"usr/local/sbin/gmetad", 0o755, "gmetad", ""},
	{"usr/local/bin/ganglia-lpm", 0o755, "ganglia-lpm", ""},
	{"usr/local/lib/systemd/system/gmond.service", 0o644, "", "systemd/gmond.service"},
	{"usr/local/lib/systemd/system/gmetad.service", 0o644, "", "systemd/gmetad.service"},
	{"usr/local/lib/systemd/system/ganglia-lpm-check.service", 0o644, "", "systemd/ganglia-lpm-check.service"},
	{"usr/local/lib/systemd/system/ganglia-lpm-check.timer", 0o644, "", "systemd/ganglia-lpm-check.timer"},
	{"etc/drmgr.d/pmig/ganglia-lpm-gmond", 0o755, "", "hooks/drmgr-pmig-gmond"},
	{"usr/local/libexec/ganglia-lpm/aix-pmig-gmond", 0o755, "", "hooks/aix-pmig-gmond"},
	{"usr/local/share/ganglia-lpm/aix/errnotify-pmig.add", 0o644, "", "hooks/errnotify-pmig.add"},
	{"usr/local/share/ganglia-lpm/aix/rc.gmond", 0o755, "", "aix/rc.gmond"},
	{"usr/local/share/ganglia-lpm/aix/mkssys-gmond", 0o755, "", "aix/mkssys-gmond"},
	{"usr/local/share/ganglia-lpm/aix/README", 0o644, "", "aix/README"},
	{"usr/local/share/ganglia-lpm/cron/ganglia-lpm-check", 0o644, "", "cron/ganglia-lpm-check"},
	{"usr/local/share/doc/ganglia-lpm/lpm.toml.example", 0o644, "", "examples/lpm.toml"},
}

// TestMakeInstall installs into an empty DESTDIR holding an operator's
// /etc/ganglia and checks every file against the documented layout: the
// right place, mode and content, nothing else, and /etc/ganglia untouched.
func TestMakeInstall(t *testing.T) {
	dest := t.TempDir()
	own := map[string]string{"etc/ganglia/lpm.toml": "# the site's own\n", "etc/ganglia/gmond.conf": "/* ours */\n"}
	for p, s := range own {
		writeFile(t, filepath.Join(dest, p), s, 0o600)
	}
	makeInstall(t, "DESTDIR="+dest)

	want := map[string]bool{}
	for _, f := range installed {
		want[f.path] = true
		p := filepath.Join(dest, f.path)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("not installed: %v", err)
			continue
		}
		if fi.Mode() != f.mode {
			t.Errorf("%s: mode %v, want %v", f.path, fi.Mode(), f.mode)
		}
		src := filepath.Join(binDir, f.bin)
		if f.src != "" {
			src = f.src // PREFIX=/usr/local: the files are installed unchanged
		}
		if !sameContent(t, p, src) {
			t.Errorf("%s differs from %s", f.path, src)
		}
	}
	for p, s := range own {
		if b, err := os.ReadFile(filepath.Join(dest, p)); err != nil || string(b) != s {
			t.Errorf("make install changed the operator's %s: %q, %v", p, b, err)
		}
		want[p] = true
	}
	var extra []string
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, _ := filepath.Rel(dest, p); !want[rel] {
				extra = append(extra, rel)
			}
		}
		return err
	})
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("make install wrote undocumented files: %v", extra)
	}
}

// TestMakeInstallPrefix checks that another PREFIX moves the files and
// rewrites every path that names them, so units, cron line, rc.d script,
// SRC definition and errnotify stanza call what was installed.
func TestMakeInstallPrefix(t *testing.T) {
	dest := t.TempDir()
	makeInstall(t, "DESTDIR="+dest, "PREFIX=/opt/gl")
	for _, c := range []struct{ file, want string }{
		{"opt/gl/lib/systemd/system/gmond.service", "ExecStart=/opt/gl/sbin/gmond -f"},
		{"opt/gl/lib/systemd/system/gmetad.service", "ExecStart=/opt/gl/sbin/gmetad -f"},
		{"opt/gl/lib/systemd/system/ganglia-lpm-check.service", " /opt/gl/bin/ganglia-lpm check "},
		{"opt/gl/share/ganglia-lpm/cron/ganglia-lpm-check", " /opt/gl/bin/ganglia-lpm check "},
		{"opt/gl/share/ganglia-lpm/aix/rc.gmond", "\nGMOND=/opt/gl/sbin/gmond\n"},
		{"opt/gl/share/ganglia-lpm/aix/mkssys-gmond", " -p /opt/gl/sbin/gmond "},
		{"opt/gl/share/ganglia-lpm/aix/errnotify-pmig.add", `en_method = "/opt/gl/libexec/ganglia-lpm/aix-pmig-gmond $1 $9"`},
	} {
		b, err := os.ReadFile(filepath.Join(dest, c.file))
		if err != nil {
			t.Error(err)
			continue
		}
		if !strings.Contains(string(b), c.want) {
			t.Errorf("%s lacks %q", c.file, c.want)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(l, "#") && strings.Contains(l, "/usr/local/") {
				t.Errorf("%s still names /usr/local/: %s", c.file, l)
			}
		}
	}
	for _, f := range []string{"opt/gl/sbin/gmond", "opt/gl/sbin/gmetad", "opt/gl/bin/ganglia-lpm",
		"opt/gl/libexec/ganglia-lpm/aix-pmig-gmond", "etc/drmgr.d/pmig/ganglia-lpm-gmond"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("PREFIX=/opt/gl: %v", err)
		}
	}
}

func sameContent(t *testing.T, a, b string) bool {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(x, y)
}

func writeFile(t *testing.T, path, text string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}
