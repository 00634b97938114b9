package statefile

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// testGrid returns a grid with one cluster and one host that has a
// metric with metadata and a value, plus one move.
func testGrid(t *testing.T) *grid.Grid {
	t.Helper()
	g := grid.New(grid.DefaultOptions())
	g.SetClusters([]grid.ClusterSpec{{Name: "P550", Port: 8301}, {Name: "P770", Port: 8302}})
	src := netip.MustParseAddr("10.0.0.5")
	mid := xdr.MetricID{Host: "lpar-a", Name: "temp"}
	send := func(port int, b []byte, err error, at time.Time) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		m, err := xdr.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		g.Handle(port, &m, src, at)
	}
	md := &xdr.Metadata{Type: "float", Name: "temp", Units: "C", Slope: xdr.SlopeBoth, TMax: 60,
		Extra: []xdr.Extra{{Name: "GROUP", Data: "env"}}}
	b, err := xdr.AppendMetadata(nil, mid, md)
	send(8301, b, err, t0)
	b, err = xdr.AppendValue(nil, xdr.IDFloat, mid, &xdr.Value{Fmt: "%.1f", F32: 21.5})
	send(8301, b, err, t0)
	b, err = xdr.AppendValue(nil, xdr.IDFloat, mid, &xdr.Value{Fmt: "%.1f", F32: 22.5})
	send(8302, b, err, t0.Add(2*time.Minute)) // a move to P770
	return g
}

func clusterXML(t *testing.T, g *grid.Grid, port int, now time.Time) string {
	t.Helper()
	var buf bytes.Buffer
	if err := g.WriteClusterXML(&buf, port, now); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestSaveLoadRoundTrip(t *testing.T) {
	g := testGrid(t)
	path := filepath.Join(t.TempDir(), "gmetad-lpm.state")
	if err := Save(path, g.Export()); err != nil {
		t.Fatal(err)
	}
	// Saving again replaces the file and leaves no temporary behind.
	if err := Save(path, g.Export()); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the state file", len(ents))
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	g2 := grid.New(grid.DefaultOptions())
	g2.SetClusters(g.Clusters())
	if n := g2.Import(d, t0.Add(3*time.Minute)); n != 1 {
		t.Fatalf("Import = %d hosts, want 1", n)
	}
	now := t0.Add(3 * time.Minute)
	for _, port := range []int{8301, 8302} {
		if got, want := clusterXML(t, g2, port, now), clusterXML(t, g, port, now); got != want {
			t.Errorf("port %d after Load:\n%s\nwant:\n%s", port, got, want)
		}
	}
	if got := g2.Moves(); len(got) != 1 || got[0].From != "P550" || got[0].To != "P770" {
		t.Errorf("moves after Load = %+v", got)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gz := func(s string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(s))
		zw.Close()
		return buf.Bytes()
	}
	good := filepath.Join(dir, "good")
	if err := Save(good, testGrid(t).Export()); err != nil {
		t.Fatal(err)
	}
	full, _ := os.ReadFile(good)
	tests := []struct {
		name string
		path string
		want error
	}{
		{"missing", filepath.Join(dir, "nope"), fs.ErrNotExist},
		{"not gzip", write("plain", []byte(`{"version":1}`)), ErrCorrupt},
		{"not json", write("junk", gz("hello")), ErrCorrupt},
		{"truncated", write("cut", full[:len(full)/2]), ErrCorrupt},
		{"no trailer", write("trailer", full[:len(full)-4]), ErrCorrupt},
		{"newer version", write("v2", gz(`{"version":2,"grid":{"clusters":[]}}`)), ErrVersion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path)
			if !errors.Is(err, tc.want) {
				t.Errorf("Load = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSaveUnwritableDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing-dir", "state")
	if err := Save(path, grid.GridDump{}); err == nil {
		t.Fatal("Save into a missing directory succeeded")
	}
}
