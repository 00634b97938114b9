// The fleet benchmark takes minutes and gigabytes: it builds only with
// -tags fleetbench (make bench-gmetad), never in make test.

//go:build fleetbench

package fleetbench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

var (
	fleetHosts    = flag.String("fleet.hosts", "1000,10000", "fleet sizes to run, comma-separated")
	fleetWindow   = flag.Duration("fleet.duration", 0, "measurement window of each run (0: 2m up to 1,000 hosts, 3m above)")
	fleetMetrics  = flag.Int("fleet.metrics", 50, "metrics per host")
	fleetSystems  = flag.Int("fleet.systems", 3, "managed systems the hosts are split across")
	fleetRRAs     = flag.String("fleet.rras", strings.Join(ReducedRRAs, " "), "RRAs of gmetad.conf, space-separated")
	fleetKeep     = flag.Bool("fleet.keep", false, "keep each run's directory (RRDs, logs) in TMPDIR")
	fleetOut      = flag.String("fleet.out", "", "also write the table to this file")
	fleetMaxWarm  = flag.Duration("fleet.maxwarmup", 15*time.Minute, "longest wait for every host and file before measuring")
	fleetSettleOK = flag.Bool("fleet.require-settled", false, "fail a run whose warm-up did not settle")
	fleetDNS      = flag.Bool("fleet.dns", false, "name hosts by reverse DNS as stock gmond (default: hostname_from_packet on)")
	fleetConf     = flag.String("fleet.conf", "", "more gmetad.conf lines, separated by ';'")
)

// TestFleet runs gmetad under each fleet size of -fleet.hosts and prints
// the table; a run that does not complete fails the test.
func TestFleet(t *testing.T) {
	sizes, err := parseSizes(*fleetHosts)
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinaries(t)
	var results []*Result
	for _, n := range sizes {
		t.Run(strconv.Itoa(n)+"hosts", func(t *testing.T) {
			res, err := Run(context.Background(), runConfig(t, n, bin))
			if err != nil {
				t.Fatalf("%d hosts: %v", n, err)
			}
			if *fleetSettleOK && !res.WarmupSettled {
				t.Errorf("%d hosts: the warm-up did not settle within %v", n, *fleetMaxWarm)
			}
			results = append(results, res)
		})
	}
	var b bytes.Buffer
	if err := WriteTable(&b, results); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\ngmetad fleet benchmark (%d cores, GOMAXPROCS default)\n%s", runtime.NumCPU(), b.String())
	if *fleetOut != "" {
		if err := os.WriteFile(*fleetOut, b.Bytes(), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func runConfig(t *testing.T, hosts int, bin Binaries) Config {
	dir := t.TempDir()
	if *fleetKeep {
		var err error
		if dir, err = os.MkdirTemp("", "fleetbench-"+strconv.Itoa(hosts)+"-"); err != nil {
			t.Fatal(err)
		}
		t.Logf("run directory kept: %s", dir)
	}
	return Config{Hosts: hosts, Metrics: *fleetMetrics, Window: *fleetWindow, Systems: *fleetSystems,
		RRAs: strings.Fields(*fleetRRAs), Dir: dir, Bin: bin, MaxWarmup: *fleetMaxWarm, ReverseDNS: *fleetDNS,
		Extra:    strings.FieldsFunc(*fleetConf, func(r rune) bool { return r == ';' }),
		FreePort: func() (int, error) { return stockganglia.FreePort(t), nil }, Log: os.Stdout}
}

func buildBinaries(t *testing.T) Binaries {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin, err := Build(context.Background(), filepath.Dir(strings.TrimSpace(string(out))), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-fleet.hosts: bad size %q", f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
