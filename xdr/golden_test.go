package xdr_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// readHex reads a packet written as hex digits with any whitespace between
// them (testdata keeps packets as hex so that diffs stay reviewable).
func readHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex: %v", err)
	}
	return b
}

func readHexFile(t testing.TB, path string) []byte {
	t.Helper()
	s, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return readHex(t, string(s))
}

// indexEntry is one packet of testdata/packets/index.json, decoded by an
// independent (Python) decoder when the packets were captured from stock
// gmond and gmetric 3.7.2.
type indexEntry struct {
	File       string      `json:"file"`
	MsgID      uint32      `json:"msg_id"`
	Host       string      `json:"host"`
	Name       string      `json:"name"`
	Spoof      bool        `json:"spoof"`
	Type       string      `json:"type"`
	MetricName string      `json:"metric_name"`
	Units      string      `json:"units"`
	Slope      uint32      `json:"slope"`
	TMax       uint32      `json:"tmax"`
	DMax       uint32      `json:"dmax"`
	Extra      [][2]string `json:"extra"`
	Fmt        string      `json:"fmt"`
	Value      any         `json:"value"`
	ValueHex   string      `json:"value_hex"`
}

func loadIndex(t *testing.T) []indexEntry {
	t.Helper()
	raw, err := os.ReadFile("testdata/packets/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var idx []indexEntry
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx) != 199 {
		t.Fatalf("index has %d packets, want 199", len(idx))
	}
	return idx
}

// TestGoldenPackets decodes every datagram captured from stock gmond and
// gmetric, checks each field against the capture's index, and re-encodes it
// to the same bytes.
func TestGoldenPackets(t *testing.T) {
	for _, want := range loadIndex(t) {
		t.Run(want.File, func(t *testing.T) {
			pkt := readHexFile(t, filepath.Join("testdata/packets", want.File))
			m, err := xdr.Decode(pkt)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			checkIndexEntry(t, &m, want)
			again, err := xdr.AppendMessage(nil, &m)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(again, pkt) {
				t.Fatalf("re-encoded packet differs\n got %x\nwant %x", again, pkt)
			}
		})
	}
}

func checkIndexEntry(t *testing.T, m *xdr.Message, want indexEntry) {
	t.Helper()
	if uint32(m.ID) != want.MsgID || m.Host != want.Host || m.Name != want.Name || m.Spoof != want.Spoof {
		t.Fatalf("metric id = %d %q %q %v, want %d %q %q %v",
			m.ID, m.Host, m.Name, m.Spoof, want.MsgID, want.Host, want.Name, want.Spoof)
	}
	switch {
	case m.ID == xdr.IDMetadata:
		md := m.Metadata
		if md.Type != want.Type || md.Name != want.MetricName || md.Units != want.Units ||
			uint32(md.Slope) != want.Slope || md.TMax != want.TMax || md.DMax != want.DMax {
			t.Fatalf("metadata = %+v, want %+v", md, want)
		}
		if len(md.Extra) != len(want.Extra) {
			t.Fatalf("extra = %v, want %v", md.Extra, want.Extra)
		}
		for i, e := range md.Extra {
			if e.Name != want.Extra[i][0] || e.Data != want.Extra[i][1] {
				t.Fatalf("extra[%d] = %v, want %v", i, e, want.Extra[i])
			}
		}
	case m.ID.IsValue():
		if m.Value.Fmt != want.Fmt {
			t.Fatalf("fmt = %q, want %q", m.Value.Fmt, want.Fmt)
		}
		checkValue(t, m, want)
	}
}

func checkValue(t *testing.T, m *xdr.Message, want indexEntry) {
	t.Helper()
	var got string
	switch m.ID {
	case xdr.IDString:
		if s, ok := want.Value.(string); !ok || s != m.Value.Str {
			t.Fatalf("string value = %q, want %v", m.Value.Str, want.Value)
		}
		return
	case xdr.IDFloat:
		got = hex.EncodeToString(be32(math.Float32bits(m.Value.F32)))
	case xdr.IDDouble:
		got = hex.EncodeToString(be64(math.Float64bits(m.Value.F64)))
	default:
		f, _ := m.Float()
		if n, ok := want.Value.(float64); !ok || n != f {
			t.Fatalf("value = %v, want %v", f, want.Value)
		}
		return
	}
	if got != want.ValueHex {
		t.Fatalf("value bits = %s, want %s", got, want.ValueHex)
	}
}

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }
func be64(v uint64) []byte { return append(be32(uint32(v>>32)), be32(uint32(v))...) }

// TestStartupPacketsRoundTrip covers the second capture: everything a stock
// gmond sent at start-up, one "unixtime hex" line per datagram.
func TestStartupPacketsRoundTrip(t *testing.T) {
	f, err := os.Open("testdata/gmond_startup_packets.hex")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<16)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		pkt := readHex(t, fields[1])
		m, err := xdr.Decode(pkt)
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		again, err := xdr.AppendMessage(nil, &m)
		if err != nil || !bytes.Equal(again, pkt) {
			t.Fatalf("line %d: re-encode = %x, %v; want %x", n+1, again, err, pkt)
		}
		n++
	}
	if n != 68 {
		t.Fatalf("%d packets in the start-up capture, want 68", n)
	}
}
