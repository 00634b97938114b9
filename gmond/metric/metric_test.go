package metric

import (
	"math"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

func TestXDRConversions(t *testing.T) {
	tests := []struct {
		typ  Type
		in   Value
		id   xdr.MsgID
		want xdr.Value
	}{
		{UInt16, Num(8), xdr.IDUShort, xdr.Value{U: 8}},
		{UInt16, Num(70000), xdr.IDUShort, xdr.Value{U: 65535}},
		{Int16, Num(-5.9), xdr.IDShort, xdr.Value{I: -5}},
		{UInt32, Num(-1), xdr.IDUInt, xdr.Value{U: 0}},
		{UInt32, Num(1700000000.7), xdr.IDUInt, xdr.Value{U: 1700000000}},
		{Int32, Num(math.NaN()), xdr.IDInt, xdr.Value{I: 0}},
		{Float, Num(0.25), xdr.IDFloat, xdr.Value{F32: 0.25}},
		{Double, Num(1e300), xdr.IDDouble, xdr.Value{F64: 1e300}},
		{String, Str("yes"), xdr.IDString, xdr.Value{Str: "yes"}},
	}
	for _, tt := range tests {
		d := Def{Name: "m", Type: tt.typ, Format: "%x"}
		id, v, err := d.XDR(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.typ, err)
		}
		tt.want.Fmt = "%x"
		if id != tt.id || v != tt.want {
			t.Errorf("%s %+v: got %v %+v, want %v %+v", tt.typ, tt.in, id, v, tt.id, tt.want)
		}
	}
	if _, _, err := (&Def{Type: "int8"}).XDR(Num(1)); err == nil {
		t.Error("int8 has no value message but XDR accepted it")
	}
}

func TestMetadataExtrasInStockOrder(t *testing.T) {
	d := Def{Name: "cpu_used", Type: Float, Units: "CPUs", Slope: xdr.SlopeBoth, TMax: 15, Group: "ibmpower", Desc: "physc"}
	md := d.Metadata("")
	want := []xdr.Extra{{Name: "TITLE", Data: "cpu_used"}, {Name: "DESC", Data: "physc"}, {Name: "GROUP", Data: "ibmpower"}}
	if len(md.Extra) != len(want) {
		t.Fatalf("extras %v", md.Extra)
	}
	for i := range want {
		if md.Extra[i] != want[i] {
			t.Errorf("extra %d = %v, want %v", i, md.Extra[i], want[i])
		}
	}
	if md.DMax != 0 || md.TMax != 15 || md.Type != "float" || md.Units != "CPUs" {
		t.Errorf("metadata %+v", md)
	}
	d.Title = "Physical CPU"
	if got := d.Metadata("").Extra[0].Data; got != "cpu_used" {
		t.Errorf("without a configured title stock sends the name, got %q", got)
	}
	if got := d.Metadata("From config").Extra[0].Data; got != "From config" {
		t.Errorf("config title %q", got)
	}
}

func TestNumeric(t *testing.T) {
	if String.Numeric() || !Float.Numeric() || !UInt16.Numeric() {
		t.Error("Numeric wrong")
	}
}
