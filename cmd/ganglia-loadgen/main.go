// Command ganglia-loadgen simulates a fleet of Ganglia agents: N hosts × M
// metrics, each host sending from its own loopback address (127.1.0.1 and
// up) the metadata and value packets a stock gmond 3.7.2 sends, spread over
// the interval. It drives benchmarks of gmetad against stock collector
// gmonds + gmetad:
//
//	ganglia-loadgen -hosts 10000 -metrics 50 -interval 15s \
//	    -target 127.0.0.1:8301=0-4999 -target 127.0.0.1:8302=5000-9999 -duration 10m
//
// Host numbers in -target ranges are 0-based, both ends included. It logs
// its counters once per interval and exits 0 at the end of -duration or on
// SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/loadgen"
)

const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal stops cleanly; a second one ends the process at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// targets is the repeatable -target flag.
type targets []loadgen.Target

func (t *targets) String() string {
	s := make([]string, len(*t))
	for i, x := range *t {
		s[i] = x.Addr
	}
	return strings.Join(s, ",")
}

func (t *targets) Set(v string) error {
	x, err := loadgen.ParseTarget(v)
	if err != nil {
		return err
	}
	*t = append(*t, x)
	return nil
}

// parse turns the command line into a Config and a duration (0: until a
// signal).
func parse(args []string, stderr io.Writer) (loadgen.Config, time.Duration, error) {
	fs := flag.NewFlagSet("ganglia-loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg loadgen.Config
	var tl targets
	base := fs.String("source-base", loadgen.DefaultSourceBase.String(), "source address of host 0; host i sends from source-base+i")
	fs.IntVar(&cfg.Hosts, "hosts", 100, "number of simulated hosts")
	fs.IntVar(&cfg.Metrics, "metrics", 50, "metrics per host (the stock gmond set first, then lg_metric_NNN)")
	fs.DurationVar(&cfg.Interval, "interval", loadgen.DefaultInterval, "how often every host sends its values")
	fs.DurationVar(&cfg.MetadataInterval, "metadata-interval", loadgen.DefaultMetadataInterval, "how often every host re-sends its metadata (negative: first round only)")
	fs.Var(&tl, "target", "host:port[=first-last] to send to (repeatable; hosts 0-based, inclusive; default all hosts)")
	fs.BoolVar(&cfg.Spoof, "spoof", false, `send every host through one socket as a spoofed "IP:name" host`)
	fs.BoolVar(&cfg.Sockets, "sockets", false, "bind one socket per host instead of one socket with IP_PKTINFO")
	fs.BoolVar(&cfg.Heartbeat, "heartbeat", true, "send gmond's heartbeat metric")
	fs.Int64Var(&cfg.Seed, "seed", 1, "seed of the generated values")
	duration := fs.Duration("duration", 0, "stop after this long (0: run until SIGINT/SIGTERM)")
	if err := fs.Parse(args); err != nil {
		return cfg, 0, err
	}
	if fs.NArg() > 0 {
		return cfg, 0, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if len(tl) == 0 {
		return cfg, 0, errors.New("at least one -target is needed")
	}
	a, err := netip.ParseAddr(*base)
	if err != nil {
		return cfg, 0, fmt.Errorf("-source-base: %w", err)
	}
	cfg.Targets, cfg.SourceBase = tl, a
	return cfg, *duration, nil
}

// run is the whole command, with its exit code, for in-process tests.
func run(ctx context.Context, args []string, stderr io.Writer) int {
	cfg, duration, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "ganglia-loadgen: %v\n", err)
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	g, err := loadgen.New(cfg)
	if err != nil {
		log.Error("start", "err", err)
		if errors.Is(err, loadgen.ErrConfig) {
			return exitUsage
		}
		return exitFailed
	}
	defer g.Close()
	if duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, duration)
		defer cancel()
	}
	log.Info("sending", "hosts", cfg.Hosts, "metrics", cfg.Metrics, "interval", cfg.Interval,
		"targets", len(cfg.Targets), "source_base", cfg.SourceBase, "spoof", cfg.Spoof)
	done := make(chan loadgen.Stats, 1)
	go func() {
		st, _ := g.Run(ctx) // returns nil when ctx ends
		done <- st
	}()
	return report(log, g, cfg.Interval, done)
}

// report logs the counters once per interval until Run ends.
func report(log *slog.Logger, g *loadgen.Generator, every time.Duration, done <-chan loadgen.Stats) int {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var last loadgen.Stats
	lastAt := time.Now()
	for {
		select {
		case st := <-done:
			logStats(log, "stopped", st, last, time.Since(lastAt))
			return exitOK
		case now := <-tick.C:
			st := g.Stats()
			logStats(log, "stats", st, last, now.Sub(lastAt))
			last, lastAt = st, now
		}
	}
}

func logStats(log *slog.Logger, msg string, st, last loadgen.Stats, since time.Duration) {
	rate := 0.0
	if since > 0 {
		rate = float64(st.Packets-last.Packets) / since.Seconds()
	}
	attrs := []any{"packets", st.Packets, "bytes", st.Bytes, "rounds", st.Rounds,
		"errors", st.Errors, "skipped", st.Skipped, "packets_per_s", int64(rate)}
	if st.LastError != "" {
		attrs = append(attrs, "last_err", st.LastError)
	}
	log.Info(msg, attrs...)
}
