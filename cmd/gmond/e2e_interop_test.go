package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

// stockExtraGroup makes the stock sender send the metrics its module set
// has but Debian's gmond.conf leaves out, so every metric can be compared.
const stockExtraGroup = `
collection_group {
  collect_every = 20
  time_threshold = 60
  metric { name = "cpu_steal" }
  metric { name = "cpu_intr" }
  metric { name = "cpu_sintr" }
  metric { name = "mem_sreclaimable" }
  metric { name = "sys_clock" }
  metric { name = "mtu" }
}
`

// interopConf sends every metric our gmond offers, collected every second
// so the rates exist after the second cycle.
func interopConf(collector string, port int) string {
	return fmt.Sprintf(`
globals {
  daemonize = no
  setuid = no
  deaf = yes
}
udp_send_channel {
  host = %s
  port = %d
  bind = 127.0.0.2
}
collection_group {
  collect_once = yes
  time_threshold = 20
  metric { name = "heartbeat" }
}
collection_group {
  collect_every = 1
  time_threshold = 5
  metric { name_match = "^[a-z].*" }
}
`, collector, port)
}

// TestInteropWithStockCollector: our gmond and a stock gmond send to one
// stock collector gmond. Every metric `gmond -m` lists reaches the stock
// collector, and each one stock gmond also has carries the same TYPE,
// UNITS, SLOPE, TMAX, DMAX and extras (GROUP, TITLE, DESC), so RRD files
// and ganglia-web reports keep working when the agent is replaced.
func TestInteropWithStockCollector(t *testing.T) {
	coll := stockganglia.StartCollector(t, stockganglia.CollectorOptions{HostDmax: -1})
	stockganglia.StartSender(t, stockganglia.SenderOptions{
		Channels:         []string{coll.Addr},
		Bind:             "127.0.0.3",
		CollectionGroups: stockganglia.DebianCollectionGroups + stockExtraGroup,
	})
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(interopConf("127.0.0.1", coll.Port)))
	startGmond(t, dir, "-c", "gmond.conf")

	ours := listedMetrics(t, gmondBinary(t), "-m")
	stock := listedMetrics(t, "/usr/sbin/gmond", "-m")
	for _, name := range stock {
		if !slices.Contains(ours, name) {
			t.Errorf("stock gmond -m lists %s, ours does not", name)
		}
	}

	var oursXML, stockXML *stockganglia.Host
	stockganglia.Eventually(t, 30*time.Second, func() error {
		doc := coll.Doc(t)
		c := doc.AllClusters()
		if len(c) != 1 {
			return fmt.Errorf("%d clusters", len(c))
		}
		oursXML, stockXML = c[0].HostByIP("127.0.0.2"), c[0].HostByIP("127.0.0.3")
		if oursXML == nil || stockXML == nil {
			return fmt.Errorf("hosts: ours %v, stock %v", oursXML != nil, stockXML != nil)
		}
		for _, name := range ours {
			if oursXML.Metric(name) == nil && !attributeMetric(name) {
				return fmt.Errorf("our %s not in the collector's XML yet", name)
			}
		}
		for _, name := range stock {
			if stockXML.Metric(name) == nil && !attributeMetric(name) {
				return fmt.Errorf("stock %s not in the collector's XML yet", name)
			}
		}
		return nil
	})
	if oursXML.GmondStarted == 0 {
		t.Error("GMOND_STARTED is 0: our heartbeat did not reach the collector")
	}
	if oursXML.Location != stockXML.Location {
		t.Errorf("LOCATION ours %q, stock %q", oursXML.Location, stockXML.Location)
	}
	for _, sm := range stockXML.Metrics {
		om := oursXML.Metric(sm.Name)
		if om == nil {
			t.Errorf("%s: stock sends it, ours does not", sm.Name)
			continue
		}
		if diff := compareMetric(&sm, om); diff != "" {
			t.Errorf("%s differs from stock: %s", sm.Name, diff)
		}
	}
}

// attributeMetric reports whether a collector shows the metric as a HOST
// attribute (GMOND_STARTED, LOCATION) instead of a METRIC element.
func attributeMetric(name string) bool { return name == "heartbeat" || name == "location" }

// compareMetric lists the attribute and extra differences of two METRICs.
func compareMetric(stock, ours *stockganglia.Metric) string {
	var d []string
	add := func(attr, s, o string) {
		if s != o {
			d = append(d, fmt.Sprintf("%s stock %q ours %q", attr, s, o))
		}
	}
	add("TYPE", stock.Type, ours.Type)
	add("UNITS", stock.Units, ours.Units)
	add("SLOPE", stock.Slope, ours.Slope)
	add("TMAX", fmt.Sprint(stock.TMAX), fmt.Sprint(ours.TMAX))
	add("DMAX", fmt.Sprint(stock.DMAX), fmt.Sprint(ours.DMAX))
	for _, key := range []string{"GROUP", "TITLE", "DESC"} {
		s, _ := stock.ExtraVal(key)
		o, _ := ours.ExtraVal(key)
		if key == "TITLE" && stock.Name != s {
			// Stock's TITLE comes from Debian's collection group titles;
			// ours from the same defaults only when not overridden.
			continue
		}
		add(key, s, o)
	}
	return strings.Join(d, "; ")
}

// listedMetrics runs a gmond with -m and returns the metric names.
func listedMetrics(t *testing.T, bin string, args ...string) []string {
	t.Helper()
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	if len(names) < 30 {
		t.Fatalf("%s -m listed only %d metrics:\n%s", bin, len(names), out)
	}
	return names
}
