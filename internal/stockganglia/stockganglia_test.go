package stockganglia

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"
)

const waitTimeout = 10 * time.Second

func TestStockCollectorSeesGmetric(t *testing.T) {
	t.Parallel()
	col := StartCollector(t, CollectorOptions{
		Cluster: ClusterInfo{Name: "unit", Owner: "Unit Owner"},
		Tags:    "unit-tag",
	})
	gm := NewGmetric(t, GmetricOptions{Channels: []string{col.Addr}})
	gm.Run(t, "-n", "unit_temp", "-v", "21.5", "-t", "float", "-u", "C",
		"-s", "both", "-x", "120", "-d", "600", "-g", "env", "-T", "Unit Temp", "-D", "a float")
	gm.Run(t, "-n", "unit_spoofed", "-v", "7", "-t", "uint32", "-S", "10.1.2.3:spoofed.example.com")

	doc := col.WaitFor(t, waitTimeout, func(d *Doc) error {
		if err := HasMetric("spoofed.example.com", "unit_spoofed")(d); err != nil {
			return err
		}
		c := d.Cluster("unit")
		if c == nil || c.HostByIP("127.0.0.1") == nil || c.HostByIP("127.0.0.1").Metric("unit_temp") == nil {
			return fmt.Errorf("no unit_temp from 127.0.0.1 yet")
		}
		return nil
	})
	if doc.Source != "gmond" || doc.Version != "3.7.2" {
		t.Errorf("GANGLIA_XML SOURCE=%q VERSION=%q, want gmond 3.7.2", doc.Source, doc.Version)
	}
	c := doc.Cluster("unit")
	if c.Owner != "Unit Owner" || c.LatLong != "unspecified" || c.LocalTime == 0 {
		t.Errorf("cluster = %+v", *c)
	}
	h := c.HostByIP("127.0.0.1")
	if h.Tags != "unit-tag" || h.TMAX != 20 || h.DMAX != 86400 || h.Reported == 0 {
		t.Errorf("host = %+v", *h)
	}
	got := *h.Metric("unit_temp")
	want := Metric{Name: "unit_temp", Val: "21.5", Type: "float", Units: "C", TN: got.TN,
		TMAX: 120, DMAX: 600, Slope: "both",
		Extra: []Extra{{"TITLE", "Unit Temp"}, {"DESC", "a float"}, {"GROUP", "env"}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("metric\n got %+v\nwant %+v", got, want)
	}
	sp := doc.Host("spoofed.example.com")
	if sp.IP != "10.1.2.3" {
		t.Errorf("spoofed host IP = %q, want 10.1.2.3", sp.IP)
	}
	if v, _ := sp.Metric("unit_spoofed").ExtraVal("SPOOF_HOST"); v != "10.1.2.3:spoofed.example.com" {
		t.Errorf("SPOOF_HOST = %q", v)
	}
}

func TestStockSenderBindAndOverride(t *testing.T) {
	t.Parallel()
	col := StartCollector(t, CollectorOptions{})
	// Two senders: one with a fixed source address, one spoofing its name.
	StartSender(t, SenderOptions{Channels: []string{col.Addr}, Bind: "127.0.0.2", Location: "rack1"})
	StartSender(t, SenderOptions{Channels: []string{col.Addr}, OverrideHostname: "lpar01.example.com"})
	doc := col.WaitFor(t, waitTimeout, func(d *Doc) error {
		c := d.Cluster("stockganglia")
		if c == nil {
			return fmt.Errorf("no cluster")
		}
		for _, ip := range []string{"127.0.0.2", "lpar01.example.com"} {
			h := c.HostByIP(ip)
			if h == nil || h.Metric("cpu_num") == nil || h.Metric("load_one") == nil || h.GmondStarted == 0 {
				return fmt.Errorf("host %s not complete yet", ip)
			}
		}
		return nil
	})
	c := doc.Cluster("stockganglia")
	if loc := c.HostByIP("127.0.0.2").Location; loc != "rack1" {
		t.Errorf("LOCATION = %q, want rack1", loc)
	}
	if name := c.HostByIP("lpar01.example.com").Name; name != "lpar01.example.com" {
		t.Errorf("override host NAME = %q", name)
	}
	if c.HostByIP("127.0.0.1") != nil {
		t.Errorf("a sender appeared under its real source address 127.0.0.1")
	}
}

func TestStockGmetadPollsCollector(t *testing.T) {
	t.Parallel()
	col := StartCollector(t, CollectorOptions{Cluster: ClusterInfo{Name: "polled"}})
	gm := NewGmetric(t, GmetricOptions{Channels: []string{col.Addr}})
	gm.Run(t, "-n", "unit_gauge", "-v", "42", "-t", "int32", "-S", "10.0.0.9:node9")
	col.WaitFor(t, waitTimeout, HasMetric("node9", "unit_gauge"))

	// The first poll happens at start-up, so the metric is there at once.
	gd := StartGmetad(t, GmetadOptions{
		DataSources: []DataSource{{Name: "polled", Step: 5, Addrs: []string{col.Addr}}},
		Gridname:    "UnitGrid",
		RRAs:        []string{"RRA:AVERAGE:0.5:1:100"},
	})
	doc := gd.WaitFor(t, waitTimeout, HasMetric("node9", "unit_gauge"))
	if doc.Source != "gmetad" {
		t.Errorf("SOURCE = %q, want gmetad", doc.Source)
	}
	grid := doc.Grid("UnitGrid")
	if grid == nil || len(grid.Clusters) != 1 || grid.Clusters[0].Name != "polled" {
		t.Fatalf("grid = %+v", grid)
	}
	m := doc.Host("node9").Metric("unit_gauge")
	if m.Val != "42" || m.Type != "int32" || m.Source != "gmond" {
		t.Errorf("metric = %+v", *m)
	}
	WaitForFile(t, gd.RRDPath("polled", "node9", "unit_gauge"), waitTimeout)

	ans := gd.Query(t, "/polled/node9")
	hd, err := ParseXML(ans)
	if err != nil {
		t.Fatal(err)
	}
	if hd.Host("node9") == nil {
		t.Errorf("interactive /polled/node9 has no node9:\n%s", ans)
	}
	sum, err := ParseXML(gd.Query(t, "/polled?filter=summary"))
	if err != nil {
		t.Fatal(err)
	}
	if c := sum.Cluster("polled"); c == nil || c.HostsSummary == nil || c.HostsSummary.Up != 1 || c.Summary("unit_gauge") == nil {
		t.Errorf("summary = %+v", sum)
	}
}

func TestStockParseXMLLatin1Gzip(t *testing.T) {
	t.Parallel()
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" standalone=\"yes\"?>\n" +
		"<!DOCTYPE GANGLIA_XML [\n   <!ELEMENT GANGLIA_XML (GRID|CLUSTER|HOST)*>\n]>\n" +
		"<GANGLIA_XML VERSION=\"3.7.2\" SOURCE=\"gmond\">\n" +
		"<CLUSTER NAME=\"M\xfcnchen\" LOCALTIME=\"5\">\n" +
		"<HOST NAME=\"h\" IP=\"1.2.3.4\" REPORTED=\"4\" TN=\"1\" TMAX=\"20\" DMAX=\"0\" GMOND_STARTED=\"-7\">\n" +
		"<METRIC NAME=\"s\" VAL=\"a&lt;b&#09;\" TYPE=\"string\" UNITS=\"\" TN=\"1\" TMAX=\"60\" DMAX=\"0\" SLOPE=\"zero\">\n" +
		"<EXTRA_DATA>\n<EXTRA_ELEMENT NAME=\"GROUP\" VAL=\"g\"/>\n</EXTRA_DATA>\n</METRIC>\n</HOST>\n</CLUSTER>\n</GANGLIA_XML>\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(doc))
	zw.Close()
	for name, b := range map[string][]byte{"plain": []byte(doc), "gzip": gz.Bytes()} {
		d, err := ParseXML(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := d.Cluster("München")
		if c == nil {
			t.Fatalf("%s: no cluster München in %+v", name, d)
		}
		h := c.Host("h")
		if h == nil || h.GmondStarted != -7 || h.Metric("s").Val != "a<b\t" {
			t.Errorf("%s: host = %+v", name, h)
		}
		if v, ok := h.Metric("s").ExtraVal("GROUP"); !ok || v != "g" {
			t.Errorf("%s: GROUP = %q, %v", name, v, ok)
		}
	}
	if _, err := ParseXML([]byte("<OTHER/>")); err == nil {
		t.Errorf("a document without GANGLIA_XML parsed")
	}
}

// fatalRecorder is a testing.TB whose Fatalf only records the message.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
}

func TestStockMissingBinaryFails(t *testing.T) {
	t.Parallel()
	rec := &fatalRecorder{TB: t}
	binary(rec, "no-such-ganglia-program")
	if !strings.Contains(rec.msg, "make deps") {
		t.Errorf("missing binary message = %q, want a hint to run make deps", rec.msg)
	}
}

func TestStockFreePortDistinct(t *testing.T) {
	t.Parallel()
	seen := map[int]bool{}
	for range 20 {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("FreePort returned %d twice", p)
		}
		seen[p] = true
	}
}
