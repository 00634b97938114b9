package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"
)

// Exit codes shared by every command.
const (
	exitOK     = 0
	exitFailed = 1 // the command ran but something failed (a packet did not decode...)
	exitUsage  = 2 // bad command line
)

// env is what a command may use of the outside world, so that tests run
// commands in-process with buffers and a fixed clock.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            func() time.Time
}

// command is one subcommand. It parses its own flags (a flag.FlagSet that
// writes to e.stderr, "-h" prints its usage and returns exitOK) and returns
// the process exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// commands are the subcommands in the order usage lists them. A new command
// is one entry here plus its run function.
var commands = []command{
	{"decode", "decode Ganglia XDR packets from files, hex dumps, pcap captures or a UDP port", runDecode},
	{"rrd", "create, update, fetch and inspect RRD files like rrdtool 1.7.2, without rrdtool", runRRD},
	{"check", "check the RRD tree (LPARS layout, links, RRD files) and, with --fix, repair it", runCheck},
	{"migrate", "convert a stock gmetad RRD tree in place into the LPARS layout, merging histories", runMigrate},
	{"render", "write a stock gmond's gmond.conf from the mapping; restart gmond when it changed", runRender},
	{"mapping", "validate a mapping file; show this host's managed system and where it maps", runMapping},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal cancels ctx for a clean stop; restoring the default
	// handling then lets a second signal end the process at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: time.Now}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run dispatches args (without the program name) to a command.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return help(ctx, e, args[1:])
	}
	if c := lookup(args[0]); c != nil {
		return c.run(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "ganglia-lpm: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

// help prints the command list, or the usage of one command on stdout.
func help(ctx context.Context, e *env, args []string) int {
	switch {
	case len(args) == 0:
		usage(e.stdout)
		return exitOK
	case len(args) > 1 || lookup(args[0]) == nil:
		fmt.Fprintf(e.stderr, "ganglia-lpm help: unknown command %q\n", args[0])
		return exitUsage
	}
	toStdout := *e
	toStdout.stderr = e.stdout
	lookup(args[0]).run(ctx, &toStdout, []string{"-h"})
	return exitOK
}

func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: ganglia-lpm <command> [flags] [arguments]

ganglia-lpm is the admin tool of ganglia-lpm, Ganglia 3.7 for IBM Power
fleets with Live Partition Mobility.

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "  %s\t%s\n", "help", "show this list, or the flags of one command")
	tw.Flush()
	fmt.Fprint(w, `
Run "ganglia-lpm help <command>" for the flags of a command.
Exit status: 0 success, 1 failure, 2 usage error.
`)
}
