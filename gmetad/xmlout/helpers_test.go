package xmlout

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMain(m *testing.M) { m.Run() }

// latin1Reader decodes ISO-8859-1, the charset the prolog declares.
func latin1Reader(r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b)*2)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return bytes.NewReader(out), nil
}

// stripHTTP removes an HTTP header block and reports whether there was one.
func stripHTTP(b []byte) ([]byte, bool) {
	if !bytes.HasPrefix(b, []byte("HTTP/1.0 200 OK\r\n")) {
		return b, false
	}
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		return b, false
	}
	return b[i+4:], true
}

// element is a start tag seen by parseXML.
type element struct {
	Name  string
	Attrs map[string]string
	Depth int
}

// parseXML checks that b (after any HTTP header) is one well-formed
// GANGLIA_XML document, strictly, and returns its elements.
func parseXML(b []byte) ([]element, error) {
	b, _ = stripHTTP(b)
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if !strings.EqualFold(label, "ISO-8859-1") {
			return nil, fmt.Errorf("unexpected charset %q", label)
		}
		return latin1Reader(r)
	}
	var els []element
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return els, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Local != "GANGLIA_XML" {
					return els, fmt.Errorf("root element %s", tok.Name.Local)
				}
			}
			a := map[string]string{}
			for _, at := range tok.Attr {
				a[at.Name.Local] = at.Value
			}
			els = append(els, element{tok.Name.Local, a, depth})
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				return els, fmt.Errorf("stray text %q", tok)
			}
		}
	}
	if roots != 1 || depth != 0 {
		return els, fmt.Errorf("%d root elements, depth %d at end", roots, depth)
	}
	return els, nil
}

// skeleton renders the answer's structure compactly: C(name)[...] for a
// CLUSTER, G(name)[...] for a remote GRID, H(name)[...] for a HOST,
// M(name) for a METRIC, U for HOSTS and S(name) for METRICS; our own GRID
// and GANGLIA_XML wrappers are left out. It fails the test if the answer
// is not well-formed.
func skeleton(t testing.TB, out []byte) string {
	t.Helper()
	els, err := parseXML(out)
	if err != nil {
		t.Fatalf("answer is not well-formed: %v\n%s", err, out)
	}
	var sb strings.Builder
	var open []int // depths of elements awaiting "]"
	closeTo := func(depth int) {
		for len(open) > 0 && open[len(open)-1] >= depth {
			sb.WriteString("]")
			open = open[:len(open)-1]
		}
	}
	for _, e := range els {
		closeTo(e.Depth)
		switch {
		case e.Name == "CLUSTER", e.Name == "HOST", e.Name == "GRID" && e.Depth > 1:
			fmt.Fprintf(&sb, "%c(%s)[", e.Name[0], e.Attrs["NAME"])
			open = append(open, e.Depth)
		case e.Name == "METRIC":
			fmt.Fprintf(&sb, "M(%s)", e.Attrs["NAME"])
		case e.Name == "HOSTS":
			sb.WriteString("U")
		case e.Name == "METRICS":
			fmt.Fprintf(&sb, "S(%s)", e.Attrs["NAME"])
		}
	}
	closeTo(0)
	return sb.String()
}

// checkJSON checks a /status answer: HTTP header, optional callback(...)
// wrapper, valid JSON, CRLF at the end.
func checkJSON(t testing.TB, out []byte, callback string) {
	t.Helper()
	body, ok := stripHTTP(out)
	if !ok {
		t.Fatalf("status answer without HTTP header: %q", out)
	}
	body, ok = bytes.CutSuffix(body, []byte("\r\n"))
	if !ok {
		t.Fatalf("status answer does not end in CRLF: %q", out)
	}
	if callback != "" {
		body, ok = bytes.CutPrefix(body, []byte(callback+"("))
		if !ok || !bytes.HasSuffix(body, []byte(")")) {
			t.Fatalf("status answer not wrapped in %s(...): %q", callback, out)
		}
		body = body[:len(body)-1]
	}
	if !json.Valid(body) {
		t.Fatalf("status answer is not valid JSON: %q", body)
	}
}

var (
	tnRE      = regexp.MustCompile(`\b(TN|LOCALTIME)="\d+"`)
	startedRE = regexp.MustCompile(`(NAME="(spoofed|fakehost)\.example\.com".*GMOND_STARTED=)"-?\d+"`)
)

// normalise blanks the numbers that depend on the request second (TN,
// LOCALTIME) and the garbage GMOND_STARTED of hosts fed by a spoofed
// gmetric heartbeat (Q5).
func normalise(b []byte) []byte {
	b = tnRE.ReplaceAll(b, []byte(`$1="_"`))
	return startedRE.ReplaceAll(b, []byte(`$1"_"`))
}

// firstDiff describes the first differing line of two documents.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n got: %q\nwant: %q", i+1, gl, wl)
		}
	}
	return "no difference"
}
