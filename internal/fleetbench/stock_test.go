//go:build fleetbench

package fleetbench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/rrdcached"
)

// The stock pipeline of the comparison: one Debian collector gmond per
// managed system, listening where the load generator sends that system's
// hosts, and Debian's gmetad polling them every 15 s with the same RRAs as
// ours; with rrdcached, gmetad reaches a real rrdcached through
// RRDCACHED_ADDRESS, as Debian's gmetad-default suggests: librrd's
// rrd_create and rrd_update then go to the daemon.

// rrdcachedArgs are Debian's defaults (-B, a journal) with write timers
// short enough for the window to see the daemon write: every file is
// written 60-90 s after its first cached update (Debian: 300 s, no jitter).
var rrdcachedArgs = []string{"-B", "-w", "60", "-z", "30"}

// stockRun is one run of the stock pipeline.
type stockRun struct {
	t          *testing.T
	cfg        Config
	cached     bool
	collectors []*stockganglia.Gmond
	gmetad     *stockganglia.Gmetad
	rrdcached  *stockganglia.Process
	sock       string // rrdcached's unix socket
	client     *rrdcached.Client
	loadgen    *proc
	rrds       string
	side       Side
	// windowStart is the RRD step the window starts after.
	windowStart time.Time
	loadStart   string // /proc/loadavg at the start
}

// stockSample is the counters of every stock process at one time.
type stockSample struct {
	at    time.Time
	procs map[string]procSample // by name: gmond-1…, gmetad, rrdcached
	drops uint64
}

// runStock measures the stock pipeline under cfg's fleet. Every process
// is stopped by PID when t ends (stockganglia's clean-up) or before.
func runStock(t *testing.T, cfg Config, cached bool) (Side, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Side{}, err
	}
	r := &stockRun{t: t, cfg: cfg, cached: cached, rrds: filepath.Join(cfg.Dir, "rrds"), loadStart: loadAvg()}
	r.side = Side{Pipeline: "stock", Hosts: cfg.Hosts, Window: cfg.Window,
		Procs: fmt.Sprintf("%d gmond + gmetad", cfg.Systems), StoredHow: "updates seen on the watched files × files"}
	if cached {
		r.side.Pipeline, r.side.Procs = "stock+rrdcached", r.side.Procs+" + rrdcached"
	}
	defer func() {
		if r.loadgen != nil {
			_ = r.loadgen.stop(loadgenGrace)
		}
	}()
	for _, stage := range []func(context.Context) error{
		r.prepare, r.start, r.warmup, r.measure, r.gaps, r.dumps, r.stop,
	} {
		if err := stage(context.Background()); err != nil {
			return r.side, r.explain(err)
		}
	}
	return r.side, nil
}

func (r *stockRun) logf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Log, "%s %s %d hosts: %s\n", time.Now().Format("15:04:05"), r.side.Pipeline,
		r.cfg.Hosts, fmt.Sprintf(format, args...))
}

func (r *stockRun) explain(err error) error {
	if r.gmetad == nil {
		return err
	}
	return fmt.Errorf("%w\nstock gmetad log %s (end):\n%s", err, r.gmetad.LogPath, r.gmetad.Log())
}

func (r *stockRun) prepare(context.Context) error {
	if err := os.MkdirAll(r.rrds, 0o755); err != nil {
		return err
	}
	need, err := checkDisk(r.cfg.Dir, r.cfg)
	if err != nil {
		return err
	}
	r.logf("RRDs in %s (up to %d MB), RRAs %s", r.rrds, need>>20, strings.Join(r.cfg.RRAs, " "))
	return nil
}

// start brings up the collectors, rrdcached, gmetad and the load, in the
// order a site would.
func (r *stockRun) start(context.Context) error {
	var sources []stockganglia.DataSource
	var ports []int
	for i := range r.cfg.Systems {
		name := fmt.Sprintf("P770-FLEET-%02d", i+1)
		g := stockganglia.StartCollector(r.t, stockganglia.CollectorOptions{Cluster: stockganglia.ClusterInfo{Name: name}})
		r.collectors = append(r.collectors, g)
		ports = append(ports, g.Port)
		sources = append(sources, stockganglia.DataSource{Name: name, Step: int(step.Seconds()), Addrs: []string{g.Addr}})
	}
	if r.cached {
		if err := r.startRRDCached(); err != nil {
			return err
		}
	}
	r.gmetad = stockganglia.StartGmetad(r.t, stockganglia.GmetadOptions{DataSources: sources,
		Gridname: "fleetbench", RRDRoot: r.rrds, RRAs: r.cfg.RRAs})
	r.logf("collectors on %v, gmetad pid %d (xml %d)", ports, r.gmetad.PID(), r.gmetad.XMLPort)
	l := &layout{systemPorts: ports}
	p, err := startProc(r.cfg.Dir, "loadgen", append([]string{r.cfg.Bin.Loadgen}, l.loadgenArgs(r.cfg)...)...)
	if err != nil {
		return err
	}
	r.loadgen = p
	r.logf("loadgen pid %d: %s", p.pid(), p.commandLine())
	return nil
}

// startRRDCached starts rrdcached on a unix socket with rrd_rootdir as its
// base, so that gmetad's local stat() and the daemon's files agree, and
// points the gmetad about to start at it.
func (r *stockRun) startRRDCached() error {
	dir, err := os.MkdirTemp("", "rrdcd") // a socket path has at most 108 bytes
	if err != nil {
		return err
	}
	r.t.Cleanup(func() { os.RemoveAll(dir) })
	base, err := filepath.EvalSymlinks(r.rrds)
	if err != nil {
		return err
	}
	r.rrds, r.sock = base, filepath.Join(dir, "sock")
	journal := filepath.Join(dir, "journal")
	if err := os.Mkdir(journal, 0o755); err != nil {
		return err
	}
	argv := append([]string{"/usr/bin/rrdcached", "-g", "-l", "unix:" + r.sock, "-b", base, "-j", journal,
		"-p", filepath.Join(dir, "pid")}, rrdcachedArgs...)
	r.rrdcached = stockganglia.Launch(r.t, "rrdcached", dir, argv...)
	err = r.rrdcached.WaitReady(startTimeout, func() error {
		c, err := net.Dial("unix", r.sock)
		if err == nil {
			c.Close()
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("rrdcached %v: %w\n%s", argv, err, r.rrdcached.Log())
	}
	if r.client, err = rrdcached.Dial(context.Background(), "unix:"+r.sock, rrdcached.Options{BaseDir: base}); err != nil {
		return err
	}
	r.t.Cleanup(func() { r.client.Close() })
	r.t.Setenv("RRDCACHED_ADDRESS", "unix:"+r.sock)
	r.logf("rrdcached pid %d: %s", r.rrdcached.Pid(), strings.Join(argv, " "))
	return nil
}

// pids names every stock process.
func (r *stockRun) pids() map[string]int {
	m := map[string]int{"gmetad": r.gmetad.PID()}
	for i, g := range r.collectors {
		m[fmt.Sprintf("gmond-%d", i+1)] = g.Pid()
	}
	if r.rrdcached != nil {
		m["rrdcached"] = r.rrdcached.Pid()
	}
	return m
}

func (r *stockRun) sample() (stockSample, error) {
	s := stockSample{at: time.Now(), procs: map[string]procSample{}}
	for name, pid := range r.pids() {
		p, err := readProc(pid)
		if err != nil {
			return s, fmt.Errorf("%s (pid %d) /proc: %w", name, pid, err)
		}
		s.procs[name] = p
	}
	ports := map[int]bool{}
	for _, g := range r.collectors {
		ports[g.Port] = true
	}
	var err error
	s.drops, err = socketDrops(ports)
	return s, err
}

// alive fails when a stock daemon or the load generator has exited.
func (r *stockRun) alive() error {
	for i, g := range r.collectors {
		if g.Exited() {
			return fmt.Errorf("collector gmond %d exited during the run:\n%s", i+1, g.Log())
		}
	}
	if r.gmetad.Exited() {
		return errors.New("stock gmetad exited during the run")
	}
	if r.rrdcached != nil && r.rrdcached.Exited() {
		return fmt.Errorf("rrdcached exited during the run:\n%s", r.rrdcached.Log())
	}
	if r.loadgen.exited() {
		return fmt.Errorf("loadgen exited during the run: %v\n%s", r.loadgen.waitErr, r.loadgen.logTail())
	}
	return nil
}

// cpuSum is the CPU of every process between two samples, and the same
// per kind ("3 gmond 1.2, gmetad 30.1").
func cpuSum(a, b stockSample) (time.Duration, string) {
	var total, gmonds time.Duration
	n := 0
	by := map[string]time.Duration{}
	for name, pb := range b.procs {
		d := pb.CPU - a.procs[name].CPU
		total += d
		if strings.HasPrefix(name, "gmond-") {
			gmonds += d
			n++
			continue
		}
		by[name] = d
	}
	s := fmt.Sprintf("%d gmond %.1f, gmetad %.1f", n, gmonds.Seconds(), by["gmetad"].Seconds())
	if d, ok := by["rrdcached"]; ok {
		s += fmt.Sprintf(", rrdcached %.1f", d.Seconds())
	}
	return total, s
}

// rssSum is the sum of VmHWM and the same per kind.
func rssSum(s stockSample) (uint64, string) {
	var total, gmonds uint64
	n := 0
	for name, p := range s.procs {
		total += p.HWM
		if strings.HasPrefix(name, "gmond-") {
			gmonds += p.HWM
			n++
		}
	}
	t := fmt.Sprintf("%d gmond %s, gmetad %s", n, mib(gmonds), mib(s.procs["gmetad"].HWM))
	if p, ok := s.procs["rrdcached"]; ok {
		t += ", rrdcached " + mib(p.HWM)
	}
	return total, t
}

// countFiles counts the host directories and the .rrd files under them
// (cluster/host/metric.rrd; the summaries are left out).
func (r *stockRun) countFiles() (hosts, files int, err error) {
	clusters, err := os.ReadDir(r.rrds)
	if err != nil {
		return 0, 0, err
	}
	for _, c := range clusters {
		if !c.IsDir() || c.Name() == "__SummaryInfo__" {
			continue
		}
		hs, err := os.ReadDir(filepath.Join(r.rrds, c.Name()))
		if err != nil {
			return 0, 0, err
		}
		for _, h := range hs {
			if !h.IsDir() || h.Name() == "__SummaryInfo__" {
				continue
			}
			hosts++
			names, err := os.ReadDir(filepath.Join(r.rrds, c.Name(), h.Name()))
			if err != nil {
				return 0, 0, err
			}
			files += len(names)
		}
	}
	return hosts, files, nil
}

// warmup waits until every host has its numeric metrics' files and one
// whole poll interval created none, as the run of ours does.
func (r *stockRun) warmup(ctx context.Context) error {
	first, err := r.sample()
	if err != nil {
		return err
	}
	want := r.cfg.Hosts * numericMetrics(r.cfg.Metrics)
	last, prevFiles := first, -1
	for time.Since(first.at) <= r.cfg.MaxWarmup {
		if err := sleepUntil(ctx, time.Now().Add(step)); err != nil {
			return err
		}
		if err := r.alive(); err != nil {
			return err
		}
		s, err := r.sample()
		if err != nil {
			return err
		}
		hosts, files, err := r.countFiles()
		if err != nil {
			return err
		}
		cpu, by := cpuSum(last, s)
		r.logf("warm-up %v: %d hosts, %d files of %d, %d dropped, CPU %.0f%% (%s)", s.at.Sub(first.at).Round(time.Second),
			hosts, files, want, s.drops-last.drops, 100*cpu.Seconds()/s.at.Sub(last.at).Seconds(), by)
		last = s
		if files >= want && files == prevFiles {
			r.side.Settled = true
			break
		}
		prevFiles = files
	}
	r.side.Warmup = last.at.Sub(first.at)
	if !r.side.Settled {
		r.logf("warm-up did not settle in %v; measuring anyway", r.cfg.MaxWarmup)
		r.side.Notes = append(r.side.Notes, fmt.Sprintf("warm-up not settled after %v", r.cfg.MaxWarmup))
	}
	return nil
}

// hostDirs lists cluster/host directories.
func (r *stockRun) hostDirs() ([]string, error) {
	clusters, err := os.ReadDir(r.rrds)
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, c := range clusters {
		if !c.IsDir() || c.Name() == "__SummaryInfo__" {
			continue
		}
		hs, err := os.ReadDir(filepath.Join(r.rrds, c.Name()))
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if h.IsDir() && h.Name() != "__SummaryInfo__" {
				dirs = append(dirs, filepath.Join(r.rrds, c.Name(), h.Name()))
			}
		}
	}
	slices.Sort(dirs)
	return dirs, nil
}

// sampleFiles picks n hosts at random (seeded) and one file of each:
// preferred when the host has it.
func (r *stockRun) sampleFiles(n int, seed uint64, preferred string) ([]string, error) {
	dirs, err := r.hostDirs()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d657461))
	var files []string
	for _, i := range rng.Perm(len(dirs))[:min(n, len(dirs))] {
		names, err := filepath.Glob(filepath.Join(dirs[i], "*.rrd"))
		if err != nil || len(names) == 0 {
			continue
		}
		pick := names[rng.IntN(len(names))]
		if p := filepath.Join(dirs[i], preferred); preferred != "" && slices.Contains(names, p) {
			pick = p
		}
		files = append(files, pick)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no RRD files under %s", r.rrds)
	}
	return files, nil
}

// flush makes the daemon write what it holds of files, as rrdtool fetch
// --daemon does before it reads.
func (r *stockRun) flush(files []string) {
	if r.client == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	for _, f := range files {
		_ = r.client.Flush(ctx, f) // a file the daemon holds nothing of answers an error
	}
}
