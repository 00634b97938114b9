package rrdstore

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden differential data: for a few small cases, rrdtool's base file,
// the update calls with rrdtool's result for each, and rrdtool's final
// file, recorded under testdata/golden/<case>/. The byte-exact check then
// also runs from recorded data. Refresh with
//
//	go test -run TestGolden ./rrdstore -rrd.update-golden
var updateGolden = flag.Bool("rrd.update-golden", false, "re-record testdata/golden with rrdtool")

type goldenCall struct {
	Args []string `json:"args"`
	Err  string   `json:"err,omitempty"` // rrdtool's message after the file name; "" = success
}

type goldenCase struct {
	Step  uint64       `json:"step"`
	Start int64        `json:"start"`
	Defs  []string     `json:"defs"`
	Calls []goldenCall `json:"calls"`
}

var goldenNames = []string{"difftest.sh", "counter", "derive", "partial", "subsecond", "specials"}

func TestGolden(t *testing.T) {
	if *updateGolden {
		recordGolden(t)
	}
	for _, name := range goldenNames {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("testdata", "golden", name)
			raw, err := os.ReadFile(filepath.Join(dir, "calls.json"))
			if err != nil {
				t.Fatalf("%v (record with -rrd.update-golden)", err)
			}
			var gc goldenCase
			if err := json.Unmarshal(raw, &gc); err != nil {
				t.Fatal(err)
			}
			b, want := filepath.Join(t.TempDir(), "b.rrd"), filepath.Join(t.TempDir(), "want.rrd")
			nativeCopy(t, filepath.Join(dir, "base.rrd"), b)
			nativeCopy(t, filepath.Join(dir, "want.rrd"), want)
			for k, c := range gc.Calls {
				err := Update(b, c.Args...)
				var got string
				if err != nil {
					got = strings.TrimPrefix(err.Error(), b+": ")
				}
				if got != c.Err {
					t.Errorf("call %d %q: error %q, recorded %q", k, c.Args, got, c.Err)
				}
			}
			if d := compareFiles(t, want, b); d != "" {
				t.Errorf("final file differs from rrdtool's: %s", d)
			}
		})
	}
}

// nativeCopy copies a golden file (recorded little-endian on x86-64) and
// byte-swaps it on a big-endian machine.
func nativeCopy(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if isBigEndian() {
		data = swapEndian(data)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func recordGolden(t *testing.T) {
	p := startRRDPipe(t)
	cases := map[string]diffCase{}
	for _, c := range append(handCases(), difftestCase()) {
		cases[c.name] = c
	}
	for _, name := range goldenNames {
		c := cases[name]
		dir := filepath.Join("testdata", "golden", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		base, want := filepath.Join(dir, "base.rrd"), filepath.Join(dir, "want.rrd")
		os.Remove(base)
		args := append([]string{"create", base, "--step", itoa(c.step), "--start", itoa(c.start)}, c.defs...)
		if _, err := p.run(t, args...); err != nil {
			t.Fatal(err)
		}
		copyFile(t, base, want)
		gc := goldenCase{Step: c.step, Start: c.start, Defs: c.defs}
		for _, call := range c.calls {
			_, err := p.run(t, append([]string{"update", want}, call...)...)
			g := goldenCall{Args: call}
			if err != nil {
				g.Err = strings.TrimPrefix(err.Error(), want+": ")
			}
			gc.Calls = append(gc.Calls, g)
		}
		raw, err := json.MarshalIndent(gc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "calls.json"), append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func itoa[T int64 | uint64](v T) string {
	raw, _ := json.Marshal(v)
	return string(raw)
}
