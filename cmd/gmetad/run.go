package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
)

// run is gmetad on this environment; see the package doc for the flags.
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
	if o.version {
		fmt.Fprintf(stdout, "gmetad %s (ganglia-lpm)\n", xmlout.ServerVersion)
		return exitOK
	}
	s, ok := env.load(o, stderr)
	if !ok {
		return exitFailed
	}
	if o.test {
		if err := s.print(stdout); err != nil {
			fmt.Fprintf(stderr, "gmetad: %v\n", err)
			return exitFailed
		}
		return exitOK
	}
	debug := o.debug > 0 || s.cfg.DebugLevel > 0
	if !debug && !o.foreground && !env.daemonChild {
		return daemon.Detach("gmetad", args, stderr)
	}
	return env.serve(ctx, s, o, debug, stderr, relay)
}

// serve starts gmetad on s in this process (foreground, or the detached
// child), logging to stderr, and runs it until ctx ends.
func (env *environment) serve(ctx context.Context, s *setup, o options, debug bool, stderr io.Writer,
	relay *daemon.StartupRelay) int {
	if env.daemonChild {
		relay.SetOutput(daemon.Syslog("gmetad"))
		daemon.Umask(s.cfg.Umask)
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	a, err := newApp(env, s, logger, o.pidFile)
	if err != nil {
		logger.Error("gmetad not started", "err", err)
		return exitFailed
	}
	relay.Finish(true)
	if env.ready != nil {
		env.ready(a)
	}
	return a.wait(ctx, hup)
}
