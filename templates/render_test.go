package templates_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// chassis and data mirror the fields `ganglia-lpm render` documents in the
// template's opening comment; the command's own golden tests render the
// template with its real data type.
type chassis struct {
	SystemType, SystemID, ModelSerial, PartitionName string
	PartitionNumber                                  int
	Source                                           string
}

func (c chassis) String() string { return c.ModelSerial + " from " + c.Source }

type data struct {
	Cluster, Collector, Location, Hostname, Source, Mapping, ModuleDir string
	Port                                                               int
	Identity                                                           chassis
}

func sample() data {
	return data{
		Cluster: "P770-DC1-R05", Port: 8302, Collector: "ganglia", Location: "9117-MMB_0000002",
		Hostname: "lpar1", Source: "managed system", Mapping: "/etc/ganglia/lpm.toml", ModuleDir: "/usr/lib64/ganglia",
		Identity: chassis{"IBM,9117-MMB", "IBM,020000002", "9117-MMB_0000002", "lpar1", 4, "lparcfg"},
	}
}

func render(t *testing.T, text string, d any) (string, error) {
	t.Helper()
	tmpl, err := templates.ParseGmondConf("gmond.conf.tmpl", text)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err = tmpl.Execute(&b, d)
	return b.String(), err
}

// TestGmondConfTemplate reads the rendered default back with the agent's
// parser of stock gmond.conf syntax: the mapping's values land where stock
// gmond takes them from.
func TestGmondConfTemplate(t *testing.T) {
	out, err := render(t, templates.GmondConfTemplate, sample())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "/*\n * gmond.conf for the stock Ganglia 3.7 gmond") {
		t.Errorf("the template's own documentation leaked into the output:\n%.300s", out)
	}
	if strings.Contains(out, ".Cluster") || strings.Contains(out, "{{") {
		t.Errorf("output still holds template text")
	}
	c, err := conf.Parse("gmond.conf", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if c.Cluster.Name != "P770-DC1-R05" || c.Host.Location != "9117-MMB_0000002" {
		t.Errorf("cluster %q location %q", c.Cluster.Name, c.Host.Location)
	}
	if len(c.UDPSend) != 1 || c.UDPSend[0].Host != "ganglia" || c.UDPSend[0].Port != 8302 {
		t.Errorf("send channels %+v, want one to ganglia:8302", c.UDPSend)
	}
	g := c.Globals
	if !g.Deaf || g.Mute || g.SendMetadataInterval != time.Minute || len(c.UDPRecv)+len(c.TCPAccept) != 0 {
		t.Errorf("not a unicast sender: %+v, %d recv, %d accept", g, len(c.UDPRecv), len(c.TCPAccept))
	}
	if g.ModuleDir != "/usr/lib64/ganglia" {
		t.Errorf("module_dir %q", g.ModuleDir)
	}
	if len(c.Modules) != 8 || len(c.Groups) != 10 {
		t.Errorf("%d modules and %d collection groups, want stock's 8 and 10", len(c.Modules), len(c.Groups))
	}
}

func TestGmondConfTemplateDefaultEntry(t *testing.T) {
	d := sample()
	d.Location, d.Source, d.Cluster, d.ModuleDir = "", "default", "Unmapped", ""
	out, err := render(t, templates.GmondConfTemplate, d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "location = \"unspecified\"\n") {
		t.Error("an unknown chassis should keep stock's location \"unspecified\"")
	}
	if strings.Contains(out, "module_dir =") {
		t.Error("module_dir written although no module directory was found")
	}
}

func TestGmondConfTemplateNeedsCollector(t *testing.T) {
	d := sample()
	d.Collector = ""
	if _, err := render(t, templates.GmondConfTemplate, d); err == nil || !strings.Contains(err.Error(), "no collector") {
		t.Errorf("got %v, want the required collector error", err)
	}
}

// A custom template with a misspelt field must fail, not write "<no value>".
func TestGmondConfTemplateUnknownField(t *testing.T) {
	if out, err := render(t, "name = {{.Clutser}}", sample()); err == nil {
		t.Errorf("rendered %q", out)
	}
	if out, err := render(t, "name = {{.Clutser}}", map[string]any{"Cluster": "x"}); err == nil {
		t.Errorf("map data: rendered %q", out)
	}
}

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"P770-DC1-R05", `"P770-DC1-R05"`},
		{`say "hi"`, `"say \"hi\""`},
		{`C:\gmond`, `"C:\\gmond"`},
		{"${HOME}", `"\${HOME}"`},
		{"two\nlines\ttab", `"two\nlines\ttab"`},
		{"", `""`},
	}
	for _, c := range cases {
		got, err := render(t, "{{quote .}}", c.in)
		if err != nil || got != c.want {
			t.Errorf("quote %q = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	if got, err := render(t, "{{quote .}}", "bell\a"); err == nil {
		t.Errorf("a control character was written: %s", got)
	}
}

// FuzzQuote checks that a quoted value reads back unchanged with the
// agent's libconfuse-compatible parser (escapes and ${VAR} expansion as
// stock gmond's libconfuse does them).
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"plain", `a"b\c`, "${HOME}", "$", `\$`, "x\ny", "}{#/*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := render(t, "cluster { name = {{quote .}} }", s)
		if err != nil {
			return // control characters are refused
		}
		c, err := conf.Parse("fuzz.conf", []byte(q))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if c.Cluster.Name != s {
			t.Fatalf("%s read back as %q, want %q", q, c.Cluster.Name, s)
		}
	})
}
