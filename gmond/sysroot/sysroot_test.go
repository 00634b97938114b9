package sysroot

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// fixture builds a small emulated machine: one /proc file and one
// recorded command.
func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"proc/loadavg":                          "0.10 0.20 0.30 1/100 42\n",
		"proc/ppc64/lparcfg":                    "lparcfg 1.9\n",
		".commands/uname -M":                    "IBM,9009-42A\n",
		".commands/lsattr -El sys0 -a systemid": "systemid IBM,0221ABCDE Hardware system identifier False\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestNew(t *testing.T) {
	if got := New("").Dir; got != "/" {
		t.Errorf(`New("").Dir = %q, want "/"`, got)
	}
	if got := New("testdata/x").Dir; got != "testdata/x" {
		t.Errorf(`New("testdata/x").Dir = %q`, got)
	}
	if got, want := New("/srv/lpar1").Path("/proc/stat"), filepath.Join("/srv/lpar1", "proc", "stat"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	if got := New("/").Path("/proc/stat"); got != filepath.FromSlash("/proc/stat") {
		t.Errorf("Path below / = %q", got)
	}
}

func TestFiles(t *testing.T) {
	r := New(fixture(t))
	b, err := r.ReadFile("/proc/loadavg")
	if err != nil || string(b) != "0.10 0.20 0.30 1/100 42\n" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := r.ReadFile("/proc/stat"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: err = %v, want ErrNotExist", err)
	}
	ents, err := r.ReadDir("/proc")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if err != nil || !reflect.DeepEqual(names, []string{"loadavg", "ppc64"}) {
		t.Errorf("ReadDir(/proc) = %v, %v", names, err)
	}
	fi, err := r.Stat("/proc/ppc64")
	if err != nil || !fi.IsDir() {
		t.Errorf("Stat(/proc/ppc64) = %v, %v; want a directory", fi, err)
	}
	if _, err := r.Stat("/sys"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Stat of a missing dir: err = %v", err)
	}
}

func TestCommandFromFixture(t *testing.T) {
	r := New(fixture(t))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"uname", []string{"-M"}, "IBM,9009-42A\n"},
		{"/usr/bin/uname", []string{"-M"}, "IBM,9009-42A\n"}, // looked up by base name
		{"lsattr", []string{"-El", "sys0", "-a", "systemid"}, "systemid IBM,0221ABCDE Hardware system identifier False\n"},
	}
	for _, tc := range tests {
		out, err := r.Command(tc.name, tc.args...)
		if err != nil || string(out) != tc.want {
			t.Errorf("Command(%s %v) = %q, %v; want %q", tc.name, tc.args, out, err, tc.want)
		}
	}
	// A command the tree did not record is "not found", like a missing
	// binary, so callers can tell an absent source from a failing one.
	for _, args := range [][]string{{"uname", "-u"}, {"uname"}, {"lparstat", "-i"}} {
		_, err := r.Command(args[0], args[1:]...)
		if !errors.Is(err, exec.ErrNotFound) {
			t.Errorf("Command(%v): err = %v, want exec.ErrNotFound", args, err)
		}
	}
}

func TestCommandRunner(t *testing.T) {
	var gotName string
	var gotArgs []string
	var deadline time.Time
	r := Root{Dir: "/", Run: func(ctx context.Context, name string, args ...string) ([]byte, error) {
		gotName, gotArgs = name, args
		var ok bool
		if deadline, ok = ctx.Deadline(); !ok {
			t.Error("runner context has no deadline")
		}
		return []byte("out"), nil
	}}
	start := time.Now()
	out, err := r.Command("lparstat", "-i")
	if err != nil || string(out) != "out" || gotName != "lparstat" || !reflect.DeepEqual(gotArgs, []string{"-i"}) {
		t.Errorf("Command = %q, %v; runner saw %q %q", out, err, gotName, gotArgs)
	}
	// Upper bound only: the default timeout is 10 s.
	if deadline.After(time.Now().Add(10*time.Second)) || deadline.Before(start) {
		t.Errorf("deadline %v not within 10 s of %v", deadline, start)
	}
}

func TestCommandTimeout(t *testing.T) {
	r := Root{Dir: "/", CommandTimeout: time.Millisecond, Run: func(ctx context.Context, _ string, _ ...string) ([]byte, error) {
		<-ctx.Done() // a command that hangs until it is killed
		return nil, ctx.Err()
	}}
	if _, err := r.Command("lparstat", "1", "1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// Below "/" with no Run, commands really run, in the C locale so their
// output parses the same everywhere.
func TestCommandExec(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Fatal("no sh on this system: every supported system has one")
	}
	t.Setenv("LC_ALL", "de_DE.UTF-8")
	for _, dir := range []string{"/", "/."} {
		out, err := New(dir).Command("sh", "-c", `echo "$LANG $LC_ALL"`)
		if err != nil || string(out) != "C C\n" {
			t.Errorf("Dir %q: Command = %q, %v; want \"C C\\n\"", dir, out, err)
		}
	}
	_, err := New("/").Command("sh", "-c", "exit 3")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("failing command: err = %v, want exit status 3", err)
	}
	if _, err := New("/").Command("no-such-command-sysroot-test"); !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("missing binary: err = %v, want exec.ErrNotFound", err)
	}
}
