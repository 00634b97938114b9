package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// TestMigrateStockGmetadTree: a real stock gmetad polls two collector
// gmonds (managed systems P550 and P770); a stock gmond on 127.0.0.21
// reports to P550, then "moves" (a new gmond on the same address, so the
// same host name, reporting to P770), and gmetad writes the host's RRDs
// in both systems. With gmetad stopped, migrate makes one history per
// host: LPARS/<host> linked from both systems, every sample rrdtool read
// from either original still there (where both had one, the newer file's),
// every file readable by rrdtool, summaries untouched, check clean. Stock
// gmetad restarted on the migrated tree writes through the links.
func TestMigrateStockGmetadTree(t *testing.T) {
	const ip, step = "127.0.0.21", 2
	// P550 sees the host down 4·host_tmax seconds after it left, as a
	// collector does once an LPAR has moved, and gmetad stops writing its
	// files there: P770's are the ones written last. The sender reports
	// every two seconds so that it is never down while it runs.
	colA := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: "P550"},
		HostTmax: 2})
	colB := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: "P770"}})
	senderOpts := func(col *stockganglia.Gmond) stockganglia.SenderOptions {
		return stockganglia.SenderOptions{Channels: []string{col.Addr}, Bind: ip, CollectionGroups: fastGroups}
	}
	opts := stockganglia.GmetadOptions{
		DataSources: []stockganglia.DataSource{
			{Name: "P550", Step: step, Addrs: []string{colA.Addr}},
			{Name: "P770", Step: step, Addrs: []string{colB.Addr}},
		},
		RRAs: []string{"RRA:AVERAGE:0.5:1:600", "RRA:AVERAGE:0.5:5:100"},
	}
	gd := stockganglia.StartGmetad(t, opts)
	root := gd.RRDRoot

	sender := stockganglia.StartSender(t, senderOpts(colA))
	host := hostNamed(t, colA, ip)
	waitRows(t, filepath.Join(root, "P550", host, "load_one.rrd"))
	sender.Stop()
	stockganglia.StartSender(t, senderOpts(colB))
	if got := hostNamed(t, colB, ip); got != host {
		t.Fatalf("the host is %q on P770, %q on P550", got, host)
	}
	oldLoad, newLoad := filepath.Join(root, "P550", host, "load_one.rrd"), filepath.Join(root, "P770", host, "load_one.rrd")
	waitRows(t, newLoad)
	stockganglia.Eventually(t, 30*time.Second, func() error { // P550 no longer written
		a, _, _, errA := rrdstore.LastUpdate(oldLoad)
		b, _, _, errB := rrdstore.LastUpdate(newLoad)
		if errA != nil || errB != nil || b <= a+step {
			return fmt.Errorf("last updates P550 %d (%v), P770 %d (%v)", a, errA, b, errB)
		}
		return nil
	})
	gd.Stop()

	originals := stockHistories(t, root, host)
	summaries := snapshot(t, filepath.Join(root, "__SummaryInfo__")) +
		snapshot(t, filepath.Join(root, "P550", "__SummaryInfo__")) + snapshot(t, filepath.Join(root, "P770", "__SummaryInfo__"))
	r := runCmd(t, nil, "migrate", "--root", root)
	if r.code != exitOK || !strings.Contains(r.stdout, "\n  "+host+": P550 (last update ") ||
		!strings.Contains(r.stdout, "; newest in P770\n") {
		t.Fatalf("migrate: %s", r)
	}
	migratedAt := time.Now().Unix()
	for _, s := range []string{"P550", "P770"} {
		if target, err := os.Readlink(filepath.Join(root, s, host)); err != nil || target != "../LPARS/"+host {
			t.Errorf("%s/%s: link %q, %v", s, host, target, err)
		}
	}
	for metric, o := range originals {
		o.mustBeIn(t, filepath.Join(root, "LPARS", host, metric))
		t.Logf("%s: P550 %d rows last %d, P770 %d rows last %d", metric, len(o.rows[0]), o.last[0], len(o.rows[1]), o.last[1])
	}
	after := snapshot(t, filepath.Join(root, "__SummaryInfo__")) +
		snapshot(t, filepath.Join(root, "P550", "__SummaryInfo__")) + snapshot(t, filepath.Join(root, "P770", "__SummaryInfo__"))
	if after != summaries {
		t.Errorf("summaries changed:\n%s", diffLines(summaries, after))
	}
	rrdtoolReadsAll(t, root)
	if r := runCmd(t, nil, "check", "--root", root); r.code != exitOK {
		t.Errorf("check after migrate: %s", r)
	}

	opts.RRDRoot = root
	gd = stockganglia.StartGmetad(t, opts)
	stockganglia.Eventually(t, 30*time.Second, func() error {
		last, _, _, err := rrdstore.LastUpdate(filepath.Join(root, "LPARS", host, "load_one.rrd"))
		if err != nil || last <= migratedAt {
			return fmt.Errorf("LPARS/%s/load_one.rrd: last update %d (%v), migrated at %d", host, last, err, migratedAt)
		}
		return nil
	})
	if target, err := os.Readlink(filepath.Join(root, "P770", host)); err != nil || target != "../LPARS/"+host {
		t.Errorf("after the restart P770/%s: link %q, %v", host, target, err)
	}
	if gd.Exited() {
		t.Fatalf("gmetad died on the migrated tree:\n%s", gd.Log())
	}
}

// fastGroups make a stock sender gmond report a few standard metrics
// every two seconds, whether they changed or not.
const fastGroups = `collection_group { collect_every = 1 time_threshold = 2
  metric { name = "load_one" value_threshold = "0.0" }
  metric { name = "cpu_user" value_threshold = "0.0" }
  metric { name = "cpu_idle" value_threshold = "0.0" }
  metric { name = "mem_free" value_threshold = "0.0" }
  metric { name = "proc_total" value_threshold = "0.0" }
}
`

// hostNamed waits until the collector lists a host reporting from ip with
// load_one and returns its name (reverse DNS of ip, or the address).
func hostNamed(t *testing.T, col *stockganglia.Gmond, ip string) string {
	t.Helper()
	var name string
	col.WaitFor(t, 30*time.Second, func(d *stockganglia.Doc) error {
		for _, c := range d.AllClusters() {
			if h := c.HostByIP(ip); h != nil && h.Metric("load_one") != nil {
				name = h.Name
				return nil
			}
		}
		return fmt.Errorf("no host from %s with load_one", ip)
	})
	return name
}

// waitRows waits until path exists and rrdtool reads three known rows.
func waitRows(t *testing.T, path string) {
	t.Helper()
	stockganglia.WaitForFile(t, path, 30*time.Second)
	stockganglia.Eventually(t, 30*time.Second, func() error { return knownRows(t, path, 3) })
}

// stockHistory is what rrdtool fetch read from the two originals of one
// metric, with their last updates.
type stockHistory struct {
	rows [2]map[string]string // P550's, P770's; nil for a file that did not exist
	last [2]int64
}

// stockHistories reads every metric the host has in either system.
func stockHistories(t *testing.T, root, host string) map[string]*stockHistory {
	t.Helper()
	hs := map[string]*stockHistory{}
	for i, s := range []string{"P550", "P770"} {
		files, err := filepath.Glob(filepath.Join(root, s, host, "*.rrd"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s/%s: no RRD files (%v)", s, host, err)
		}
		for _, f := range files {
			h := hs[filepath.Base(f)]
			if h == nil {
				h = &stockHistory{}
				hs[filepath.Base(f)] = h
			}
			h.rows[i] = fetchStock(t, f)
			if h.last[i], _, _, err = rrdstore.LastUpdate(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	return hs
}

// mustBeIn fails unless every known sample of either original is known in
// merged: the one original's value, or where both had one, the value of
// the file updated last.
func (h *stockHistory) mustBeIn(t *testing.T, merged string) {
	t.Helper()
	got := fetchStock(t, merged)
	newer := 0
	if h.last[1] > h.last[0] {
		newer = 1
	}
	if len(h.rows[0])+len(h.rows[1]) < 3 {
		t.Errorf("%s: %d and %d known rows in the originals; the test compares next to nothing", merged, len(h.rows[0]), len(h.rows[1]))
	}
	for i, rows := range h.rows {
		for ts, v := range rows {
			want := v
			if other, ok := h.rows[1-i][ts]; ok && other != v {
				want = h.rows[newer][ts]
			}
			if got[ts] != want {
				t.Errorf("%s at %s: %q, want %q (P550 %q, P770 %q)", merged, ts, got[ts], want, h.rows[0][ts], h.rows[1][ts])
			}
		}
	}
}

// rrdtoolReadsAll runs rrdtool info on every RRD file of the tree,
// through the host links as ganglia-web does.
func rrdtoolReadsAll(t *testing.T, root string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.rrd"))
	more, _ := filepath.Glob(filepath.Join(root, "__SummaryInfo__", "*.rrd"))
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d RRD files under %s", len(files), root)
	}
	for _, f := range files {
		if r := rrdtool(t, root, "info", f); r.code != 0 {
			t.Errorf("rrdtool info %s: %s", f, r)
		}
	}
}
