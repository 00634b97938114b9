package config

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const stockGmetad = "/usr/sbin/gmetad"

// TestStockRefusesLikeUs runs Debian's gmetad 3.7.2 on files it refuses
// at start-up and checks that Parse refuses them too, with the matching
// kind. Stock exits at the first error; it needs no ports for that.
func TestStockRefusesLikeUs(t *testing.T) {
	if _, err := os.Stat(stockGmetad); err != nil {
		t.Fatalf("stock gmetad 3.7.2 is not installed (%v); run `make deps`", err)
	}
	tests := []struct {
		line  string
		stock string // what stock gmetad prints
		kind  error
	}{
		{"frobnicate 1", "Unknown Config-Option: 'frobnicate'", ErrUnknownDirective},
		{"xml_port", "Missing argument to option 'xml_port'", ErrArgCount},
		{"Include /nonexistent/gmetad.d/x.conf", "for inclusion", ErrUnsupported},
	}
	for _, tt := range tests {
		conf := "data_source \"x\" 127.0.0.1:1\nsetuid off\n" + tt.line + "\n"
		path := filepath.Join(t.TempDir(), "gmetad.conf")
		if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := exec.CommandContext(ctx, stockGmetad, "-c", path, "-d", "1").CombinedOutput()
		timedOut := ctx.Err() != nil
		cancel()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || timedOut || !bytes.Contains(out, []byte(tt.stock)) {
			t.Errorf("%s: stock gmetad: %v, output %q; want an exit with %q", tt.line, err, out, tt.stock)
		}
		if _, _, err := (Parser{}).Parse(path, []byte(conf), DefaultFor("h")); !errors.Is(err, tt.kind) {
			t.Errorf("%s: Parse: %v, want %v", tt.line, err, tt.kind)
		}
	}
}

// TestStockReadsWriteTo gives the stock part of WriteTo's output to
// Debian's gmetad and checks that it starts and serves the grid name and
// authority it read, quotes and escapes included.
func TestStockReadsWriteTo(t *testing.T) {
	root := filepath.Join(t.TempDir(), "rrd root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	c := DefaultFor("h")
	c.DataSources = []DataSource{{Name: `lpm "quoted" #1`, Step: 20, Addrs: []string{"127.0.0.1:1", "localhost:2"}}}
	c.GridName = `LPM grid #1 'x' \ y`
	c.Authority = "http://golden host/ganglia/"
	for i := range 20 { // more than one dotconf line holds
		c.TrustedHosts = append(c.TrustedHosts, "10.0.0."+strconv.Itoa(i+1))
	}
	c.ServerThreads, c.Umask, c.RRDRootDir = 2, 0o22, root
	c.Setuid, c.SetuidUsername = false, "root"
	c.RRAs = []string{"RRA:AVERAGE:0.5:1:244", "RRA:MAX:0.5:24:244"}
	c.CaseSensitiveHostnames, c.UnsummarizedSflowVM = false, true
	c.UnsummarizedMetrics, c.SummarizedMetrics = []string{"diskstat", "CPU"}, []string{"load_one"}
	c.CarbonTimeout, c.MemcachedIncludeClusterInKey = 750*time.Millisecond, true
	checkRoundTrip(t, c)

	g := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "stockganglia", Addrs: []string{"127.0.0.1:1"}}},
		RRDRoot:     root,
		Extra:       stockSubset(writeConfig(t, c)),
	})
	doc := g.Doc(t)
	if len(doc.Grids) != 1 || doc.Grids[0].Name != c.GridName || doc.Grids[0].Authority != c.Authority {
		conf, _ := os.ReadFile(g.ConfPath)
		t.Errorf("stock gmetad serves grids %+v, want NAME=%q AUTHORITY=%q\nconfig:\n%s\nlog:\n%s",
			doc.Grids, c.GridName, c.Authority, conf, g.Log())
	}
}

// stockSubset drops the extension section and the ports, which the
// harness picks, from WriteTo output.
func stockSubset(text []byte) string {
	var b strings.Builder
	for line := range strings.Lines(string(text)) {
		name, _, _ := strings.Cut(line, " ")
		if d := lookupDirective(name); d != nil && (d.ext || d.name == "xml_port" || d.name == "interactive_port") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// TestStockSyntax is a differential test of the dotconf reading: each
// spelling is given to stock gmetad as its gridname, which it serves as
// GRID NAME, and to Parse.
func TestStockSyntax(t *testing.T) {
	t.Setenv("GMETAD_CONFIG_TEST", "/env")
	tests := []struct{ spelling, want string }{
		{`a"b c"d`, "ab cd"},
		{`'it''s'`, "its"},
		{`"x # y"   # trailing comment`, "x # y"},
		{`a\ b\#c`, "a b#c"},
		{`'sq \' esc'`, "sq ' esc"},
		{`${GMETAD_CONFIG_TEST}/g`, "/env/g"},
		{`${GMETAD_CONFIG_UNSET:-dflt}`, "dflt"},
		{`${GMETAD_CONFIG_TEST}${GMETAD_CONFIG_TEST}`, "/env${GMETAD_CONFIG_TEST}"},
		{"first\\\nsecond", "firstsecond"},
		{`x\\\\`, `x\\`}, // the last "\" of a line ending in two is dropped first
		{"x\\\\\\\n", `x\`},
	}
	for _, tt := range tests {
		line := "GridName " + tt.spelling + "\n"
		c, _, err := SystemParser().Parse("s.conf", []byte(line), DefaultFor("h"))
		if err != nil || c.GridName != tt.want {
			t.Errorf("%q: Parse gives %q, %v; want %q", tt.spelling, c.GridName, err, tt.want)
		}
		g := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
			DataSources: []stockganglia.DataSource{{Name: "s", Addrs: []string{"127.0.0.1:1"}}},
			Extra:       line,
		})
		if doc := g.Doc(t); len(doc.Grids) != 1 || doc.Grids[0].Name != tt.want {
			t.Errorf("%q: stock gmetad serves %+v, want GRID NAME %q", tt.spelling, doc.Grids, tt.want)
		}
		g.Stop()
	}
}
