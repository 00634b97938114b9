package conf

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestIncludeGlob: a relative glob is read from the including file's
// directory, matches in name order, skips dot files and non-matching
// names, and splices the files where the include stood; a glob without
// match includes nothing.
func TestIncludeGlob(t *testing.T) {
	c, err := Load("testdata/include/main.conf")
	if err != nil {
		t.Fatal(err)
	}
	const dir = "testdata/include/"
	wantFiles := []string{dir + "main.conf", dir + "conf.d/10-send.conf", dir + "conf.d/sub/extra.conf", dir + "conf.d/20-groups.conf"}
	if !reflect.DeepEqual(c.Files, wantFiles) {
		t.Errorf("files read:\n%q\nwant\n%q", c.Files, wantFiles)
	}
	if len(c.UDPSend) != 2 || c.UDPSend[0].Host != "first" || c.UDPSend[1].Host != "second" {
		t.Fatalf("send channels %+v", c.UDPSend)
	}
	if got := c.UDPSend[1].Pos; got != (Pos{dir + "conf.d/sub/extra.conf", 1}) {
		t.Errorf("included channel at %v", got)
	}
	if len(c.Groups) != 1 || c.Groups[0].Metrics[0].Name != "cpu_used" || c.Groups[0].Pos.Line != 1 {
		t.Errorf("groups %+v", c.Groups)
	}
	if c.Globals.Tags != "main" || c.Cluster.Name != "after includes" || len(c.Warnings) != 0 {
		t.Errorf("main file values lost: tags %q cluster %q warnings %q", c.Globals.Tags, c.Cluster.Name, c.Warnings)
	}
}

// TestIncludeErrorsNameTheIncludedFile: a mistake in an included file is
// reported at that file's line, together with the main file's mistakes.
func TestIncludeErrorsNameTheIncludedFile(t *testing.T) {
	_, err := Load("testdata/include/errors/main.conf")
	es := asErrors(t, err)
	got := fmt.Sprint(len(es), es[0].File, ":", es[0].Line, " ", es[1].File, ":", es[1].Line)
	want := "2testdata/include/errors/main.conf:3 testdata/include/errors/bad.conf:2"
	if got != want {
		t.Errorf("got %s\nwant %s\n%v", got, want, err)
	}
}

// TestIncludeCycle: a file including itself, directly or through another,
// is an include error (not endless recursion), and the chain is named.
func TestIncludeCycle(t *testing.T) {
	_, err := Load("testdata/include/cycle/a.conf")
	es := asErrors(t, err)
	if len(es) != 1 || !errors.Is(err, ErrInclude) || es[0].File != "testdata/include/cycle/b.conf" || es[0].Line != 2 {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(es[0].Msg, "cycle/a.conf -> ") || strings.Count(es[0].Msg, "a.conf") != 2 {
		t.Errorf("cycle message does not show the chain: %s", es[0].Msg)
	}

	self := memFS{"self.conf": "include ('self.conf')\n"}
	if _, err := parse("self.conf", []byte(self["self.conf"]), testOptions(self, "linux")); !errors.Is(err, ErrInclude) {
		t.Errorf("self include: %v", err)
	}
}

// TestIncludeDepth: nesting deeper than libconfuse's limit of 10 fails.
func TestIncludeDepth(t *testing.T) {
	chain := func(n int) memFS {
		m := memFS{}
		for i := range n {
			m[fmt.Sprintf("f%d.conf", i)] = fmt.Sprintf("include ('f%d.conf')\n", i+1)
		}
		m[fmt.Sprintf("f%d.conf", n)] = "globals { tags = deep }\n"
		return m
	}
	ok := chain(9) // f0 .. f9: ten files open at once
	c, err := parse("f0.conf", []byte(ok["f0.conf"]), testOptions(ok, "linux"))
	if err != nil || c.Globals.Tags != "deep" {
		t.Fatalf("ten levels: %v", err)
	}
	deep := chain(10)
	if _, err := parse("f0.conf", []byte(deep["f0.conf"]), testOptions(deep, "linux")); !errors.Is(err, ErrInclude) {
		t.Errorf("eleven levels: %v", err)
	}
}

// TestIncludeDiamond: the same file included twice (not a cycle) is read
// twice, as libconfuse does, and listed once in Files.
func TestIncludeDiamond(t *testing.T) {
	m := memFS{
		"main.conf": "include ('a.conf')\ninclude ('a.conf')\n",
		"a.conf":    "udp_send_channel { host = h port = 1 }\n",
	}
	c, err := parse("main.conf", []byte(m["main.conf"]), testOptions(m, "linux"))
	if err != nil || len(c.UDPSend) != 2 || len(c.Files) != 2 {
		t.Fatalf("err %v, %d channels, files %q", err, len(c.UDPSend), c.Files)
	}
}

func TestHasWildcard(t *testing.T) {
	for s, want := range map[string]bool{
		"/etc/ganglia/conf.d/*.conf": true, "a?.conf": true, "[ab].conf": true,
		"plain.conf": false, `esc\*.conf`: false, "[open.conf": false, "close].conf": false,
	} {
		if got := hasWildcard(s); got != want {
			t.Errorf("hasWildcard(%q) = %v", s, got)
		}
	}
}
