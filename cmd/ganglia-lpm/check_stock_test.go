package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// TestCheckFixUnderStockGmetad: a real stock gmetad writes a host that
// has been on two managed systems into two real directories (the tree
// ganglia-lpm replaces); check --fix merges them into LPARS while gmetad
// keeps writing, gmetad then writes through the links, and no sample
// rrdtool read before the fix is lost.
func TestCheckFixUnderStockGmetad(t *testing.T) {
	const host, step = "lpar01.example.com", 2
	var srcs []stockganglia.DataSource
	for i, cluster := range []string{"P550", "P770"} {
		col := stockganglia.StartCollector(t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: cluster}})
		gm := stockganglia.NewGmetric(t, stockganglia.GmetricOptions{Channels: []string{col.Addr}})
		// load_one on both systems (the host moved: the old collector
		// still serves its last value, so both files are written with it
		// until host_dmax), and one metric only on each. Where both files
		// hold a sample the merge keeps the newer file's; the values are
		// equal here so that every sample of both can be compared.
		for m, v := range map[string]string{"load_one": "0.5", "only_" + cluster: strconv.Itoa(i + 1)} {
			gm.Run(t, "-n", m, "-t", "float", "-v", v, "-d", "0", "-x", "600", "-S", "10.0.0.9:"+host)
			col.WaitFor(t, 30*time.Second, stockganglia.HasMetric(host, m))
		}
		srcs = append(srcs, stockganglia.DataSource{Name: cluster, Step: step, Addrs: []string{col.Addr}})
	}
	gd := stockganglia.StartGmetad(t, stockganglia.GmetadOptions{DataSources: srcs,
		RRAs: []string{"RRA:AVERAGE:0.5:1:600", "RRA:AVERAGE:0.5:5:100"}})
	root := gd.RRDRoot
	files := map[string]string{ // original -> where its samples must be after the fix
		"P550/" + host + "/load_one.rrd":    "LPARS/" + host + "/load_one.rrd",
		"P770/" + host + "/load_one.rrd":    "LPARS/" + host + "/load_one.rrd",
		"P550/" + host + "/only_P550.rrd":   "LPARS/" + host + "/only_P550.rrd",
		"P770/" + host + "/only_P770.rrd":   "LPARS/" + host + "/only_P770.rrd",
		"P550/__SummaryInfo__/load_one.rrd": "P550/__SummaryInfo__/load_one.rrd",
	}
	for f := range files {
		stockganglia.WaitForFile(t, filepath.Join(root, f), 30*time.Second)
	}
	// A few updates first, so there is history to lose.
	stockganglia.Eventually(t, 30*time.Second, func() error { return knownRows(t, filepath.Join(root, "P770", host, "load_one.rrd"), 3) })
	before := map[string]map[string]string{}
	for f := range files {
		before[f] = fetchStock(t, filepath.Join(root, f))
	}

	r := runCmd(t, nil, "check", "--root", root, "--json")
	if r.code != exitFailed || strings.Count(r.stdout, `"rule":"duplicate-host"`) != 2 {
		t.Fatalf("check of the stock tree: %s", r)
	}
	var fixedAt int64
	stockganglia.Eventually(t, 30*time.Second, func() error {
		// gmetad may hold a lock or put a file back meanwhile: the fix
		// skips and says so, and the next run finishes.
		r := runCmd(t, nil, "check", "--root", root, "--fix")
		if r.code != exitOK {
			t.Logf("check --fix left problems, running it again: %s", r)
			return fmt.Errorf("check --fix: %s", r)
		}
		fixedAt = time.Now().Unix()
		return nil
	})
	for _, c := range []string{"P550", "P770"} {
		if target, err := os.Readlink(filepath.Join(root, c, host)); err != nil || target != "../LPARS/"+host {
			t.Errorf("%s/%s: link %q, %v", c, host, target, err)
		}
	}
	// gmetad goes on writing, through the links, into the merged files.
	stockganglia.Eventually(t, 30*time.Second, func() error {
		last, _, _, err := rrdstore.LastUpdate(filepath.Join(root, "LPARS", host, "load_one.rrd"))
		if err != nil || last <= fixedAt+step {
			return fmt.Errorf("last update %d, %v; fixed at %d", last, err, fixedAt)
		}
		return nil
	})
	if gd.Exited() {
		t.Fatalf("gmetad died:\n%s", gd.Log())
	}
	if r := runCmd(t, nil, "check", "--root", root); r.code != exitOK {
		t.Errorf("check after the fix, gmetad still writing: %s", r)
	}
	for orig, final := range files {
		after := fetchStock(t, filepath.Join(root, final))
		for ts, v := range before[orig] {
			if after[ts] != v {
				t.Errorf("%s at %s: %q, was %q in %s", final, ts, after[ts], v, orig)
			}
		}
	}
}

// fetchStock returns the known values rrdtool fetch reads from the
// one-step archive, by time.
func fetchStock(t *testing.T, path string) map[string]string {
	t.Helper()
	r := rrdtool(t, filepath.Dir(path), "fetch", path, "AVERAGE", "-r", "2", "-s", "end-1000")
	if r.code != 0 {
		t.Fatalf("rrdtool fetch %s: %s", path, r)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(r.stdout, "\n") {
		ts, v, ok := strings.Cut(line, ":")
		if ok && !strings.Contains(v, "nan") && strings.TrimSpace(ts) != "" {
			rows[strings.TrimSpace(ts)] = strings.TrimSpace(v)
		}
	}
	return rows
}

func knownRows(t *testing.T, path string, n int) error {
	if got := len(fetchStock(t, path)); got < n {
		return fmt.Errorf("%s: %d known rows, want %d", path, got, n)
	}
	return nil
}
