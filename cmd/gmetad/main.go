package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // configuration, mapping or start-up error; a second signal
	exitUsage  = 2 // bad command line
)

// stockConfigPath is where stock gmetad reads its configuration.
const stockConfigPath = "/etc/ganglia/gmetad.conf"

// environment is what run takes from the machine it runs on. Tests build
// their own, so they never depend on /etc/ganglia or on running as root,
// and get told when the server is ready instead of polling for it.
type environment struct {
	defaultConfig  string // gmetad.conf read without -c
	defaultMapping string // mapping read when neither --mapping nor the config names one
	root           bool   // running as root: rrd_rootdir default, setuid
	getenv         func(string) string
	now            func() time.Time
	// daemonChild is set in the detached process a daemonizing gmetad
	// started (see daemon.go).
	daemonChild bool

	// ready, if set, is called once every port listens.
	ready func(*app)
	// clustersChanged, if set, is called after each mapping change was
	// applied (not for the first one).
	clustersChanged func()
}

func systemEnvironment() *environment {
	return &environment{
		defaultConfig:  stockConfigPath,
		defaultMapping: mapping.DefaultPath,
		root:           os.Geteuid() == 0,
		getenv:         os.Getenv,
		now:            time.Now,
		daemonChild:    daemon.IsChild(),
	}
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		cancel() // the first signal starts a clean stop
		<-sigs
		os.Exit(exitFailed) // a second one ends the process at once
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is gmetad with args (without the program name): it returns the
// exit status once ctx is cancelled and everything is stopped, or at once
// for -t and for errors.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return systemEnvironment().run(ctx, args, stdout, stderr)
}
