package persist

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

func TestAppendReading(t *testing.T) {
	for _, c := range []struct {
		val  string
		typ  dsType
		want string // "" = refused
	}{
		// Texts librrd takes go through unchanged (stock passes VAL verbatim).
		{"0.25", dsGauge, "0.25"},
		{"-42", dsGauge, "-42"},
		{"1.5e10", dsGauge, "1.5e10"},
		{".5", dsGauge, ".5"},
		{"+3.", dsGauge, "+3."},
		{"4000000000", dsCounter, "4000000000"},
		{"-42", dsDerive, "-42"},
		{"42", dsDerive, "42"},
		{"anything", dsVerbatim, "anything"},
		// Q16: the same value in a form librrd takes.
		{"1.5e10", dsCounter, "15000000000"},
		{"1.5e10", dsDerive, "15000000000"},
		{"42.7", dsCounter, "43"},
		{"-2.5", dsDerive, "-3"},
		{"-0", dsCounter, "0"},
		{"-0.2", dsDerive, "0"},
		{" 12", dsGauge, "12"},
		{" 12", dsCounter, "12"},
		{"0x1p4", dsGauge, "16"},
		{"1e400000", dsGauge, ""}, // beyond float range: refused, as by librrd
		{"nan", dsGauge, "U"},
		{"NaN", dsCounter, "U"},
		{"Inf", dsGauge, "inf"},
		{"-Inf", dsGauge, "-inf"},
		// Refused, as rrdtool refuses them.
		{"-42", dsCounter, ""},
		{"Inf", dsCounter, ""},
		{"abc", dsGauge, ""},
		{"", dsGauge, ""},
		{"", dsCounter, ""},
		{"-", dsDerive, ""},
		{"12abc", dsCounter, ""},
	} {
		got, ok := appendReading([]byte("T:"), c.val, c.typ)
		if ok != (c.want != "") || (ok && string(got) != "T:"+c.want) {
			t.Errorf("appendReading(%q, %d) = %q %v, want %q", c.val, c.typ, got, ok, c.want)
		}
		if b, ok2 := appendReading(nil, []byte(c.val), c.typ); ok2 != ok || (ok && "T:"+string(b) != string(got)) {
			t.Errorf("[]byte %q: %q %v", c.val, b, ok2)
		}
	}
}

// FuzzReading: whatever appendReading accepts, librrd's update accepts
// (rrdstore reads update texts exactly as librrd 1.7 does; its tests
// compare it with rrdtool).
func FuzzReading(f *testing.F) {
	for _, s := range []string{"0.25", "1.5e10", "-42", "4000000000", "nan", "Inf", " 7", "1e999", "0x1p-3", strings.Repeat("9", 50)} {
		f.Add(s)
	}
	dir := f.TempDir()
	paths := map[dsType]string{}
	for typ, slope := range map[dsType]string{dsGauge: "both", dsCounter: "positive", dsDerive: "derivative"} {
		paths[typ] = filepath.Join(dir, slope+".rrd")
		spec := rrdstore.GmetadSpec(1, 999_999_999, slope, false, smallRRAs)
		spec.DS[0].Heartbeat = 1 << 40 // every update within the heartbeat
		if err := rrdstore.Create(paths[typ], spec, rrdstore.CreateOptions{}); err != nil {
			f.Fatal(err)
		}
	}
	tm := int64(1_000_000_000)
	f.Fuzz(func(t *testing.T, val string) {
		for typ, path := range paths {
			tm++
			b, ok := appendReading(append(strconv.AppendInt(nil, tm, 10), ':'), val, typ)
			if !ok {
				continue
			}
			if err := rrdstore.Update(path, string(b)); err != nil {
				t.Errorf("type %d: %q made %q, which librrd refuses: %v", typ, val, b, err)
			}
		}
	})
}
