package lpar

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// t0 is an arbitrary wall clock for the first read of a sequence.
var t0 = time.Date(2025, 6, 12, 14, 0, 0, 0, time.UTC)

// fixture returns the machine root testdata/<parts...>.
func fixture(parts ...string) sysroot.Root {
	return sysroot.New(filepath.Join(append([]string{"testdata"}, parts...)...))
}

// testLogger returns a logger writing text lines into the returned buffer.
func testLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, nil)), &buf
}

// collect calls c.Collect and returns the readings formatted with each
// metric's printf format, as gmond renders them: the precision the
// expected-value files give. It fails the test on an error, a reading the
// collector did not declare, or a metric reported twice.
func collect(t *testing.T, c metric.Collector, now time.Time) map[string]string {
	t.Helper()
	rs, err := c.Collect(now)
	if err != nil {
		t.Fatalf("%s: Collect: %v", c.Name(), err)
	}
	return format(t, c.Defs(), rs)
}

func format(t *testing.T, defs []metric.Def, rs []metric.Reading) map[string]string {
	t.Helper()
	byName := map[string]metric.Def{}
	for _, d := range defs {
		byName[d.Name] = d
	}
	out := map[string]string{}
	for _, r := range rs {
		d, ok := byName[r.Name]
		if !ok {
			t.Fatalf("reading %q is not among the collector's Defs", r.Name)
		}
		if _, dup := out[r.Name]; dup {
			t.Fatalf("metric %q reported twice", r.Name)
		}
		out[r.Name] = render(d, r.Value)
	}
	return out
}

func render(d metric.Def, v metric.Value) string {
	switch d.Type {
	case metric.String:
		return v.Str
	case metric.Float, metric.Double:
		return fmt.Sprintf(d.Format, v.Num)
	}
	return fmt.Sprintf(d.Format, int64(v.Num))
}

// check compares got against want (name → rendered value) and asserts that
// every name in absent is missing.
func check(t *testing.T, label string, got, want map[string]string, absent []string) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s missing, want %q", label, name, w)
		} else if g != w {
			t.Errorf("%s: %s = %q, want %q", label, name, g, w)
		}
	}
	for _, name := range absent {
		if g, ok := got[name]; ok {
			t.Errorf("%s: %s = %q, want it absent", label, name, g)
		}
	}
}

// lines counts the log lines that contain s.
func lines(buf *bytes.Buffer, s string) int {
	n := 0
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// sysrootWith returns a root at dir holding one file name with content.
func sysrootWith(t *testing.T, dir, name, content string) sysroot.Root {
	t.Helper()
	r := sysroot.New(dir)
	p := r.Path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}
