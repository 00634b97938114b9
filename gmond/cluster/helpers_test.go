package cluster

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// t0 is an arbitrary wall-clock origin for the table tests.
var t0 = time.Unix(1795303135, 0)

var (
	localhost = netip.MustParseAddr("127.0.0.1")
	otherIP   = netip.MustParseAddr("192.0.2.7")
)

// testOptions are stock defaults with a fixed Namer.
func testOptions() Options {
	o := DefaultOptions()
	o.Namer = func(ip netip.Addr) string {
		if ip == localhost {
			return "localhost"
		}
		return ""
	}
	return o
}

func metadataMsg(host, name string, spoof bool, md xdr.Metadata) *xdr.Message {
	return &xdr.Message{ID: xdr.IDMetadata, MetricID: xdr.MetricID{Host: host, Name: name, Spoof: spoof}, Metadata: md}
}

func valueMsg(host, name string, spoof bool, id xdr.MsgID, v xdr.Value) *xdr.Message {
	return &xdr.Message{ID: id, MetricID: xdr.MetricID{Host: host, Name: name, Spoof: spoof}, Value: v}
}

func floatMD(tmax, dmax uint32, extra ...xdr.Extra) xdr.Metadata {
	return xdr.Metadata{Type: "float", Units: "%", Slope: xdr.SlopeBoth, TMax: tmax, DMax: dmax, Extra: extra}
}

// apply applies m and fails on a drop.
func apply(t testing.TB, s *State, m *xdr.Message, src netip.Addr, at time.Time) Result {
	t.Helper()
	r := s.Apply(m, src, at)
	if r.Dropped != DropNone {
		t.Fatalf("Apply(%v %q/%q): dropped: %v", m.ID, m.Host, m.Name, r.Dropped)
	}
	return r
}

// dump returns the XML of s at now.
func dump(t testing.TB, s *State, c ClusterInfo, now time.Time) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.WriteXML(&b, c, now); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkWellFormed parses doc with encoding/xml, strictly, reading the
// ISO-8859-1 it declares byte by byte.
func checkWellFormed(t testing.TB, doc []byte) {
	t.Helper()
	if err := wellFormed(doc); err != nil {
		t.Fatalf("output is not well-formed XML: %v\n%s", err, doc)
	}
}

func wellFormed(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(r)
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), err
	}
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// body returns doc without the prolog and DTD.
func body(doc []byte) string {
	s := string(doc)
	if i := strings.Index(s, "]>\n"); i >= 0 {
		return s[i+3:]
	}
	return s
}
