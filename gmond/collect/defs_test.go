package collect

import (
	"bufio"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// capturedMeta is one metric as stock gmond 3.7.2 announced it at start-up.
type capturedMeta struct {
	typ, units string
	slope      xdr.Slope
	tmax, dmax uint32
	extra      [][2]string
	valueID    string // id of the value message that followed
	fmt        string
}

var (
	reStr   = regexp.MustCompile(`'(\w+)': '([^']*)'`)
	reInt   = regexp.MustCompile(`'(\w+)': (\d+)`)
	reExtra = regexp.MustCompile(`\('(\w+)', '([^']*)'\)`)
)

// readCapture parses the decoded start-up packets (one Python dict a line).
func readCapture(t *testing.T) (map[string]*capturedMeta, []string) {
	t.Helper()
	f, err := os.Open("testdata/gmond_startup_packets.decoded.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[string]*capturedMeta)
	var order []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		s := map[string]string{}
		for _, m := range reStr.FindAllStringSubmatch(line, -1) {
			s[m[1]] = m[2]
		}
		n := map[string]uint32{}
		for _, m := range reInt.FindAllStringSubmatch(line, -1) {
			v, _ := strconv.ParseUint(m[2], 10, 32)
			n[m[1]] = uint32(v)
		}
		name := s["name"]
		if s["id"] == "gmetadata_full" {
			cm := &capturedMeta{typ: s["type"], units: s["units"], slope: xdr.Slope(n["slope"]), tmax: n["tmax"], dmax: n["dmax"]}
			for _, m := range reExtra.FindAllStringSubmatch(line, -1) {
				cm.extra = append(cm.extra, [2]string{m[1], m[2]})
			}
			out[name] = cm
			order = append(order, name)
		} else if cm := out[name]; cm != nil {
			cm.valueID, cm.fmt = s["id"], s["fmt"]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out, order
}

// valueIDs names the value messages of the capture's decoder.
var valueIDs = map[xdr.MsgID]string{
	xdr.IDUShort: "gmetric_ushort", xdr.IDShort: "gmetric_short", xdr.IDInt: "gmetric_int",
	xdr.IDUInt: "gmetric_uint", xdr.IDString: "gmetric_string", xdr.IDFloat: "gmetric_float",
	xdr.IDDouble: "gmetric_double",
}

// TestDefsMatchStockCapture checks every metric stock gmond 3.7.2 sent at
// start-up (with Debian's gmond.conf) against our Def:
// type, units (the single space of load_* and proc_* included), slope,
// tmax, dmax, TITLE/DESC/GROUP in that order, and the value message's type
// and format.
func TestDefsMatchStockCapture(t *testing.T) {
	captured, order := readCapture(t)
	if len(order) != 34 {
		t.Fatalf("capture holds %d metrics, want the 34 of Debian's default groups", len(order))
	}
	for _, name := range order {
		cm := captured[name]
		d, ok := Lookup(name)
		if !ok {
			t.Errorf("%s: stock sends it, we have no Def", name)
			continue
		}
		// Debian's gmond.conf titles each metric as the default
		// configuration does, which is what Def.Title records.
		md := d.Metadata(d.Title)
		if md.Type != cm.typ || md.Units != cm.units || md.Slope != cm.slope || md.TMax != cm.tmax || md.DMax != cm.dmax {
			t.Errorf("%s: type/units/slope/tmax/dmax = %q %q %v %d %d; stock %q %q %v %d %d", name,
				md.Type, md.Units, md.Slope, md.TMax, md.DMax, cm.typ, cm.units, cm.slope, cm.tmax, cm.dmax)
		}
		var extra [][2]string
		for _, e := range md.Extra {
			extra = append(extra, [2]string{e.Name, e.Data})
		}
		if !slices.Equal(extra, cm.extra) {
			t.Errorf("%s: extras %q; stock %q", name, extra, cm.extra)
		}
		id, _ := d.Type.MsgID()
		if valueIDs[id] != cm.valueID || d.Format != cm.fmt {
			t.Errorf("%s: value %s %q; stock %s %q", name, valueIDs[id], d.Format, cm.valueID, cm.fmt)
		}
	}
}

// stockNames is the `gmond -m` listing of Debian's gmond 3.7.2.
const stockNames = `boottime bytes_in bytes_out cpu_aidle cpu_idle cpu_intr cpu_nice cpu_num
cpu_sintr cpu_speed cpu_steal cpu_system cpu_user cpu_wio disk_free disk_total gexec heartbeat
load_fifteen load_five load_one location machine_type mem_buffers mem_cached mem_free mem_shared
mem_sreclaimable mem_total mtu os_name os_release part_max_used pkts_in pkts_out proc_run
proc_total swap_free swap_total sys_clock`

func TestDefsAreTheStockSet(t *testing.T) {
	want := strings.Fields(stockNames)
	got := defNames(Defs())
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Defs names\n%v\nwant `gmond -m`'s\n%v", got, want)
	}
	for _, d := range Defs() {
		if d.DMax != 0 {
			t.Errorf("%s: dmax %d; gmond's own metrics have 0", d.Name, d.DMax)
		}
		if _, err := d.Type.MsgID(); err != nil {
			t.Errorf("%s: %v", d.Name, err)
		}
	}
	// The metrics of neither the capture nor Debian's groups, from the
	// module tables (PROTOCOL.md §6).
	for _, tt := range []struct {
		name, units, fmt string
		slope            xdr.Slope
		tmax             uint32
	}{
		{"cpu_intr", "%", "%.1f", xdr.SlopeBoth, 90},
		{"cpu_sintr", "%", "%.1f", xdr.SlopeBoth, 90},
		{"cpu_steal", "%", "%.1f", xdr.SlopeBoth, 90},
		{"mem_sreclaimable", "KB", "%.0f", xdr.SlopeBoth, 180},
		{"sys_clock", "s", "%u", xdr.SlopeZero, 1200},
		{"mtu", "", "%u", xdr.SlopeBoth, 1200},
	} {
		d, _ := Lookup(tt.name)
		if d.Units != tt.units || d.Format != tt.fmt || d.Slope != tt.slope || d.TMax != tt.tmax {
			t.Errorf("%s = %+v", tt.name, d)
		}
	}
	// Defs hands out a copy: a caller cannot change the table.
	ds := Defs()
	ds[0].Name = "changed"
	if Defs()[0].Name == "changed" {
		t.Error("Defs returned the table itself")
	}
}

// TestCollectorsCoverStockSet checks that the Linux collectors together
// define every standard metric but the core ones, each exactly once.
func TestCollectorsCoverStockSet(t *testing.T) {
	seen := map[string]string{}
	cs := append(linuxAt(t, "testdata/linux/x86_kvm"), NewCore(t0, false, nil))
	for _, c := range cs {
		for _, d := range c.Defs() {
			if prev, dup := seen[d.Name]; dup {
				t.Errorf("%s defined by %s and %s", d.Name, prev, c.Name())
			}
			seen[d.Name] = c.Name()
			if std, ok := Lookup(d.Name); ok && std != d {
				t.Errorf("%s: collector %s defines %+v, table has %+v", d.Name, c.Name(), d, std)
			}
		}
	}
	for _, d := range Defs() {
		if _, ok := seen[d.Name]; !ok {
			t.Errorf("no collector defines %s", d.Name)
		}
	}
}

func TestForOS(t *testing.T) {
	if got := ForOS("linux", linuxRoot("testdata/linux/x86_kvm"), nil); len(got) != 7 {
		t.Errorf("ForOS(linux) = %d collectors, want 7", len(got))
	}
	if got := ForOS("aix", linuxRoot(t.TempDir()), nil); len(got) == 0 {
		t.Error("ForOS(aix) = no collectors")
	}
	if got := ForOS("plan9", linuxRoot("/"), nil); got != nil {
		t.Errorf("ForOS(plan9) = %v, want none", got)
	}
}
