package templates

import (
	"os"
	"strings"
	"testing"
)

// TestXMLPrologMatchesStock compares the embedded prolog with what stock
// gmond (TCP dump) and stock gmetad (xml_port) 3.7.2 actually sent.
func TestXMLPrologMatchesStock(t *testing.T) {
	for _, f := range []string{"testdata/gmond_tcp_dump.xml", "testdata/gmetad-full.xml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), XMLProlog) {
			t.Errorf("%s does not start with the embedded prolog", f)
		}
	}
	if !strings.HasSuffix(XMLProlog, "]>\n") || strings.Count(XMLProlog, "<!ELEMENT") != 9 {
		t.Errorf("prolog is not the complete 9-element DTD")
	}
}
