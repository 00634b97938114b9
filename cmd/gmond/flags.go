package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// options are the command-line flags.
type options struct {
	config     string
	configSet  bool
	foreground bool
	debug      int
	printConf  bool
	listMetric bool
	pidFile    string
	location   string
	mapping    string
	sysroot    string
	version    bool
}

// parseFlags parses stock gmond's flags (short and long forms) and ours.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("gmond", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, name := range []string{"c", "conf"} {
		fs.StringVar(&o.config, name, stockConfigPath, "read gmond.conf from `FILE`")
	}
	for _, name := range []string{"d", "debug"} {
		fs.IntVar(&o.debug, name, 0, "debug `LEVEL`: > 0 stays in the foreground and logs at debug level")
	}
	for _, name := range []string{"p", "pid-file"} {
		fs.StringVar(&o.pidFile, name, "", "write the process id to `PIDFILE`")
	}
	for _, name := range []string{"l", "location"} {
		fs.StringVar(&o.location, name, "", "host `LOCATION` (overrides host.location; the mapping's chassis key otherwise)")
	}
	for _, name := range []string{"f", "foreground"} {
		fs.BoolVar(&o.foreground, name, false, "stay in the foreground (use it under systemd)")
	}
	for _, name := range []string{"t", "default_config"} {
		fs.BoolVar(&o.printConf, name, false, "print the built-in default configuration and exit")
	}
	for _, name := range []string{"m", "metrics"} {
		fs.BoolVar(&o.listMetric, name, false, "list the metrics this gmond can collect, with their groups, and exit")
	}
	fs.StringVar(&o.mapping, "mapping", "", "managed-system mapping `FILE` (default /etc/ganglia/lpm.toml when present)")
	fs.StringVar(&o.sysroot, "sysroot", "/", "read the machine's identity and metrics below `DIR` (fixture trees in tests)")
	fs.BoolVar(&o.version, "V", false, "print the version and exit")
	fs.BoolVar(&o.version, "version", false, "same as -V")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gmond [-c FILE] [-f] [-d LEVEL] [-p PIDFILE] [-l LOCATION] [-t] [-m] [--mapping FILE] [--sysroot DIR]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintf(stderr, "gmond: %v\n", err)
		fs.Usage()
		return o, err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "c" || f.Name == "conf" {
			o.configSet = true
		}
	})
	if o.debug < 0 {
		err := errors.New("-d must be 0 or more")
		fmt.Fprintf(stderr, "gmond: %v\n", err)
		return o, err
	}
	return o, nil
}
