package persist

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

const stockWait = 30 * time.Second

// stockMetrics is what gmetric sends: name, type, slope, value.
var stockMetrics = [][4]string{
	{"load_one", "float", "both", "0.25"},
	{"cpu_num", "uint16", "zero", "2"},
	{"golden_uint32", "uint32", "positive", "4000000000"},
	{"golden_double", "double", "derivative", "2.718281828459045"},
	{"golden_int8", "int8", "both", "-5"},
	{"golden_string", "string", "zero", "hello"},
}

// TestMatchesStockGmetad runs stock gmetad polling a stock collector gmond
// that gmetric fed, and persists the same metrics, read from the same
// collector, with our persister. The file names per host and summary
// directory are the same (ours under LPARS, reached through the cluster's
// link) and so is every definition rrdtool info shows, but for the two
// type choices PROTOCOL.md §7 Q10 makes: num is always GAUGE (3.7.2:
// the sum's type), and the root summary's sum type follows the slope
// (3.7.2: GAUGE by accident).
func TestMatchesStockGmetad(t *testing.T) {
	const clusterName, hostName = "P770-DC1-R05", "lpar09.example.com"
	rras := []string{"RRA:AVERAGE:0.5:1:100", "RRA:AVERAGE:0.5:4:20"}
	col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: clusterName}})
	gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{col.Addr}})
	for _, m := range stockMetrics {
		gm.Run(t, "-n", m[0], "-t", m[1], "-s", m[2], "-v", m[3], "-S", "10.0.0.9:"+hostName)
	}
	for _, m := range stockMetrics {
		col.WaitFor(t, stockWait, stockganglia.HasMetric(hostName, m[0]))
	}
	gd := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{RRAs: rras,
		DataSources: []stockganglia.DataSource{{Name: clusterName, Step: 5, Addrs: []string{col.Addr}}}})
	slopes := map[string]string{}
	for _, m := range stockMetrics[:len(stockMetrics)-1] {
		slopes[m[0]+".rrd"] = m[2]
		for _, dir := range []string{hostName, "__SummaryInfo__"} {
			stockganglia.WaitForFile(t, gd.RRDPath(clusterName, dir, m[0]), stockWait)
		}
		stockganglia.WaitForFile(t, filepath.Join(gd.RRDRoot, "__SummaryInfo__", m[0]+".rrd"), stockWait)
	}
	gd.Stop()

	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t), Step: 5 * time.Second, RRAs: parseRRAs(t, rras)})
	snap, now := snapshotFromDoc(col.Doc(t))
	p.Persist(snap, now)
	closePersister(t, p)

	for _, c := range []struct{ stock, ours string }{
		{filepath.Join(clusterName, hostName), filepath.Join("LPARS", hostName)},
		{filepath.Join(clusterName, hostName), filepath.Join(clusterName, hostName)},
		{filepath.Join(clusterName, "__SummaryInfo__"), filepath.Join(clusterName, "__SummaryInfo__")},
		{"__SummaryInfo__", "__SummaryInfo__"},
	} {
		stockFiles, ours := listRRDs(t, filepath.Join(gd.RRDRoot, c.stock)), listRRDs(t, filepath.Join(root, c.ours))
		if !slices.Equal(stockFiles, ours) || len(ours) != len(slopes) {
			t.Errorf("%s: %q, stock %s: %q", c.ours, ours, c.stock, stockFiles)
			continue
		}
		for _, name := range ours {
			want := definitionKeys(rrdInfo(t, filepath.Join(gd.RRDRoot, c.stock, name)))
			got := definitionKeys(rrdInfo(t, filepath.Join(root, c.ours, name)))
			if _, ok := want["ds[num].type"]; ok {
				want["ds[num].type"] = `"GAUGE"`
			}
			if c.stock == "__SummaryInfo__" {
				want["ds[sum].type"] = fmt.Sprintf("%q", dsTypeName(slopes[name]))
			}
			if d := diffKeys(got, want); len(d) > 0 {
				t.Errorf("%s/%s differs from stock:\n%s", c.ours, name, strings.Join(d, "\n"))
			}
		}
	}
}

func dsTypeName(slope string) string {
	return [...]string{dsGauge: "GAUGE", dsCounter: "COUNTER", dsDerive: "DERIVE"}[typeOfSlope(slope)]
}

func parseRRAs(t *testing.T, defs []string) []rrdstore.RRA {
	t.Helper()
	_, rras, err := rrdstore.ParseDefs(defs, 5)
	if err != nil {
		t.Fatal(err)
	}
	return rras
}

// snapshotFromDoc turns a collector gmond's dump into the snapshot our
// grid would hold after polling it, at the dump's LOCALTIME.
func snapshotFromDoc(d *stockganglia.Doc) (*xmlout.Snapshot, time.Time) {
	var srcs []xmlout.Source
	var now time.Time
	for _, c := range d.Clusters {
		now = time.Unix(c.LocalTime, 0)
		var hosts []xmlout.Host
		for _, h := range c.Hosts {
			xh := xmlout.Host{Name: h.Name, IP: h.IP, Reported: h.Reported, TMax: uint32(h.TMAX), DMax: uint32(h.DMAX),
				T0: now.Add(-time.Duration(h.TN) * time.Second)}
			for _, m := range h.Metrics {
				xh.Metrics = append(xh.Metrics, xmlout.Metric{Name: m.Name, Val: m.Val, Type: m.Type, Units: m.Units,
					Slope: m.Slope, TMax: uint32(m.TMAX), DMax: uint32(m.DMAX), T0: now.Add(-time.Duration(m.TN) * time.Second)})
			}
			hosts = append(hosts, xh)
		}
		srcs = append(srcs, cluster(c.Name, now, hosts...))
	}
	return snapshot(srcs...), now
}
