package rrdstore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// T0 is the fixed base time of the hand-picked cases; T0 % 15 == 5 on
// purpose, so the first step after create is partly unknown.
const T0 = 1700000000

// tv builds an update argument "T0+dt:v1:v2…".
func tv(dt int64, vals ...string) string {
	return fmt.Sprintf("%d:%s", T0+dt, strings.Join(vals, ":"))
}

// difftestCase is tools/rrd/difftest.sh, Part A.
func difftestCase() diffCase {
	return diffCase{
		name: "difftest.sh", step: 15, start: T0 - 1,
		defs: []string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U",
			"RRA:AVERAGE:0.5:1:20", "RRA:AVERAGE:0.5:4:10", "RRA:AVERAGE:0.5:40:5",
			"RRA:MIN:0.5:4:10", "RRA:MAX:0.5:4:10", "RRA:LAST:0.5:4:10"},
		calls: [][]string{
			{tv(10, "1.5", "2"), tv(25, "2.25", "2"), tv(40, "3", "2"), tv(52, "U", "3"), tv(70, "4e0", "3")},
			{tv(71, "nan", "3"), tv(85, "5.123456789012345678", "4"), tv(100, "6", "4")},
			{tv(263, "7", "4"), tv(270, "8", "5")},
			{tv(900, "9", "5"), fmt.Sprintf("%d.25:10:6", T0+905), fmt.Sprintf("%d.75:11:6", T0+920), tv(935, "12.5e-1", "7")},
			{tv(950, "13", "7"), tv(940, "99", "99"), tv(965, "14", "8")},
		},
	}
}

// allCFs is one archive of every CF with the pdp counts, xffs and row
// counts the fuzzer also uses, small enough to wrap.
var allCFs = []string{
	"RRA:AVERAGE:0.5:1:5", "RRA:AVERAGE:0:2:2", "RRA:AVERAGE:0.99:3:1", "RRA:AVERAGE:0.25:4:5",
	"RRA:AVERAGE:0.5:7:2", "RRA:AVERAGE:0.5:40:1", "RRA:MIN:0.5:1:2", "RRA:MIN:0:3:5", "RRA:MIN:0.99:7:2",
	"RRA:MAX:0.5:1:1", "RRA:MAX:0.25:2:5", "RRA:MAX:0:40:2", "RRA:LAST:0.5:1:2", "RRA:LAST:0:4:2",
	"RRA:LAST:0.99:7:5",
}

func handCases() []diffCase {
	return []diffCase{
		{name: "gaps", step: 15, start: T0 - 1, defs: append([]string{"DS:g:GAUGE:30:U:U"}, allCFs...),
			calls: [][]string{
				{tv(10, "1"), tv(20, "2"), tv(40, "3"), tv(52, "40")},
				{tv(263, "5")}, // gap > heartbeat, from mid-step
				{tv(270, "6"), tv(285, "7"), tv(300, "8")}, // 300: exactly on a boundary
				{tv(330, "9")},                   // exactly the heartbeat
				{tv(361, "10")},                  // heartbeat + 1
				{tv(2361, "11"), tv(2362, "12")}, // longer than every RRA
				{tv(2400, "13"), tv(2415, "14"), tv(2416, "15"), tv(2429, "16"), tv(2431, "17")},
				{tv(9000, "U"), tv(9010, "18"), tv(9011, "U"), tv(9025, "19")},
			}},
		{name: "subsecond", step: 5, start: T0 - 3, defs: append([]string{"DS:g:GAUGE:12:U:U", "DS:a:ABSOLUTE:12:U:U"}, allCFs...),
			calls: [][]string{
				{"1700000000.5:1:1", "1700000000.75:2:2", "1700000001.000001:3:3", "1700000004.999999:4:4"},
				{"1700000005:5:5", "1700000005.5:6:6", "1700000009.9999999:7:7", "1700000010.1:8:8"},
				{"1700000010.05:9:9"}, // past: .05 < .1
				{"1700000010.1:9:9"},  // equal: past too
				{"1700000011.0:10:10", "170000001.2e1:11:11", " 1700000013:12:12", "+1700000014.5:13:13"},
				{"1700000020.25:U:1", "1700000033.75:14:2", "1700000034:15:3"},
			}},
		{name: "specials", step: 15, start: T0 - 1, defs: append([]string{"DS:g:GAUGE:120:U:U"}, allCFs...),
			calls: [][]string{
				{tv(10, "U"), tv(20, "Ux"), tv(30, "nan"), tv(40, "NaN"), tv(50, "-nan"), tv(60, "1")},
				{tv(70, "inf"), tv(80, "-inf"), tv(95, "infx"), tv(110, "nanx"), tv(125, "-infinity"), tv(140, "2")},
				{tv(150, "1e400"), tv(160, "-1e400"), tv(170, "1e-400"), tv(180, "1e1024"), tv(190, "3")},
				{tv(200, " 7"), tv(210, "+3"), tv(220, "4e0"), tv(230, "1.50"), tv(240, ".5"), tv(250, "5.")},
				{tv(260, "1e"), tv(270, "1e+"), tv(280, "0.1234567890123456789"), tv(290, "123456789012345678901234567890")},
				{tv(300, "1.7976931348623157e308"), tv(310, "-0"), tv(320, "5e-324"), tv(330, "0.3")},
				{tv(340, "+inf")},
				{tv(350, "1e1025")},
				{tv(360, "3 ")},
				{tv(370, "0x10")},
				{tv(380, "")},
				{tv(390, "u")},
				{tv(400, "1.5"), tv(415, "1e99999999999")},
				{tv(430, "2.5")},
			}},
		{name: "minmax", step: 10, start: T0 - 7,
			defs: append([]string{"DS:g:GAUGE:40:0:100", "DS:a:ABSOLUTE:40:-5:10", "DS:c:COUNTER:40:0:50", "DS:d:DERIVE:40:-2:2"}, allCFs[:6]...),
			calls: [][]string{
				{tv(1, "50:5:100:0"), tv(11, "150:50:200:10"), tv(21, "-1:-100:1000:-100")},
				{tv(31, "100:100:1400:-120"), tv(41, "0:-50:1401:-100"), tv(52, "1e2:0:1402:-99")},
				{tv(60, "100.0000001:10:1500:-1"), tv(75, "nan:inf:1500:5"), tv(90, "-inf:U:1600:6")},
			}},
		{name: "counter", step: 15, start: T0 - 1, defs: append([]string{"DS:c:COUNTER:60:U:U", "DS:w:COUNTER:60:U:U"}, allCFs...),
			calls: [][]string{
				{tv(10, "4294967290", "18446744073709551610"), tv(25, "5", "5"), tv(40, "100", "100")},
				{tv(55, "0", "0"), tv(70, "4294967295", "18446744073709551615"), tv(85, "4294967296", "0")},
				{tv(100, "123456789012345678901234567890", "1"), tv(115, "123456789012345678901234567899", "2")},
				{tv(130, "1234567890123456789012345678901", "3"), tv(145, "5", "4")},
				{tv(160, "", "5"), tv(175, "7", "6")},
				{tv(190, "8", "1.5")},
				{tv(200, "9", "-5")},
				{tv(210, "10", "+5")},
				{tv(220, "11", "7"), tv(300, "12", "8"), tv(315, "13", "U"), tv(330, "14", "9")},
				{tv(345, "9007199254740993", "9007199254740993"), tv(360, "18014398509481987", "1")},
			}},
		{name: "derive", step: 15, start: T0 - 1, defs: append([]string{"DS:d:DERIVE:60:U:U", "DS:m:DERIVE:60:-1:1"}, allCFs...),
			calls: [][]string{
				{tv(10, "-10", "-10"), tv(25, "10", "10"), tv(40, "-5", "-5"), tv(55, "-3", "-3")},
				{tv(70, "-3", "-3"), tv(85, "-", "0"), tv(100, "5", "5"), tv(115, "3", "3")},
				{tv(130, "--5", "1")},
				{tv(140, "1.5", "1")},
				{tv(150, "0", "0"), tv(165, "-0", "-0"), tv(180, "-0", "-0")},
				{tv(195, "100", "20"), tv(500, "200", "30")},
			}},
		{name: "absolute", step: 15, start: T0 - 1, defs: append([]string{"DS:a:ABSOLUTE:45:U:U"}, allCFs...),
			calls: [][]string{
				{tv(10, "15"), tv(12, "3"), tv(25, "30"), tv(26.0, "0"), tv(56, "45")},
				{tv(100, "90"), "1700000100.5:1", "1700000101.25:2.5", tv(130, "abc")},
				{tv(131, "1"), tv(250, "1000")},
			}},
		{name: "partial", step: 15, start: T0 - 1,
			defs: append([]string{"DS:a:GAUGE:120:U:U", "DS:b:COUNTER:120:U:U", "DS:c:DERIVE:120:U:U"}, allCFs[:8]...),
			calls: [][]string{
				{tv(10, "1:100:-100"), tv(25, "2:200:-50")},
				{tv(40, "7:300:1.5")},               // bad DERIVE: a and b keep 7 and 300
				{tv(41, "8:abc:5")},                 // bad COUNTER after a
				{tv(42, "x:400:5")},                 // bad first value
				{tv(55, "3:400:10"), tv(70, "4:1")}, // too few, mid-batch
				{tv(85, "5:500:20:30")},             // too many
				{tv(100, "6:600:30"), "nocolon", tv(115, "7:700:40")},
				{tv(130, "8:800:50"), "17x:1:2:3"},
				{tv(145, "9:900:60"), tv(140, "1:1:1"), tv(160, "10:1000:70")},
				{tv(160, "10:1000:70")},
				{tv(175, "11:1100:80"), "nan:1:1:1", tv(190, "12:1200:90")},
				{tv(205, "13:1300:100"), "1e400:1:1:1"},
				{tv(220, "14:1400:110")},
				{tv(235, "U:Ufoo:U"), tv(250, "15:1500:120")},
			}},
		{name: "half-unknown", step: 10, start: T0 - 1, defs: append([]string{"DS:g:GAUGE:100:U:U"}, allCFs...),
			calls: [][]string{
				{tv(4, "U"), tv(9, "1"), tv(14, "U"), tv(15, "2"), tv(20, "3")},
				{tv(25, "U"), tv(26, "4"), tv(30, "5"), tv(31, "U"), tv(36, "U"), tv(40, "6")},
				{tv(45.0, "U"), tv(70, "7"), tv(73, "U"), tv(99, "8")},
			}},
		{name: "step1", step: 1, start: T0 - 1, defs: append([]string{"DS:g:GAUGE:3:U:U", "DS:c:COUNTER:2:U:U"}, allCFs...),
			calls: [][]string{
				{tv(1, "1:1"), tv(2, "2:3"), tv(3, "3:6"), "1700000003.5:4:8", tv(5, "5:9"), tv(9, "6:10")},
				{tv(10, "7:11"), tv(60, "8:12"), tv(61, "9:13")},
			}},
		{name: "step300", step: 300, start: T0 - 299, defs: append([]string{"DS:g:GAUGE:600:U:U", "DS:d:DERIVE:900:U:U"}, allCFs...),
			calls: [][]string{
				{tv(1, "1:1"), tv(299, "2:2"), tv(300, "3:3"), tv(301, "4:4"), tv(900, "5:5")},
				{tv(1500, "6:6"), tv(1510, "7:7"), tv(30000, "8:8"), tv(30100, "9:9")},
			}},
	}
}

// gmetadCases are the shapes gmetad writes: host files with the default
// RRAs (630 KB), a summary file, and a counter metric.
func gmetadCases() []diffCase {
	host := []string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:5856", "RRA:AVERAGE:0.5:4:20160", "RRA:AVERAGE:0.5:40:52704"}
	var calls [][]string
	for k := int64(0); k < 12; k++ {
		calls = append(calls, []string{tv(10+15*k, fmt.Sprint(0.25*float64(k)))})
	}
	calls = append(calls, []string{tv(400, "3.5")}, []string{tv(100000, "4")}, []string{tv(2000000, "5"), tv(2000015, "6")})
	summary := append([]string{"DS:sum:GAUGE:120:U:U", "DS:num:GAUGE:120:U:U"}, host[1:]...)
	counter := append([]string{"DS:sum:COUNTER:120:U:U"}, host[1:]...)
	return []diffCase{
		{name: "gmetad-host", step: 15, start: T0 - 1, defs: host, calls: calls},
		{name: "gmetad-summary", step: 15, start: T0 - 1, defs: summary, calls: [][]string{
			{tv(10, "12.5:3")}, {tv(25, "13:3")}, {tv(40, "0.42:2")}, {tv(55, "24039476:4")}, {tv(300, "1.5e10:4")}}},
		{name: "gmetad-counter", step: 15, start: T0 - 1, defs: counter, calls: [][]string{
			{tv(10, "1000")}, {tv(25, "2000")}, {tv(40, "1500")}, {tv(55, "-42")}, {tv(70, "1.5e10")}, {tv(85, "4000")}}},
	}
}

func TestDiffFixed(t *testing.T) {
	p := startRRDPipe(t)
	var st diffStats
	cases := append(append([]diffCase{difftestCase()}, handCases()...), gmetadCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runDiff(t, p, t.TempDir(), c, &st)
		})
	}
	t.Logf("fixed differential cases: %s", st)
}

// TestDiffVersion2: files of versions 1 and 2 have no microseconds in the
// live head; librrd still updates them (in whole seconds), and so does
// rrdstore. The base is a version 3 file from rrdtool with the usec field
// cut out.
func TestDiffVersion2(t *testing.T) {
	p := startRRDPipe(t)
	var st diffStats
	for _, c := range []diffCase{difftestCase(), handCases()[1]} {
		dir := t.TempDir()
		v3 := filepath.Join(dir, "v3.rrd")
		args := append([]string{"create", v3, "--step", fmt.Sprint(c.step), "--start", fmt.Sprint(c.start)}, c.defs...)
		if _, err := p.run(t, args...); err != nil {
			t.Fatal(err)
		}
		data := readFile(t, v3)
		h, _, err := readHeader(v3, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		copy(data[4:], "0002")
		data = append(data[:h.liveOff+8:h.liveOff+8], data[h.liveOff+16:]...)
		base := filepath.Join(dir, "base.rrd")
		if err := os.WriteFile(base, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if runCalls(t, p, base, c, &st) {
			checkReaders(t, p, filepath.Join(dir, "b.rrd"))
		}
	}
	t.Logf("version 2 files: %s", st)
}
