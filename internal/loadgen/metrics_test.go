package loadgen

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// startupCapture is every packet a stock gmond 3.7.2 sent at start-up
// (xdr's golden capture: "unixtime hex" per line).
const startupCapture = "../../xdr/testdata/gmond_startup_packets.hex"

// TestStandardMatchesStockGmond compares the standard table with what a
// stock gmond really sends: metadata field for field (type, units, slope,
// tmax, dmax, TITLE/DESC/GROUP) and the value message kind and format.
func TestStandardMatchesStockGmond(t *testing.T) {
	meta, vals := readCapture(t)
	matched := 0
	for _, m := range append(Metrics(StandardMetrics), heartbeatMetric()) {
		md, ok := meta[m.Name()]
		if !ok {
			t.Logf("%s is not in the capture (not in Debian's gmond.conf)", m.Name())
			continue
		}
		matched++
		if !reflect.DeepEqual(md, m.Meta) {
			t.Errorf("%s metadata\n got %+v\nwant %+v (stock)", m.Name(), m.Meta, md)
		}
		if v := vals[m.Name()]; v.ID != m.ID || v.Value.Fmt != m.Fmt {
			t.Errorf("%s value %v %q, stock sends %v %q", m.Name(), m.ID, m.Fmt, v.ID, v.Value.Fmt)
		}
	}
	// Everything but cpu_steal, which Debian's gmond.conf does not collect;
	// location is left out on purpose (it sets the host's LOCATION).
	if matched != StandardMetrics {
		t.Errorf("%d of %d standard metrics (+heartbeat) found in the capture", matched, StandardMetrics)
	}
}

func readCapture(t *testing.T) (map[string]xdr.Metadata, map[string]xdr.Message) {
	t.Helper()
	f, err := os.Open(startupCapture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	meta, vals := map[string]xdr.Metadata{}, map[string]xdr.Message{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		b, err := hex.DecodeString(fields[1])
		if err != nil {
			t.Fatal(err)
		}
		m, err := xdr.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == xdr.IDMetadata {
			meta[m.Name] = m.Metadata
		} else {
			vals[m.Name] = m
		}
	}
	if len(meta) < 30 {
		t.Fatalf("only %d metadata packets in %s", len(meta), startupCapture)
	}
	return meta, vals
}

func TestMetricsList(t *testing.T) {
	if len(standard) != StandardMetrics {
		t.Fatalf("StandardMetrics = %d, table has %d", StandardMetrics, len(standard))
	}
	ms := Metrics(50)
	for j, want := range []string{"load_one", "cpu_user", "cpu_system", "cpu_idle", "mem_free", "bytes_in", "bytes_out", "pkts_in", "pkts_out"} {
		if ms[j].Name() != want {
			t.Errorf("metric %d = %s, want %s", j, ms[j].Name(), want)
		}
	}
	seen := map[string]bool{}
	for j, m := range ms {
		if seen[m.Name()] {
			t.Errorf("duplicate metric %s", m.Name())
		}
		seen[m.Name()] = true
		if j < StandardMetrics {
			continue
		}
		want := fmt.Sprintf("lg_metric_%03d", j-StandardMetrics)
		if m.Name() != want || m.Meta.Type != "float" || m.ID != xdr.IDFloat || m.Meta.Extra[2] != (xdr.Extra{Name: "GROUP", Data: "loadgen"}) {
			t.Errorf("metric %d = %s %+v, want synthetic %s in GROUP loadgen", j, m.Name(), m.Meta, want)
		}
	}
	if ms[StandardMetrics].Name() != "lg_metric_000" || ms[49].Name() != "lg_metric_016" {
		t.Errorf("synthetic metrics %s...%s, want lg_metric_000...lg_metric_016", ms[StandardMetrics].Name(), ms[49].Name())
	}
	if len(Metrics(0)) != 0 || len(Metrics(3)) != 3 {
		t.Error("Metrics(m) must return m metrics")
	}
}

// TestValues: values are seeded, in range, whole quanta (so wire, VAL text
// and ValueAt agree exactly), constant for slope-zero metrics and varying
// for the others.
func TestValues(t *testing.T) {
	cfg := Config{Hosts: 10, Metrics: 40, Seed: 42, Targets: []Target{{Addr: "127.0.0.1:8649"}}, Now: fixedClock(&t0)}
	g, _ := newRecorded(t, cfg)
	same, _ := newRecorded(t, cfg)
	cfg.Seed = 43
	other, _ := newRecorded(t, cfg)
	differs := 0
	for j, m := range g.Metrics() {
		varies := false
		for i := 0; i < 10; i++ {
			for step := int64(0); step < 50; step++ {
				v, val := g.ValueAt(i, j, step), g.VAL(i, j, step)
				if val != same.VAL(i, j, step) {
					t.Fatalf("%s: same seed, different VAL", m.Name())
				}
				if val != other.VAL(i, j, step) {
					differs++
				}
				if m.ID == xdr.IDString {
					if !math.IsNaN(v) || val != m.Str {
						t.Fatalf("%s = %v %q, want NaN %q", m.Name(), v, val, m.Str)
					}
					continue
				}
				checkNumber(t, &m, v, val)
				varies = varies || v != g.ValueAt(i, j, 0)
			}
		}
		if varies == m.Const && m.ID != xdr.IDString {
			t.Errorf("%s: varies over steps = %v, slope-zero = %v", m.Name(), varies, m.Const)
		}
	}
	if differs == 0 {
		t.Error("another seed gives the same values")
	}
}

func checkNumber(t *testing.T, m *Metric, v float64, val string) {
	t.Helper()
	parsed, err := strconv.ParseFloat(val, 64)
	switch {
	case v < m.Lo || v > m.Hi:
		t.Fatalf("%s = %v outside [%v, %v]", m.Name(), v, m.Lo, m.Hi)
	case v/m.Quantum != math.Trunc(v/m.Quantum):
		t.Fatalf("%s = %v, not a multiple of %v", m.Name(), v, m.Quantum)
	case m.ID == xdr.IDFloat && float64(float32(v)) != v:
		t.Fatalf("%s = %v does not survive float32", m.Name(), v)
	case err != nil || parsed != v:
		t.Fatalf("%s = %v renders as %q with %s", m.Name(), v, val, m.Fmt)
	}
}
