package xmlserve

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

const interopTimeout = 30 * time.Second

// gmondDoc is a small valid gmond dump (PROTOCOL.md §3.2-3.3) rendered at
// now: one cluster, one host, one metric.
func gmondDoc(now time.Time) string {
	t := now.Unix()
	return templates.XMLProlog +
		"<GANGLIA_XML VERSION=\"3.7.2\" SOURCE=\"gmond\">\n" +
		fmt.Sprintf("<CLUSTER NAME=\"P550-DC1-R01\" LOCALTIME=\"%d\" OWNER=\"unspecified\" LATLONG=\"unspecified\" URL=\"unspecified\">\n", t) +
		fmt.Sprintf("<HOST NAME=\"lpar01.example.com\" IP=\"10.1.2.3\" TAGS=\"\" REPORTED=\"%d\" TN=\"0\" TMAX=\"20\" DMAX=\"0\" LOCATION=\"8204-E8A_0000001\" GMOND_STARTED=\"%d\">\n", t, t-3600) +
		"<METRIC NAME=\"load_one\" VAL=\"1.25\" TYPE=\"float\" UNITS=\" \" TN=\"0\" TMAX=\"70\" DMAX=\"0\" SLOPE=\"both\">\n" +
		"<EXTRA_DATA>\n<EXTRA_ELEMENT NAME=\"GROUP\" VAL=\"load\"/>\n</EXTRA_DATA>\n</METRIC>\n" +
		"</HOST>\n</CLUSTER>\n</GANGLIA_XML>\n"
}

// TestStockGmetadPollsServer: stock gmetad takes this server for a gmond
// (data_source, no request) and republishes the cluster on its xml_port.
func TestStockGmetadPollsServer(t *testing.T) {
	polled := make(chan struct{}, 1)
	ts := start(t, "127.0.0.1:0", Options{Allow: func(a netip.Addr) bool { return a.IsLoopback() }},
		HandlerFunc(func(_ context.Context, w io.Writer, req string, _ netip.AddrPort) error {
			select {
			case polled <- struct{}{}:
			default:
			}
			_, err := io.WriteString(w, gmondDoc(time.Now()))
			return err
		}))
	gd := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{{Name: "xmlserve", Step: 5, Addrs: []string{ts.Addr().String()}}},
		Gridname:    "XMLServeGrid",
		RRAs:        []string{"RRA:AVERAGE:0.5:1:100"},
	})
	waitFor(t, polled, "a poll from gmetad")
	doc := gd.WaitFor(t, interopTimeout, stockganglia.HasMetric("lpar01.example.com", "load_one"))
	grid := doc.Grid("XMLServeGrid")
	if grid == nil || len(grid.Clusters) != 1 || grid.Clusters[0].Name != "P550-DC1-R01" {
		t.Fatalf("gmetad grid = %+v", grid)
	}
	h := doc.Host("lpar01.example.com")
	if h.IP != "10.1.2.3" || h.Location != "8204-E8A_0000001" {
		t.Errorf("host = %+v", *h)
	}
	if m := h.Metric("load_one"); m.Val != "1.25" || m.Type != "float" || m.Source != "gmond" {
		t.Errorf("metric = %+v", *m)
	}
	if s := ts.Stats(); s.Requests == 0 || s.Rejected != 0 || s.Errors != 0 {
		t.Errorf("server stats = %+v", s)
	}
}
