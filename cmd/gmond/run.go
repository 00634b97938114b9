package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/collect"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/lpar"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
)

// run is gmond with args (without the program name); it returns the exit
// status once ctx is cancelled and everything is stopped, or at once for
// -t, -m and errors.
func (env *environment) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var relay *daemon.StartupRelay
	if env.daemonChild {
		relay = daemon.NewStartupRelay(stderr)
		stderr = relay
		defer relay.Finish(false)
	}
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage
	}
	switch {
	case o.version:
		fmt.Fprintf(stdout, "gmond %s (ganglia-lpm)\n", cluster.Version)
		return exitOK
	case o.printConf:
		stdout.Write(conf.DefaultText())
		return exitOK
	}
	s, err := env.load(o)
	if err != nil {
		fmt.Fprintf(stderr, "gmond: %v\n", err)
		return exitFailed
	}
	if o.listMetric {
		listMetrics(stdout, env.goos, sysroot.New(o.sysroot))
		return exitOK
	}
	debug := o.debug > 0 || s.cfg.Globals.DebugLevel > 0
	if !debug && !o.foreground && !env.daemonChild && s.cfg.Globals.Daemonize {
		return daemon.Detach("gmond", args, stderr)
	}
	if env.daemonChild {
		relay.SetOutput(daemon.Syslog("gmond"))
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	for _, w := range s.cfg.Warnings {
		logger.Warn(w)
	}
	if deafAgent(s) && os.Getenv("GOMAXPROCS") == "" {
		// An agent does a few milliseconds of work a minute: one P
		// avoids waking a second thread for every collection.
		runtime.GOMAXPROCS(1)
	}
	a, err := newAgent(env, s, o, logger)
	if err != nil {
		logger.Error("gmond not started", "err", err)
		return exitFailed
	}
	if err := a.dropPrivileges(o.pidFile); err != nil {
		logger.Error("gmond not started", "err", err)
		a.close()
		return exitFailed
	}
	defer daemon.RemovePidFile(o.pidFile)
	a.logStarted()
	relay.Finish(true)
	return a.loop(ctx)
}

// deafAgent reports whether s runs only the sending side (no collector
// role), the normal case on an LPAR.
func deafAgent(s *setup) bool {
	c := s.cfg
	return c.Globals.Deaf || (len(c.UDPRecv) == 0 && len(c.TCPAccept) == 0)
}

// dropPrivileges writes the pid file and becomes globals.user when gmond
// runs as root with setuid on, after every socket is bound, as stock.
func (a *agent) dropPrivileges(pidFile string) error {
	if err := daemon.CheckPidFile(pidFile); err != nil {
		return err
	}
	if err := daemon.WritePidFile(pidFile); err != nil {
		return err
	}
	g := &a.s.cfg.Globals
	if !g.Setuid || !a.env.root {
		return nil
	}
	p, err := daemon.LookupUser("globals.user", g.User)
	if err != nil {
		return err
	}
	return p.Drop(a.log)
}

// logStarted says what gmond runs on and where it sends.
func (a *agent) logStarted() {
	var targets []string
	if a.send != nil {
		targets = a.send.Targets()
	}
	a.log.Info("gmond started", "config", a.s.origin(), "mapping", a.s.mappingPath,
		"hostname", a.hostname, "chassis", a.id.ModelSerial, "identity_source", a.id.Source,
		"partition", a.id.PartitionName, "cluster", a.clusterName(), "location", a.location,
		"send_to", targets, "mute", a.mute(), "deaf", a.deaf())
}

// listMetrics prints what `gmond -m` prints: one line per metric this
// machine can provide, in stock's "name<TAB>description (module ...)"
// layout, with the metric group as the module.
func listMetrics(w io.Writer, goos string, root sysroot.Root) {
	var defs []metric.Def
	for _, c := range collect.ForOS(goos, root, slog.New(slog.DiscardHandler)) {
		defs = append(defs, c.Defs()...)
	}
	for _, c := range lpar.ForOS(goos, root, slog.New(slog.DiscardHandler)) {
		defs = append(defs, c.Defs()...)
	}
	defs = append(defs, collect.NewCore(time.Time{}, false, func() string { return "" }).Defs()...)
	slices.SortFunc(defs, func(x, y metric.Def) int { return strings.Compare(x.Name, y.Name) })
	defs = slices.CompactFunc(defs, func(x, y metric.Def) bool { return x.Name == y.Name })
	for _, d := range defs {
		desc := d.Desc
		if desc == "" {
			desc = d.Name
		}
		fmt.Fprintf(w, "%-15s\t%s (module %s)\n", d.Name, desc, d.Group)
	}
}
