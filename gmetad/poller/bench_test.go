package poller

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
)

// benchDoc is a gmond dump of hosts × metrics in stock gmond's shape: the
// DTD prolog, and per metric the EXTRA_DATA with GROUP, DESC and TITLE.
func benchDoc(tb testing.TB, hosts, metrics int) []byte {
	tb.Helper()
	capture, err := os.ReadFile("testdata/gmond_tcp_dump.xml")
	if err != nil {
		tb.Fatal(err)
	}
	head, _, _ := strings.Cut(string(capture), "<CLUSTER ")
	var b bytes.Buffer
	b.WriteString(head)
	b.WriteString(`<CLUSTER NAME="P770-DC1-R05" LOCALTIME="1795303199" OWNER="Owner" LATLONG="unspecified" URL="unspecified">` + "\n")
	for h := range hosts {
		fmt.Fprintf(&b, `<HOST NAME="lpar%05d.example.com" IP="10.1.%d.%d" TAGS="" REPORTED="1795303190" TN="9" TMAX="20" DMAX="86400" LOCATION="8231-E2D_06AB35T" GMOND_STARTED="1795300000">`+"\n",
			h, h/256, h%256)
		for m := range metrics {
			fmt.Fprintf(&b, `<METRIC NAME="metric_%02d" VAL="%d.%02d" TYPE="float" UNITS="%%" TN="%d" TMAX="90" DMAX="0" SLOPE="both">`+"\n",
				m, h%100, m, m%60)
			fmt.Fprintf(&b, "<EXTRA_DATA>\n<EXTRA_ELEMENT NAME=\"GROUP\" VAL=\"cpu\"/>\n"+
				"<EXTRA_ELEMENT NAME=\"DESC\" VAL=\"Percentage of CPU utilization number %d\"/>\n"+
				"<EXTRA_ELEMENT NAME=\"TITLE\" VAL=\"Metric %d\"/>\n</EXTRA_DATA>\n</METRIC>\n", m, m)
		}
		b.WriteString("</HOST>\n")
	}
	b.WriteString("</CLUSTER>\n</GANGLIA_XML>\n")
	return b.Bytes()
}

// BenchmarkParse parses a 1,000-host × 50-metric gmond dump (about 15 MB;
// the 10,000-host size scales linearly). It reports MB/s and the
// allocations per metric.
func BenchmarkParse(b *testing.B) {
	const hosts, metrics = 1000, 50
	for _, gz := range []bool{false, true} {
		name := "plain"
		doc := benchDoc(b, hosts, metrics)
		xmlBytes := int64(len(doc)) // MB/s counts XML, gzipped or not
		if gz {
			name, doc = "gzip", gzipBytes(b, doc)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(xmlBytes)
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			for b.Loop() {
				rep, err := Parse(bytes.NewReader(doc), testNow, ParseOptions{})
				if err != nil || len(rep.Cluster.Hosts) != hosts || len(rep.Cluster.Hosts[hosts-1].Metrics) != metrics {
					b.Fatalf("err %v", err)
				}
			}
			runtime.ReadMemStats(&ms1)
			perMetric := float64(ms1.Mallocs-ms0.Mallocs) / float64(b.N) / (hosts * metrics)
			b.ReportMetric(perMetric, "allocs/metric")
		})
	}
}
