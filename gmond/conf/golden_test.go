package conf

import (
	"errors"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

const debianConf = "/etc/ganglia/gmond.conf"

// siteFS hides /etc/ganglia/conf.d, so the golden test sees Debian's file
// as shipped whatever a machine adds there.
type siteFS struct{ osFS }

func (s siteFS) Glob(pattern string) ([]string, error) {
	m, err := s.osFS.Glob(pattern)
	var out []string
	for _, f := range m {
		if !strings.HasPrefix(f, "/etc/ganglia/conf.d/") {
			out = append(out, f)
		}
	}
	return out, err
}

// multiarch is the Debian library triplet in module paths; the golden file
// says MULTIARCH so it holds on amd64 and ppc64le alike.
var multiarch = regexp.MustCompile(`/usr/lib/[a-z0-9_]+-linux-gnu[a-z0-9_]*/`)

func loadDebian(t *testing.T) *Config {
	t.Helper()
	data, err := os.ReadFile(debianConf)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%s not installed: run make deps (Debian package ganglia-monitor)", debianConf)
	}
	if err != nil {
		t.Fatal(err)
	}
	c, err := parse(debianConf, data, options{goos: "linux", fs: siteFS{}, lookupEnv: noEnv})
	if err != nil {
		t.Fatalf("Debian's gmond.conf does not parse: %v", err)
	}
	return c
}

// TestDebianGolden parses the gmond.conf Debian 12 ships with
// ganglia-monitor 3.7.2 and compares the dump with the golden file.
func TestDebianGolden(t *testing.T) {
	c := loadDebian(t)
	want := []string{debianConf + ":57: modules: not supported: this gmond has its metrics built in and loads no modules; section ignored"}
	if !reflect.DeepEqual(c.Warnings, want) {
		t.Errorf("warnings %q, want only the modules one", c.Warnings)
	}
	g := c.Globals
	if g.User != "ganglia" || g.HostDmax != 0 || g.SendMetadataInterval != 0 || len(c.Groups) != 10 || len(c.Modules) != 8 {
		t.Errorf("Debian values lost: user %q host_dmax %v send_metadata_interval %v, %d groups, %d modules",
			g.User, g.HostDmax, g.SendMetadataInterval, len(c.Groups), len(c.Modules))
	}
	checkGolden(t, "testdata/debian_gmond.conf.golden", multiarch.ReplaceAll(dump(t, c), []byte("/usr/lib/MULTIARCH/")))
}

// TestDefaultGolden pins what the built-in default parses to.
func TestDefaultGolden(t *testing.T) {
	checkGolden(t, "testdata/default.golden", dump(t, Default()))
}

func TestDefault(t *testing.T) {
	c := Default()
	if len(c.Warnings) != 0 {
		t.Errorf("the default has warnings: %q", c.Warnings)
	}
	if string(DefaultText()) == "" || !reflect.DeepEqual(c.Files, []string{defaultName}) {
		t.Errorf("files %q", c.Files)
	}
	if c.Globals.SendMetadataInterval != 60*time.Second || c.Globals.HostDmax != 86400*time.Second {
		t.Errorf("globals %+v", c.Globals)
	}
	s := c.UDPSend
	if len(s) != 1 || s[0].Host != "127.0.0.1" || s[0].Port != 8649 || s[0].McastJoin != "" {
		t.Errorf("send channels %+v, want unicast 127.0.0.1:8649", s)
	}
	if len(c.UDPRecv) != 1 || c.UDPRecv[0].Port != 8649 || c.UDPRecv[0].McastJoin != "" || c.UDPRecv[0].Bind != "" {
		t.Errorf("recv channels %+v", c.UDPRecv)
	}
	if len(c.TCPAccept) != 1 || c.TCPAccept[0].Port != 8649 {
		t.Errorf("accept channels %+v", c.TCPAccept)
	}
	if len(c.Modules) != 0 {
		t.Errorf("default lists modules")
	}
	// Default returns a fresh value each time.
	c.Groups[0].Metrics[0].Name = "changed"
	if Default().Groups[0].Metrics[0].Name != "heartbeat" {
		t.Errorf("Default shares state between calls")
	}
}

// stripPos clears what a dump does not carry back: positions, warnings
// and the list of files.
func stripPos(c *Config) *Config {
	cp := *c
	cp.Warnings, cp.Files = nil, nil
	cp.UDPSend = append([]UDPSend(nil), c.UDPSend...)
	for i := range cp.UDPSend {
		cp.UDPSend[i].Pos = Pos{}
	}
	cp.UDPRecv = append([]UDPRecv(nil), c.UDPRecv...)
	for i := range cp.UDPRecv {
		cp.UDPRecv[i].Pos, cp.UDPRecv[i].ACL = Pos{}, stripACL(cp.UDPRecv[i].ACL)
	}
	cp.TCPAccept = append([]TCPAccept(nil), c.TCPAccept...)
	for i := range cp.TCPAccept {
		cp.TCPAccept[i].Pos, cp.TCPAccept[i].ACL = Pos{}, stripACL(cp.TCPAccept[i].ACL)
	}
	cp.Groups = append([]CollectionGroup(nil), c.Groups...)
	for i := range cp.Groups {
		g := &cp.Groups[i]
		g.Pos = Pos{}
		g.Metrics = append([]GroupMetric(nil), g.Metrics...)
		for j := range g.Metrics {
			g.Metrics[j].Pos = Pos{}
		}
	}
	cp.Modules = append([]Module(nil), c.Modules...)
	for i := range cp.Modules {
		cp.Modules[i].Pos = Pos{}
	}
	return &cp
}

func stripACL(a *ACL) *ACL {
	if a == nil {
		return nil
	}
	cp := *a
	cp.Pos = Pos{}
	cp.Access = append([]Access(nil), a.Access...)
	for i := range cp.Access {
		cp.Access[i].Pos = Pos{}
	}
	return &cp
}

// roundTrip checks that Dump's text parses back to the same values.
func roundTrip(t *testing.T, c *Config) {
	t.Helper()
	text := dump(t, c)
	back, err := parse("dump.conf", text, testOptions(memFS{}, "linux"))
	if err != nil {
		t.Fatalf("dump does not parse: %v\n%s", err, text)
	}
	if a, b := stripPos(c), stripPos(back); !reflect.DeepEqual(a, b) {
		t.Fatalf("dump changes the config:\n%+v\n%+v\n%s", a, b, text)
	}
}

func TestDumpRoundTrip(t *testing.T) {
	roundTrip(t, Default())
	inc, err := Load("testdata/include/main.conf")
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, inc)
	roundTrip(t, mustParse(t, `globals { tags = "q\"b\\s$x\x01\n${GANGLIA_CLUSTER}" }
udp_recv_channel { port = 0 acl { default = deny access { ip = 10.1 action = allow } access { ip = ::1 mask = 128 action = deny } } }
modules { module { name = m param p { value = "v" } } }
collection_group { collect_once = yes collect_every = 0 metric { name_match = "^a" value_threshold = 1e-7 } }`))
	t.Run("debian", func(t *testing.T) { roundTrip(t, loadDebian(t)) })
}
