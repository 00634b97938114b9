// The side-by-side benchmark against stock Ganglia takes an hour or more
// and tens of gigabytes: it builds only with -tags fleetbench
// (make bench-compare), never in make test.

//go:build fleetbench

package fleetbench

import (
	"context"
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

// compareEnv reads the knobs of make bench-compare from the environment,
// with their defaults.
type compareEnv struct {
	sizes     []int
	window    time.Duration // the measurement window of every run, both sides
	gmondFor  time.Duration // make bench-gmond's run, 0 to leave it out
	rrdBench  bool          // run make bench-rrd's test
	docs      string        // directory of BENCHMARKS.md and the plot, "" for none
	maxWarmup time.Duration
	// results is the JSON file every finished run is saved to, so that
	// COMPARE_REPLAY=file writes the docs again without running anything.
	results, replay string
}

func readCompareEnv(t *testing.T) compareEnv {
	t.Helper()
	get := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	sizes, err := parseSizes(get("FLEET_SIZES", "1000,5000,10000"))
	if err != nil {
		t.Fatal(err)
	}
	e := compareEnv{sizes: sizes, rrdBench: get("COMPARE_RRD", "1") != "0", docs: get("COMPARE_DOCS", "../../docs"),
		results: get("COMPARE_RESULTS", filepath.Join(os.TempDir(), "bench-compare-results.json")),
		replay:  os.Getenv("COMPARE_REPLAY")}
	if e.docs == "-" {
		e.docs = ""
	}
	for _, d := range []struct {
		key, def string
		v        *time.Duration
	}{{"FLEET_WINDOW", "2m", &e.window}, {"GMOND_FOR", "3m", &e.gmondFor}, {"FLEET_MAXWARMUP", "15m", &e.maxWarmup}} {
		if *d.v, err = time.ParseDuration(get(d.key, d.def)); err != nil {
			t.Fatalf("%s: %v", d.key, err)
		}
	}
	return e
}

// TestCompare runs, for each size of FLEET_SIZES, our gmetad, the stock
// pipeline and the stock pipeline with rrdcached under the same fleet and
// window, then prints the comparison and writes docs/BENCHMARKS.md with
// its plot. Any run that does not complete fails the test; the report is
// written all the same, saying which.
func TestCompare(t *testing.T) {
	if os.Getenv(isolatedEnv) == "" {
		rerunIsolated(t)
		return
	}
	env := readCompareEnv(t)
	if env.replay != "" {
		rep := loadReport(t, env)
		rep.print()
		rep.writeDocs(t, env.docs)
		return
	}
	rep := &compareReport{Env: env.public(), Started: time.Now(), Machine: describeMachine()}
	defer rep.save(t, env.results)
	bin := buildBinaries(t)
	for _, n := range env.sizes {
		run := SizeRun{Hosts: n}
		for _, pipeline := range []string{"ours", "stock", "stock+rrdcached"} {
			ok := t.Run(fmt.Sprintf("%dhosts/%s", n, pipeline), func(t *testing.T) {
				side, err := runSide(t, pipeline, compareConfig(t, n, env, bin))
				if err != nil {
					rep.Failures = append(rep.Failures, fmt.Sprintf("%s hosts, %s: %v", sizeLabel(n), pipeline, firstLine(err)))
					t.Fatalf("%d hosts, %s: %v", n, pipeline, err)
				}
				run.Sides = append(run.Sides, side)
			})
			if !ok && pipeline == "ours" {
				break
			}
		}
		if len(run.Sides) > 0 {
			rep.Runs = append(rep.Runs, run)
		}
		rep.save(t, env.results)
	}
	// The side benchmarks come last: the fleets are the main result.
	if env.rrdBench {
		rep.Extras = append(rep.Extras, runExtra(t, "rrdstore against librrd (make bench-rrd)",
			librrdTable, "-tags", "librrdbench", "-run", "^TestStoreVsLibrrd$", "-timeout", "30m", "./rrdstore"))
	}
	if env.gmondFor > 0 {
		rep.Extras = append(rep.Extras, runExtra(t, "our gmond against stock gmond (make bench-gmond GMOND_FOR="+env.gmondFor.String()+")",
			footprintTable, "-tags", "gmondbench", "-run", "^TestFootprintVsStock$", "-timeout", (env.gmondFor+10*time.Minute).String(),
			"./cmd/gmond", "-footprint.for="+env.gmondFor.String()))
	}
	rep.Finished = time.Now()
	rep.save(t, env.results)
	rep.print()
	if env.docs != "" {
		rep.writeDocs(t, env.docs)
	}
}

func runSide(t *testing.T, pipeline string, cfg Config) (Side, error) {
	switch pipeline {
	case "ours":
		res, err := Run(context.Background(), cfg)
		if err != nil {
			return Side{}, err
		}
		return OursSide(res), nil
	case "stock":
		return runStock(t, cfg, false)
	default:
		return runStock(t, cfg, true)
	}
}

// compareConfig is one run's configuration, the same for every pipeline:
// the reduced RRAs, three managed systems, hosts named by the address
// their packets come from (stock gmond's reverse lookup fails here and
// falls back to the same text), the window of FLEET_WINDOW.
func compareConfig(t *testing.T, hosts int, env compareEnv, bin Binaries) Config {
	return Config{Hosts: hosts, Metrics: 50, Window: env.window, Systems: 3, Dir: t.TempDir(), Bin: bin,
		MaxWarmup: env.maxWarmup, LagFiles: 16,
		FreePort: func() (int, error) { return stockganglia.FreePort(t), nil }, Log: os.Stdout}
}

// runExtra runs one of the side benchmarks with go test -v and keeps its
// table; a failure fails TestCompare.
func runExtra(t *testing.T, title string, cut func(string) (string, error), args ...string) Extra {
	t.Helper()
	argv := append([]string{"test", "-count=1", "-v"}, args...)
	cmd := exec.Command("go", argv...)
	cmd.Dir = moduleRoot(t)
	fmt.Printf("%s compare: go %s\n", time.Now().Format("15:04:05"), strings.Join(argv, " "))
	out, err := cmd.CombinedOutput()
	e := Extra{Title: title, Command: "go " + strings.Join(argv, " ")}
	if err != nil {
		t.Errorf("%s: %v\n%s", e.Command, err, out)
		e.Table = fmt.Sprintf("(failed: %v)\n", err)
		return e
	}
	if e.Table, err = cut(string(out)); err != nil {
		t.Errorf("%s: %v\n%s", e.Command, err, out)
	}
	fmt.Print(e.Table)
	return e
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// describeMachine names the CPU, cores, memory, kernel, Debian, Go and the
// stock packages the figures come from.
func describeMachine() string {
	read := func(path string) string {
		b, _ := os.ReadFile(path)
		return strings.TrimSpace(string(b))
	}
	model := "?"
	for line := range strings.SplitSeq(read("/proc/cpuinfo"), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			model = strings.TrimSpace(v)
			break
		}
	}
	mem := "?"
	for line := range strings.SplitSeq(read("/proc/meminfo"), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			mem = fmt.Sprintf("%.1f GiB", kb/(1<<20))
		}
	}
	goVersion, _ := exec.Command("go", "env", "GOVERSION").Output()
	pkgs, _ := exec.Command("dpkg-query", "-W", "-f", "${Package} ${Version}, ",
		"ganglia-monitor", "gmetad", "rrdcached", "librrd8").Output()
	return fmt.Sprintf("CPU %s, %d cores (nproc), %s RAM, kernel %s, Debian %s, %s; stock packages: %s",
		model, runtime.NumCPU(), mem, read("/proc/sys/kernel/osrelease"), read("/etc/debian_version"),
		strings.TrimSpace(string(goVersion)), strings.TrimSuffix(string(pkgs), ", "))
}

// isolatedEnv marks the test binary rerunIsolated started.
const isolatedEnv = "FLEETBENCH_ISOLATED"

// rerunIsolated runs TestCompare again in a private mount namespace whose
// /etc/resolv.conf names a resolver on 127.0.0.1 where none listens. Stock
// gmond names every new host by reverse DNS of its address (getnameinfo,
// falling back to the address text); against the machine's resolver the
// lookups of thousands of new hosts go off the machine, some wait out
// 5 s timeouts, and the single-threaded collector drops datagrams
// meanwhile. Here each lookup fails at once and gives the address text,
// the same names ours takes from the packets. It needs root (unshare -m).
func rerunIsolated(t *testing.T) {
	resolv := filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(resolv, []byte("# fleetbench: no resolver\nnameserver 127.0.0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	argv := []string{"--mount", "sh", "-c", `mount --bind "$1" /etc/resolv.conf && shift && exec "$@"`, "sh", resolv,
		os.Args[0], "-test.run=^TestCompare$", "-test.v=true"}
	if d, ok := t.Deadline(); ok {
		argv = append(argv, "-test.timeout="+time.Until(d).Round(time.Second).String())
	}
	cmd := exec.Command("unshare", argv...)
	cmd.Env = append(os.Environ(), isolatedEnv+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("TestCompare in a mount namespace without a resolver (unshare %s): %v", strings.Join(argv, " "), err)
	}
}
