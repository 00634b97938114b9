package fleetbench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	startTimeout = 30 * time.Second // gmetad answering on xml_port
	gmetadGrace  = 2 * time.Minute  // its final step and RRD flush after SIGTERM
	loadgenGrace = 15 * time.Second
	lagPoll      = 250 * time.Millisecond
	// lagFile is the metric watched for the lag: the first one every
	// simulated host sends.
	lagFile = "load_one.rrd"
)

// runner is one run in progress.
type runner struct {
	cfg     Config
	l       *layout
	gmetad  *proc
	loadgen *proc
	res     *Result
}

// Run measures gmetad under the fleet cfg describes and stops every
// process it started, by PID, before it returns. An error means the run
// did not complete (a process failed, a port or the disk was missing);
// a slow gmetad is a result, not an error.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, res: &Result{Hosts: cfg.Hosts, Metrics: cfg.Metrics, Systems: cfg.Systems,
		Interval: cfg.Interval, Window: cfg.Window, RRAs: cfg.RRAs, Dir: cfg.Dir, LoadStart: loadAvg(),
		Naming: "the host string of their packets (hostname_from_packet on)"}}
	if cfg.ReverseDNS {
		r.res.Naming = "reverse DNS of their address, as stock gmond"
	}
	defer r.kill()
	for _, stage := range []func(context.Context) error{
		r.prepare, r.startGmetad, r.startLoad, r.warmup, r.measure, r.gaps, r.dumps, r.stop,
	} {
		if err := stage(ctx); err != nil {
			return r.res, r.explain(err)
		}
	}
	return r.res, nil
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Log, "%s fleetbench %d hosts: %s\n", time.Now().Format("15:04:05"), r.cfg.Hosts,
		fmt.Sprintf(format, args...))
}

// explain adds the end of gmetad's log to err.
func (r *runner) explain(err error) error {
	if r.gmetad == nil {
		return err
	}
	return fmt.Errorf("%w\ngmetad log %s (end):\n%s", err, r.gmetad.logPath, r.gmetad.logTail())
}

// kill stops what is still running, when a stage failed.
func (r *runner) kill() {
	for _, p := range []*proc{r.loadgen, r.gmetad} {
		if p != nil {
			_ = p.stop(loadgenGrace)
		}
	}
}

func (r *runner) prepare(context.Context) error {
	if err := os.MkdirAll(r.cfg.Dir, 0o755); err != nil {
		return err
	}
	need, err := checkDisk(r.cfg.Dir, r.cfg)
	if err != nil {
		return err
	}
	r.logf("RRDs in %s (up to %d MB), RRAs %s", r.cfg.Dir, need>>20, strings.Join(r.cfg.RRAs, " "))
	return nil
}

// startGmetad starts gmetad -f and waits until xml_port answers; when
// another process took one of its ports meanwhile, it tries fresh ones.
func (r *runner) startGmetad(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		l, err := newLayout(r.cfg)
		if err != nil {
			return err
		}
		r.l = l
		r.gmetad, err = startProc(r.cfg.Dir, "gmetad", r.cfg.Bin.Gmetad, "-f", "-c", l.conf)
		if err != nil {
			return err
		}
		r.res.GmetadCmd = r.gmetad.commandLine()
		err = r.waitReady(ctx)
		if err == nil || attempt == 3 || !strings.Contains(r.gmetad.log(), "address already in use") {
			return err
		}
		r.gmetad.stop(loadgenGrace)
		r.logf("a port was taken; retrying on fresh ones")
	}
}

func (r *runner) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(startTimeout)
	for {
		_, err := fetchStatus(r.addr(r.l.interactivePort))
		if err == nil {
			r.logf("gmetad pid %d ready: xml_port %d, interactive_port %d, clusters on %v",
				r.gmetad.pid(), r.l.xmlPort, r.l.interactivePort, r.l.systemPorts)
			return nil
		}
		if r.gmetad.exited() {
			return fmt.Errorf("gmetad exited at start (%v)", r.gmetad.waitErr)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gmetad not answering within %v: %w", startTimeout, err)
		}
		if err := sleepUntil(ctx, time.Now().Add(100*time.Millisecond)); err != nil {
			return err
		}
	}
}

func (r *runner) addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

func (r *runner) startLoad(context.Context) error {
	argv := append([]string{r.cfg.Bin.Loadgen}, r.l.loadgenArgs(r.cfg)...)
	p, err := startProc(r.cfg.Dir, "loadgen", argv...)
	if err != nil {
		return err
	}
	r.loadgen = p
	r.res.LoadgenCmd = p.commandLine()
	r.logf("loadgen pid %d: %s", p.pid(), p.commandLine())
	return nil
}

// alive fails when a child has exited before the run stopped it.
func (r *runner) alive() error {
	for _, p := range []*proc{r.gmetad, r.loadgen} {
		if p != nil && p.exited() {
			return fmt.Errorf("%s (pid %d) exited during the run: %v\n%s log:\n%s",
				p.name, p.pid(), p.waitErr, p.name, p.logTail())
		}
	}
	return nil
}

// lpars is the per-host RRD directory.
func (r *runner) lpars() string { return filepath.Join(r.l.rrds, "LPARS") }

// stepBoundary is the first multiple of the RRD step after t.
func stepBoundary(t time.Time) time.Time {
	return t.Truncate(step).Add(step)
}

var errWarmup = errors.New("warm-up did not finish")
