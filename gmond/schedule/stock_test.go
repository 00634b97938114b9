package schedule

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// debianGroups are the collection groups of Debian's /etc/ganglia/gmond.conf
// (and of the sender gmond of the stock capture), in file order.
func debianGroups() []Group {
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	m := func(name, title string, vt float64) Metric {
		return Metric{Name: name, Title: title, ValueThreshold: vt}
	}
	return []Group{
		{Once: true, Every: sec(60), Threshold: sec(20), Metrics: []Metric{m("heartbeat", "", -1)}},
		{Once: true, Every: sec(60), Threshold: sec(1200), Metrics: []Metric{
			m("cpu_num", "CPU Count", -1), m("cpu_speed", "CPU Speed", -1),
			m("mem_total", "Memory Total", -1), m("swap_total", "Swap Space Total", -1),
			m("boottime", "Last Boot Time", -1), m("machine_type", "Machine Type", -1),
			m("os_name", "Operating System", -1), m("os_release", "Operating System Release", -1),
			m("location", "Location", -1)}},
		{Once: true, Every: sec(60), Threshold: sec(300), Metrics: []Metric{m("gexec", "Gexec Status", -1)}},
		{Every: sec(20), Threshold: sec(90), Metrics: []Metric{
			m("cpu_user", "CPU User", 1), m("cpu_system", "CPU System", 1),
			m("cpu_idle", "CPU Idle", 5), m("cpu_nice", "CPU Nice", 1),
			m("cpu_aidle", "CPU aidle", 5), m("cpu_wio", "CPU wio", 1)}},
		{Every: sec(20), Threshold: sec(90), Metrics: []Metric{
			m("load_one", "One Minute Load Average", 1), m("load_five", "Five Minute Load Average", 1),
			m("load_fifteen", "Fifteen Minute Load Average", 1)}},
		{Every: sec(80), Threshold: sec(950), Metrics: []Metric{
			m("proc_run", "Total Running Processes", 1), m("proc_total", "Total Processes", 1)}},
		{Every: sec(40), Threshold: sec(180), Metrics: []Metric{
			m("mem_free", "Free Memory", 1024), m("mem_shared", "Shared Memory", 1024),
			m("mem_buffers", "Memory Buffers", 1024), m("mem_cached", "Cached Memory", 1024),
			m("swap_free", "Free Swap Space", 1024)}},
		{Every: sec(40), Threshold: sec(300), Metrics: []Metric{
			m("bytes_out", "Bytes Sent", 4096), m("bytes_in", "Bytes Received", 4096),
			m("pkts_in", "Packets Received", 256), m("pkts_out", "Packets Sent", 256)}},
		{Every: sec(1800), Threshold: sec(3600), Metrics: []Metric{m("disk_total", "Total Disk Space", 1)}},
		{Every: sec(40), Threshold: sec(180), Metrics: []Metric{
			m("disk_free", "Disk Space Available", 1), m("part_max_used", "Maximum Disk Space Used", 1)}},
	}
}

// captureCollectors rebuilds, from a stock start-up capture, collectors
// that offer the captured metrics (one collector per GROUP, in reverse
// order of first appearance so that binding cannot lean on collector
// order) and read the captured values. Titles are left to the groups.
func captureCollectors(t testing.TB, msgs []xdr.Message) []metric.Collector {
	t.Helper()
	byGroup := map[string]*fake{}
	var order []*fake
	for i := 0; i+1 < len(msgs); i += 2 {
		md, v := msgs[i], msgs[i+1]
		if md.ID != xdr.IDMetadata || !v.ID.IsValue() || md.Name != v.Name {
			t.Fatalf("capture packets %d/%d are not a metadata+value pair", i, i+1)
		}
		d := metric.Def{Name: md.Name, Type: metric.Type(md.Metadata.Type), Units: md.Metadata.Units,
			Slope: md.Metadata.Slope, TMax: md.Metadata.TMax, Format: v.Value.Fmt}
		for _, e := range md.Metadata.Extra {
			switch e.Name {
			case "DESC":
				d.Desc = e.Data
			case "GROUP":
				d.Group = e.Data
			}
		}
		f := byGroup[d.Group]
		if f == nil {
			f = &fake{name: d.Group, vals: map[string]metric.Value{}}
			byGroup[d.Group] = f
			order = append(order, f)
		}
		f.defs = append(f.defs, d)
		f.vals[d.Name] = wireValue(&v)
	}
	var out []metric.Collector
	for i := len(order) - 1; i >= 0; i-- {
		out = append(out, order[i])
	}
	return out
}

func wireValue(m *xdr.Message) metric.Value {
	if m.ID == xdr.IDString {
		return metric.Str(m.Value.Str)
	}
	f, _ := m.Float()
	return metric.Num(f)
}

// TestStartupMatchesStock: with collectors reading what stock gmond read and
// Debian's collection groups, the first Tick sends exactly the datagrams
// stock gmond 3.7.2 sent at start-up, byte for byte: groups in file order,
// metrics in group order, metadata before each value; plain and spoofed
// (override_hostname without override_ip, so no SPOOF_HOST extra either).
func TestStartupMatchesStock(t *testing.T) {
	for _, tc := range []struct{ file, override string }{
		{"stock_startup.hex", ""},
		{"stock_spoofed_startup.hex", "lpar01.example.com"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			raw, msgs := readCapture(t, filepath.Join("testdata", tc.file))
			s, r := newSched(t, Options{Groups: debianGroups(), Collectors: captureCollectors(t, msgs),
				OverrideHostname: tc.override})
			got := r.tick(s, t0)
			if len(got) != len(raw) {
				t.Fatalf("sent %d packets, stock sent %d:\n%s", len(got), len(raw), lines(got))
			}
			for i := range raw {
				if !bytes.Equal(got[i].raw, raw[i]) {
					t.Errorf("packet %d (%s %s):\n got %x\nwant %x", i, got[i].msg.ID, got[i].msg.Name, got[i].raw, raw[i])
				}
			}
		})
	}
}

// TestStartupGolden pins the decoded start-up sequence for the stock
// collectors plus per-interface metrics bound by name_match with a title
// template and a metric that has no value yet.
func TestStartupGolden(t *testing.T) {
	_, msgs := readCapture(t, filepath.Join("testdata", "stock_startup.hex"))
	netif := newFake("netif", def("bytes_in_eth0", metric.Float), def("bytes_in_eth1", metric.Float),
		def("pkts_in_eth0", metric.Float))
	netif.set("bytes_in_eth0", 1234.5)
	delete(netif.vals, "bytes_in_eth1") // no value yet: nothing sent for it
	groups := append(debianGroups(), Group{Every: 40 * time.Second, Threshold: 300 * time.Second,
		Metrics: []Metric{{Match: `^(bytes|pkts)_in_(.+)$`, Title: `\1 received on \2`, ValueThreshold: -1}}})
	s, r := newSched(t, Options{Groups: groups, Collectors: append(captureCollectors(t, msgs), netif)})
	var b strings.Builder
	for _, p := range r.tick(s, t0) {
		b.WriteString(describe(&p.msg))
		b.WriteByte('\n')
	}
	golden(t, "startup.golden", b.String())
}

// describe renders a decoded message on one line, every field named.
func describe(m *xdr.Message) string {
	head := fmt.Sprintf("%s host=%q name=%q spoof=%t", m.ID, m.Host, m.Name, m.Spoof)
	if m.ID == xdr.IDMetadata {
		md := &m.Metadata
		s := fmt.Sprintf("%s type=%s mname=%q units=%q slope=%s tmax=%d dmax=%d", head, md.Type, md.Name,
			md.Units, md.Slope, md.TMax, md.DMax)
		for _, e := range md.Extra {
			s += fmt.Sprintf(" %s=%q", e.Name, e.Data)
		}
		return s
	}
	var v any
	switch m.ID {
	case xdr.IDUShort, xdr.IDUInt:
		v = m.Value.U
	case xdr.IDShort, xdr.IDInt:
		v = m.Value.I
	case xdr.IDFloat:
		v = m.Value.F32
	case xdr.IDDouble:
		v = m.Value.F64
	default:
		v = fmt.Sprintf("%q", m.Value.Str)
	}
	return fmt.Sprintf("%s fmt=%q value=%v", head, m.Value.Fmt, v)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}
