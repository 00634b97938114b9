package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
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

// stockConfigPath is where stock gmond reads its configuration.
const stockConfigPath = "/etc/ganglia/gmond.conf"

// environment is what run takes from the machine. Tests build their own:
// another OS's collectors on a fixture tree, a clock, and a callback when
// the agent is ready instead of polling for it.
type environment struct {
	defaultConfig  string // gmond.conf read without -c, if present
	defaultMapping string // read when --mapping is not given, if present
	goos           string
	now            func() time.Time
	hostname       func() (string, error)
	daemonChild    bool
	root           bool // running as root: globals.setuid applies

	// ready, if set, is called once the agent has sent its first packets
	// and every collector channel listens.
	ready func(*agent)
}

func systemEnvironment() *environment {
	return &environment{
		defaultConfig:  stockConfigPath,
		defaultMapping: mapping.DefaultPath,
		goos:           runtime.GOOS,
		now:            time.Now,
		hostname:       os.Hostname,
		daemonChild:    daemon.IsChild(),
		root:           os.Geteuid() == 0,
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
	os.Exit(systemEnvironment().run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}
