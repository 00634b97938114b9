package xmlout

import (
	"bytes"
	"strings"
	"testing"
)

// xmlValue is what an XML parser must read back for s under our escaping:
// bytes as ISO-8859-1, TAB/LF/CR kept, other controls as '?' (internal/xmlattr).
func xmlValue(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t' || c == '\n' || c == '\r':
			sb.WriteByte(c)
		case c < 0x20:
			sb.WriteByte('?')
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// TestHostileWellFormed: names and values with markup, quotes, entities,
// control bytes and non-UTF-8 give well-formed answers to every request,
// and a parser reads every value back as documented in escape.go.
func TestHostileWellFormed(t *testing.T) {
	snap := hostileSnapshot()
	reqs := []string{"/", "/?filter=summary", "GET / HTTP/1.0", "GET /*/*/* HTTP/1.1", "GET /*?filter=summary HTTP/1.0"}
	for _, h := range hostile {
		reqs = append(reqs, "/"+h, "/"+h+"/"+h, "/"+h+"/"+h+"/"+h, "GET /"+h+"/"+h+"/"+h+" HTTP/1.0", "GET /*/"+h+" HTTP/1.0")
	}
	for _, r := range reqs {
		var out bytes.Buffer
		res, err := Answer(&out, snap, r, fixtureNow)
		if err != nil {
			t.Fatal(err)
		}
		if res.Malformed || res.Status {
			if out.Len() != 0 {
				t.Errorf("Answer(%q) refused but wrote %d bytes", r, out.Len())
			}
			continue
		}
		if _, err := parseXML(out.Bytes()); err != nil {
			t.Errorf("Answer(%q) is not well-formed: %v", r, err)
		}
	}

	var out bytes.Buffer
	if err := WriteFull(&out, snap, fixtureNow); err != nil {
		t.Fatal(err)
	}
	els, err := parseXML(out.Bytes())
	if err != nil {
		t.Fatalf("WriteFull is not well-formed: %v", err)
	}
	checkRoundTrip(t, els)
}

// fixedAttr are the attributes that never carry data: numbers and
// constants.
var fixedAttr = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`CLUSTER.LOCALTIME GRID.LOCALTIME HOST.REPORTED HOST.TN HOST.TMAX
		HOST.DMAX HOST.GMOND_STARTED METRIC.TN METRIC.TMAX METRIC.DMAX HOSTS.UP HOSTS.DOWN
		HOSTS.SOURCE METRICS.SUM METRICS.NUM METRICS.TYPE METRICS.SOURCE`) {
		fixedAttr[strings.Replace(a, ".", " ", 1)] = true
	}
}

// checkRoundTrip compares every parsed name/value with the hostile string
// it was made from: source i holds hostile[i] in every attribute.
func checkRoundTrip(t *testing.T, els []element) {
	t.Helper()
	src := -1
	for _, e := range els {
		if e.Name == "GANGLIA_XML" || e.Name == "GRID" && e.Depth == 1 || e.Name == "EXTRA_DATA" {
			continue
		}
		if e.Depth == 2 {
			src++
		}
		if hostile[src] == "" {
			continue // empty values print their defaults, checked by the goldens
		}
		want := xmlValue(hostile[src])
		for k, v := range e.Attrs {
			if fixedAttr[e.Name+" "+k] || k == "NAME" && v == "GROUP" {
				continue
			}
			if v != want {
				t.Errorf("source %d: %s %s = %q, want %q", src, e.Name, k, v, want)
			}
		}
	}
	if src != len(hostile)-1 {
		t.Errorf("saw %d sources, want %d", src+1, len(hostile))
	}
}
