package config

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestErrorMessages checks the text of errors: file, line, directive.
func TestErrorMessages(t *testing.T) {
	conf := strings.Join([]string{
		"# line 1",
		`data_source "a" 127.0.0.1`,
		"xml_port abc",
		"xml_prot 8651",
		`gridname "open`,
		`data_source "a" 10.0.0.1`,
		"setuid true",
	}, "\n")
	_, _, err := Parser{}.Parse("gmetad.conf", []byte(conf), DefaultFor("h"))
	want := []string{
		`gmetad.conf:3: xml_port: "abc" is not a port number`,
		`gmetad.conf:4: xml_prot: unknown directive (stock gmetad refuses it too); did you mean xml_port?`,
		`gmetad.conf:5: gridname: quote not closed at the end of the line`,
		`gmetad.conf:6: data_source: data source "a" is already defined (line 2); stock gmetad would keep only the last one`,
		`gmetad.conf:7: setuid: "true" is not on or off (stock gmetad reads every value but on, yes and 1 as off)`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("errors:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	for _, kind := range []error{ErrValue, ErrUnknownDirective, ErrSyntax, ErrDuplicate} {
		if !errors.Is(err, kind) {
			t.Errorf("errors.Is(err, %v) = false", kind)
		}
	}
}

// TestWarnings: one Warning per line of a directive that is accepted but
// not acted upon; setuid warns once, only when not root.
func TestWarnings(t *testing.T) {
	conf := "carbon_server g\ncarbon_server h\nserver_threads 2\nsetuid_username ganglia\nriemann_port 1\n" +
		"trusted_hosts a b c d e f g h i j k l m n o p\n"
	_, warnings, err := Parser{}.Parse("w.conf", []byte(conf), DefaultFor("h"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.Directive+"@"+string(rune('0'+w.Line)))
	}
	want := []string{"carbon_server@1", "carbon_server@2", "server_threads@3", "setuid@4", "riemann_port@5", "trusted_hosts@6"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
	if s := warnings[0].String(); !strings.HasPrefix(s, "w.conf:1: carbon_server: not implemented") {
		t.Errorf("warning text %q", s)
	}

	_, warnings, _ = Parser{Root: true}.Parse("w.conf", []byte("setuid_username ganglia\n"), DefaultFor("h"))
	if len(warnings) != 0 {
		t.Errorf("as root: %v", warnings)
	}
	_, warnings, _ = Parser{}.Parse("w.conf", nil, DefaultFor("h"))
	if len(warnings) != 1 || warnings[0].Line != 0 || warnings[0].String()[:len("w.conf: setuid:")] != "w.conf: setuid:" {
		t.Errorf("setuid on by default, not root: %v", warnings)
	}
	_, warnings, _ = Parser{}.Parse("w.conf", []byte("setuid off\n"), DefaultFor("h"))
	if len(warnings) != 0 {
		t.Errorf("setuid off: %v", warnings)
	}
}

// TestMerge: scalars take the last line, RRAs replaces, lists and data
// sources add to the base, and the base is never modified.
func TestMerge(t *testing.T) {
	base := DefaultFor("h")
	base.TrustedHosts = []string{"base"}
	base.DataSources = []DataSource{{Name: "base", Step: 15, Addrs: []string{"b:8649"}, Line: 1}}
	base.TrustedHosts = slices.Grow(base.TrustedHosts, 10) // room an append could write into
	snapshot := base.clone()
	conf := "xml_port 1\nxml_port 2\ntrusted_hosts x\ntrusted_hosts y\nRRAs RRA:AVERAGE:0.5:1:10\n" +
		"RRAs RRA:MAX:0.5:1:20\ndata_source new h\n"
	c, _, err := Parser{Root: true}.Parse("m.conf", []byte(conf), base)
	if err != nil {
		t.Fatal(err)
	}
	if c.XMLPort != 2 || !slices.Equal(c.TrustedHosts, []string{"base", "x", "y"}) ||
		!slices.Equal(c.RRAs, []string{"RRA:MAX:0.5:1:20"}) || len(c.DataSources) != 2 {
		t.Errorf("merged: port %d hosts %v RRAs %v sources %v", c.XMLPort, c.TrustedHosts, c.RRAs, c.DataSources)
	}
	if !reflect.DeepEqual(base, snapshot) || base.TrustedHosts[:cap(base.TrustedHosts)][1] != "" {
		t.Errorf("Parse modified its base")
	}
	if _, _, err := (Parser{}).Parse("m.conf", []byte("data_source base h\n"), base); !errors.Is(err, ErrDuplicate) {
		t.Errorf("data_source already in the base: %v", err)
	}
}

// TestEnvironment: ${VAR} comes from Parser.LookupEnv only.
func TestEnvironment(t *testing.T) {
	p := Parser{Root: true, LookupEnv: func(k string) (string, bool) { return map[string]string{"R": "/r"}[k], k == "R" }}
	c, _, err := p.Parse("e.conf", []byte("rrd_rootdir ${R}/rrds\ngridname ${NONE:-grid}\n"), DefaultFor("h"))
	if err != nil || c.RRDRootDir != "/r/rrds" || c.GridName != "grid" {
		t.Errorf("got %q %q %v", c.RRDRootDir, c.GridName, err)
	}
	if _, _, err := p.Parse("e.conf", []byte("rrd_rootdir ${NONE}\n"), DefaultFor("h")); !errors.Is(err, ErrValue) {
		t.Errorf("empty after substitution: %v", err)
	}
}

// TestWriteToRefuses values that gmetad.conf cannot hold.
func TestWriteToRefuses(t *testing.T) {
	for _, s := range []string{"a\nb", "a${b}", "nul\x00"} {
		c := DefaultFor("h")
		c.Mapping = s
		if _, err := c.WriteTo(new(strings.Builder)); !errors.Is(err, ErrUnwritable) {
			t.Errorf("%q: %v, want ErrUnwritable", s, err)
		}
	}
	c := DefaultFor("h")
	c.DataSources = []DataSource{{Name: `q"uo\te #x`, Step: 15, Addrs: []string{"h:1"}}}
	c.TrustedHosts = make([]string, 40)
	for i := range c.TrustedHosts {
		c.TrustedHosts[i] = "h" + strings.Repeat("x", i)
	}
	checkRoundTrip(t, c)
}
