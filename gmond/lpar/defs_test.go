package lpar

import (
	"bytes"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func defByName(t *testing.T, goos, name string) metric.Def {
	t.Helper()
	for _, d := range defsFor(goos) {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no definition of %s", name)
	return metric.Def{}
}

// TestDefsMatchPerzlTable checks every definition against the module's
// metric table, transcribed in testdata/ganglia/mod_ibmpower_metrics.tsv.
func TestDefsMatchPerzlTable(t *testing.T) {
	raw, err := os.ReadFile("testdata/ganglia/mod_ibmpower_metrics.tsv")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) < 7 || f[0] == "name" {
			continue
		}
		rows++
		tmax, err := strconv.Atoi(f[1])
		if err != nil {
			t.Fatalf("%s: tmax %q", f[0], f[1])
		}
		descs := strings.Split(f[6], " / ") // oslevel: "AIX wording / Linux wording"
		for i, goos := range []string{"aix", "linux"} {
			d := defByName(t, goos, f[0])
			want := fmt.Sprint(tmax, f[2], f[3], f[4], f[5], descs[min(i, len(descs)-1)], Group, uint32(0))
			got := fmt.Sprint(int(d.TMax), string(d.Type), d.Units, d.Slope, d.Format, d.Desc, d.Group, d.DMax)
			if got != want {
				t.Errorf("%s on %s:\n got  %s\n want %s", f[0], goos, got, want)
			}
			if len(d.Name) > 15 {
				t.Errorf("%s: longer than Ganglia_25metric's 16-byte name", d.Name)
			}
		}
	}
	if rows != len(table) || rows != len(Defs()) {
		t.Errorf("table has %d rows, Defs %d, tsv %d", len(table), len(Defs()), rows)
	}
}

// TestDefsCoverCollectionGroups checks that every metric the module's
// shipped collection groups name is defined.
func TestDefsCoverCollectionGroups(t *testing.T) {
	raw, err := os.ReadFile("testdata/ganglia/ibmpower.conf_collection_groups.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(raw), "\n") {
		_, names, ok := strings.Cut(line, " : ")
		if strings.HasPrefix(line, "#") || !ok {
			continue
		}
		for _, name := range strings.Fields(names) {
			name, _, _ = strings.Cut(name, "(")
			defByName(t, "linux", name)
			n++
		}
	}
	if n != len(table) {
		t.Errorf("collection groups name %d metrics, the table has %d", n, len(table))
	}
}

// TestDefsMatchXMLSnippet compares the gmond XML shape of an LPAR host with
// what the definitions produce.
func TestDefsMatchXMLSnippet(t *testing.T) {
	raw, err := os.ReadFile("testdata/ganglia/gmond_xml_lpar_host_snippet.xml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metrics []struct {
			Name  string `xml:"NAME,attr"`
			Type  string `xml:"TYPE,attr"`
			Units string `xml:"UNITS,attr"`
			TMax  uint32 `xml:"TMAX,attr"`
			DMax  uint32 `xml:"DMAX,attr"`
			Slope string `xml:"SLOPE,attr"`
			Extra []struct {
				Name string `xml:"NAME,attr"`
				Val  string `xml:"VAL,attr"`
			} `xml:"EXTRA_DATA>EXTRA_ELEMENT"`
		} `xml:"CLUSTER>HOST>METRIC"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Metrics) != 3 {
		t.Fatalf("snippet has %d metrics, want 3", len(doc.Metrics))
	}
	for _, m := range doc.Metrics {
		d := defByName(t, "aix", m.Name)
		if m.Type != string(d.Type) || m.Units != d.Units || m.TMax != d.TMax || m.DMax != d.DMax || m.Slope != d.Slope.String() {
			t.Errorf("%s: XML %+v, def %+v", m.Name, m, d)
		}
		// The titles are those of the module's ibmpower.conf collection
		// groups, which is where gmond takes a TITLE from.
		md := d.Metadata(d.Title)
		for _, e := range m.Extra {
			found := false
			for _, x := range md.Extra {
				found = found || x == xdr.Extra{Name: e.Name, Data: e.Val}
			}
			if !found {
				t.Errorf("%s: extra %s=%q not in metadata %v", m.Name, e.Name, e.Val, md.Extra)
			}
		}
	}
}

// readHexPackets reads the packets of a hexdump file: "0000  <hex>" starts
// a packet, later offsets continue it, "#" lines are comments.
func readHexPackets(t *testing.T, path string) [][]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, line := range strings.Split(string(raw), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(f[1])
		if err != nil {
			t.Fatalf("%s: %q: %v", path, line, err)
		}
		if f[0] == "0000" {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], b...)
	}
	return out
}

// TestXDRPacketsCPUUsed encodes cpu_used's metadata and a value from the
// definitions and compares them byte for byte with the reference packets.
func TestXDRPacketsCPUUsed(t *testing.T) {
	pkts := readHexPackets(t, "testdata/ganglia/xdr_packets_cpu_used.hex.txt")
	if len(pkts) != 3 || len(pkts[0]) != 188 || len(pkts[1]) != 48 || len(pkts[2]) != 160 {
		t.Fatalf("read %d packets", len(pkts))
	}
	d := defByName(t, "aix", mCPUUsed)
	id := xdr.MetricID{Host: "aixlpar01", Name: d.Name}

	md := d.Metadata(d.Title) // the title ibmpower.conf gives cpu_used
	// Stock gmond sends TITLE, DESC, GROUP (Def.Metadata's order); the
	// reference encoder put GROUP first. Same extras, other order.
	want := []xdr.Extra{{Name: "GROUP", Data: Group}, {Name: "TITLE", Data: "Physical Cores Used"},
		{Name: "DESC", Data: "Number of physical cores used"}}
	if len(md.Extra) != 3 || md.Extra[0] != want[1] || md.Extra[1] != want[2] || md.Extra[2] != want[0] {
		t.Fatalf("extras %v", md.Extra)
	}
	md.Extra = want
	got, err := xdr.AppendMetadata(nil, id, &md)
	if err != nil || !bytes.Equal(got, pkts[0]) {
		t.Errorf("metadata (%v):\n got  %x\n want %x", err, got, pkts[0])
	}

	msgID, v, err := d.XDR(metric.Num(0.4321))
	if err != nil {
		t.Fatal(err)
	}
	got, err = xdr.AppendValue(nil, msgID, id, &v)
	if err != nil || !bytes.Equal(got, pkts[1]) {
		t.Errorf("value (%v):\n got  %x\n want %x", err, got, pkts[1])
	}

	// The spoofed serial_num packet is gmetric-shaped (slope zero, only a
	// GROUP and a SPOOF_HOST extra); check what it shares with the module.
	m, err := xdr.Decode(pkts[2])
	if err != nil {
		t.Fatal(err)
	}
	s := defByName(t, "aix", mSerialNum)
	if m.Metadata.Name != s.Name || m.Metadata.Type != string(s.Type) || m.Metadata.TMax != s.TMax ||
		m.Metadata.Units != s.Units || m.Metadata.Extra[0] != (xdr.Extra{Name: "GROUP", Data: s.Group}) {
		t.Errorf("serial_num packet %+v, def %+v", m.Metadata, s)
	}
}
