package main

import (
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// TestMuteCollectorMatchesStock runs our gmond as a mute collector next to
// a stock collector gmond; one stock sender feeds both. The two XML dumps
// list the same host with the same metrics and attributes.
func TestMuteCollectorMatchesStock(t *testing.T) {
	port := stockganglia.FreePort(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(fmt.Sprintf(`
globals { daemonize = no  setuid = no  mute = yes  host_dmax = 0 }
cluster { name = "lpm-collector"  owner = "ops" }
udp_recv_channel { port = %d  bind = 127.0.0.1 }
tcp_accept_channel { port = %d  bind = 127.0.0.1 }
`, port, port)))
	g := startGmond(t, dir, "-c", "gmond.conf")
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := g.WaitReady(15*time.Second, func() error { _, err := stockganglia.FetchXML(addr, time.Second); return err }); err != nil {
		t.Fatalf("our collector does not serve XML: %v", err)
	}
	stock := stockganglia.StartCollector(t, stockganglia.CollectorOptions{HostDmax: -1,
		Cluster: stockganglia.ClusterInfo{Name: "lpm-collector", Owner: "ops"}})
	stockganglia.StartSender(t, stockganglia.SenderOptions{Channels: []string{addr, stock.Addr}, Bind: "127.0.0.3"})

	var ours, theirs *stockganglia.Host
	stockganglia.Eventually(t, 20*time.Second, func() error {
		b, err := stockganglia.FetchXML(addr, 2*time.Second)
		if err != nil {
			return err
		}
		doc, err := stockganglia.ParseXML(b)
		if err != nil {
			return fmt.Errorf("our XML does not parse: %v", err)
		}
		c := doc.Cluster("lpm-collector")
		if c == nil {
			return fmt.Errorf("no cluster lpm-collector in our XML")
		}
		ours = c.HostByIP("127.0.0.3")
		theirs = stock.Doc(t).AllClusters()[0].HostByIP("127.0.0.3")
		if ours == nil || theirs == nil || len(ours.Metrics) < len(theirs.Metrics) || len(theirs.Metrics) < 30 {
			return fmt.Errorf("host not complete yet")
		}
		return nil
	})
	if ours.Name != theirs.Name || ours.Location != theirs.Location || ours.GmondStarted != theirs.GmondStarted {
		t.Errorf("HOST differs: ours %q %q %d, stock %q %q %d", ours.Name, ours.Location, ours.GmondStarted,
			theirs.Name, theirs.Location, theirs.GmondStarted)
	}
	for _, sm := range theirs.Metrics {
		om := ours.Metric(sm.Name)
		if om == nil {
			t.Errorf("%s: in stock's dump, not in ours", sm.Name)
			continue
		}
		if diff := compareMetric(&sm, om); diff != "" {
			t.Errorf("%s: %s", sm.Name, diff)
		}
		if om.Type != "string" && om.Type != "float" && om.Type != "double" && om.Val != sm.Val && om.Slope == "zero" {
			t.Errorf("%s: constant value ours %q, stock %q", sm.Name, om.Val, sm.Val)
		}
	}
}

// TestMetadataRequestAnswered: a gmetadata_request sent back to the source
// address and port of the agent's packets (what gmetad does for a value
// without metadata) makes it resend that metric's metadata at once.
func TestMetadataRequestAnswered(t *testing.T) {
	s := newSink(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(fmt.Sprintf(`
globals { daemonize = no  setuid = no  deaf = yes  send_metadata_interval = 0 }
udp_send_channel { host = 127.0.0.1  port = %d }
collection_group {
  collect_every = 60
  time_threshold = 300
  metric { name = "mem_total" }
  metric { name = "os_name" }
}
`, s.port)))
	startGmond(t, dir, "-c", "gmond.conf")
	first := s.until(15*time.Second, "os_name value", isValue("os_name"))
	checkMetadataFirst(t, "sink", first)
	from := first[0].from.(*net.UDPAddr)

	req, err := xdr.AppendRequest(nil, xdr.MetricID{Host: "whoever", Name: "os_name"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.conn.WriteToUDP(req, from); err != nil {
		t.Fatal(err)
	}
	got := s.until(10*time.Second, "os_name metadata after the request", func(p packet) bool {
		return p.ID == xdr.IDMetadata && p.Name == "os_name"
	})
	for _, p := range got {
		if p.ID == xdr.IDMetadata && p.Name == "mem_total" {
			t.Errorf("metadata of mem_total resent, but only os_name was asked for")
		}
	}
}
