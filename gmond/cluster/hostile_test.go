package cluster

import (
	"encoding/binary"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/internal/xmlattr"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// nasty holds every byte class the escaping treats differently: markup,
// quotes, the three whitespace controls, other controls, DEL and non-UTF-8.
const nasty = "a<b>&c\"d'e\tf\ng\rh\x00i\x01\x1fj\x7fk\xe9\xff"

// nastyParsed is what a parser reads back: controls other than tab, newline
// and CR become '?', bytes from 0x7F are Latin-1 characters.
const nastyParsed = "a<b>&c\"d'e\tf\ng\rh?i??j\x7fk\u00e9\u00ff"

func hostileState(t *testing.T) *State {
	t.Helper()
	o := testOptions()
	o.Tags = nasty
	s := New(o)
	host := "10.6.6.6" + nasty + ":" + nasty
	md := xdr.Metadata{Type: nasty, Units: nasty, Slope: 77, TMax: 1, DMax: 0,
		Extra: []xdr.Extra{{Name: nasty, Data: nasty}, {Name: "GROUP", Data: "</EXTRA_DATA>"}}}
	apply(t, s, metadataMsg(host, "m"+nasty, true, md), localhost, t0)
	apply(t, s, valueMsg(host, "m"+nasty, true, xdr.IDString, xdr.Value{Fmt: "%s", Str: strings.ReplaceAll(nasty, "\x00", "")}), localhost, t0)
	apply(t, s, metadataMsg(host, "num", true, md), localhost, t0)
	apply(t, s, valueMsg(host, "num", true, xdr.IDDouble, xdr.Value{Fmt: "<%.1f\x01\"'&>", F64: 2}), localhost, t0)
	apply(t, s, valueMsg(host, "location", true, xdr.IDString, xdr.Value{Fmt: "%s", Str: "\x02" + nasty}), localhost, t0)
	apply(t, s, valueMsg("x", "n:"+nasty, false, xdr.IDUInt, xdr.Value{Fmt: "%u"}), localhost, t0)
	apply(t, s, metadataMsg("x", "n:"+nasty, false, md), localhost, t0)
	for _, name := range []string{strings.Repeat("<", 4096), strings.Repeat("\x01", 4096)} {
		if r := s.Apply(valueMsg("x", name, false, xdr.IDUInt, xdr.Value{}), localhost, t0); r.Dropped != DropNameTooLong {
			t.Errorf("4 KiB name: %v, want name_too_long", r.Dropped)
		}
		if r := s.Apply(valueMsg("1.1.1.1:"+name, "m", true, xdr.IDUInt, xdr.Value{}), localhost, t0); r.Dropped != DropNameTooLong {
			t.Errorf("4 KiB host name: %v, want name_too_long", r.Dropped)
		}
	}
	return s
}

func TestHostileNames(t *testing.T) {
	s := hostileState(t)
	info := ClusterInfo{Name: nasty, Owner: nasty, LatLong: nasty, URL: nasty}
	doc := dump(t, s, info, t0)
	checkWellFormed(t, doc)
	golden(t, "testdata/hostile.golden", doc)

	d, err := stockganglia.ParseXML(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := d.Clusters[0]
	if c.Name != nastyParsed || c.URL != nastyParsed {
		t.Errorf("CLUSTER NAME %q", c.Name)
	}
	h := c.HostByIP("10.6.6.6" + nastyParsed)
	if h == nil {
		t.Fatalf("no spoofed host in %+v", c.Hosts)
	}
	if h.Name != nastyParsed || h.Tags != nastyParsed || h.Location != "?"+nastyParsed[:strings.IndexByte(nastyParsed, '?')] { // cut at the NUL, like strdup
		t.Errorf("HOST %q tags %q location %q", h.Name, h.Tags, h.Location)
	}
	m := h.Metric("m" + nastyParsed)
	if m == nil {
		t.Fatalf("no metric in %+v", h.Metrics)
	}
	if want := strings.ReplaceAll(nastyParsed, "?i", "i"); m.Val != want || m.Units != nastyParsed || m.Slope != "unspecified" {
		t.Errorf("METRIC VAL %q UNITS %q SLOPE %q", m.Val, m.Units, m.Slope)
	}
	if len(m.Extra) != 2 || m.Extra[0].Val != "</EXTRA_DATA>" || m.Extra[1].Name != nastyParsed {
		t.Errorf("EXTRA_DATA %q", m.Extra)
	}
	if n := h.Metric("num"); n == nil || n.Val != "<2.0?\"'&>" {
		t.Errorf("numeric VAL from a hostile format: %+v", n)
	}
	if lh := c.Host("localhost"); lh == nil || lh.Metric("n_"+nastyParsed) == nil {
		t.Errorf("non-spoofed hostile name missing: %+v", c.Hosts)
	}
}

// TestEscapingMatchesStock: the bytes stock writes correctly are kept, so
// ordinary output stays byte-identical (§3.5).
func TestEscapingMatchesStock(t *testing.T) {
	for _, tc := range []struct {
		in        string
		attr, val string
	}{
		{"plain text 1.5", "plain text 1.5", "plain text 1.5"},
		{"slope positive => COUNTER", "slope positive => COUNTER", "slope positive =&gt; COUNTER"},
		{`a <b> & "c" 'd'`, `a &lt;b> &amp; &quot;c&quot; 'd'`, `a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;`},
		{"t\tn\nr\r", "t&#09;n&#10;r&#13;", "t&#09;n&#10;r&#13;"},
		{"\x00\x1b[0m\x7f\xe9", "??[0m\x7f\xe9", "??[0m\x7f\xe9"},
	} {
		if got := string(xmlattr.Append(nil, tc.in)); got != tc.attr {
			t.Errorf("attribute %q → %q, want %q", tc.in, got, tc.attr)
		}
		if got := string(appendVAL(nil, []byte(tc.in), xdr.IDString)); got != tc.val {
			t.Errorf("string VAL %q → %q, want %q", tc.in, got, tc.val)
		}
	}
}

// FuzzApply applies a sequence of packets decoded from the fuzz input and
// checks that the state's XML always parses. The input is a series of
// chunks: a flags byte (source address, clock step), a 2-byte length, the
// datagram.
func FuzzApply(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	srcs := []netip.Addr{localhost, otherIP, netip.MustParseAddr("::ffff:10.0.0.1"), netip.MustParseAddr("fe80::1%eth0")}
	f.Fuzz(func(t *testing.T, in []byte) {
		o := testOptions()
		o.MaxHosts, o.MaxMetricsPerHost, o.HostDMax = 8, 16, 30
		o.HostnameFromPacket = len(in)%2 == 0
		s := New(o)
		now := t0
		var m xdr.Message
		for len(in) >= 3 {
			flags, n := in[0], int(binary.BigEndian.Uint16(in[1:3]))
			in = in[3:]
			n = min(n, len(in))
			pkt := in[:n]
			in = in[n:]
			now = now.Add(time.Duration(flags>>2) * time.Second)
			if xdr.DecodeInto(&m, pkt) != nil {
				continue
			}
			s.Apply(&m, srcs[flags&3], now)
			if flags&0x80 != 0 {
				s.Expire(now)
			}
		}
		if err := wellFormed(dump(t, s, ClusterInfo{Name: "fuzz"}, now)); err != nil {
			t.Fatal(err)
		}
		s.Range(func(HostView) bool { return true })
		if st := s.Stats(); st.Hosts > 8 {
			t.Fatalf("%d hosts past MaxHosts", st.Hosts)
		}
	})
}

// fuzzSeeds are the captured packets alone and in a row, and hostile
// messages from our encoder.
func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	var seed []byte
	for _, name := range []string{"0001", "0002", "0069", "0070", "0087", "0088", "0089", "0090", "0091", "0092"} {
		b, err := os.ReadFile("testdata/capture/" + name + ".bin")
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, chunk(nil, 0, b))
		seed = chunk(seed, byte(len(seed)), b)
	}
	seeds = append(seeds, seed)
	for _, m := range []*xdr.Message{
		metadataMsg("1.2.3.4:"+nasty, "m:"+nasty, true, floatMD(1, 1, xdr.Extra{Name: nasty, Data: nasty})),
		valueMsg("x", nasty, false, xdr.IDString, xdr.Value{Fmt: "%s", Str: nasty}),
		valueMsg("x", "heartbeat", false, xdr.IDString, xdr.Value{Fmt: "%s", Str: "-99999999999999999999"}),
		{ID: xdr.IDMetadataRequest, MetricID: xdr.MetricID{Host: "::", Name: "q", Spoof: true}},
	} {
		b, err := xdr.AppendMessage(nil, m)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, chunk(nil, 1, b))
		seed = chunk(seed, 3, b)
	}
	seeds = append(seeds, seed)
	return seeds
}

func chunk(dst []byte, flags byte, pkt []byte) []byte {
	dst = append(dst, flags)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(pkt)))
	return append(dst, pkt...)
}
