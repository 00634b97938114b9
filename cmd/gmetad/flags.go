package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// options are the command-line flags: stock gmetad's (-c, -d, -p, with
// their gengetopt long names) and ganglia-lpm's.
type options struct {
	config     string // -c: gmetad.conf
	configSet  bool   // -c was given: a missing file is an error
	debug      int    // -d: > 0 runs in the foreground with debug logging
	pidFile    string // -p
	foreground bool   // -f
	test       bool   // -t: print the configuration in effect and exit
	mapping    string // --mapping
	embedded   bool   // --embedded: ignore the default gmetad.conf
	version    bool   // -V
}

// parseFlags parses args (without the program name). Errors and usage go
// to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("gmetad", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, name := range []string{"c", "conf"} {
		fs.StringVar(&o.config, name, "", "read gmetad.conf from `FILE` (default "+stockConfigPath+")")
	}
	for _, name := range []string{"d", "debug"} {
		fs.IntVar(&o.debug, name, 0, "debug `LEVEL`: > 0 stays in the foreground and logs at debug level")
	}
	for _, name := range []string{"p", "pid-file"} {
		fs.StringVar(&o.pidFile, name, "", "write the process id to `PIDFILE`")
	}
	fs.BoolVar(&o.foreground, "f", false, "stay in the foreground (use it under systemd)")
	fs.BoolVar(&o.foreground, "foreground", false, "same as -f")
	fs.BoolVar(&o.test, "t", false, "print the configuration in effect and the ports, then exit")
	fs.StringVar(&o.mapping, "mapping", "", "managed-system mapping `FILE` (default: the config's mapping, else /etc/ganglia/lpm.toml if present)")
	fs.BoolVar(&o.embedded, "embedded", false, "run the embedded default configuration even if "+stockConfigPath+" exists")
	fs.BoolVar(&o.version, "V", false, "print the version and exit")
	fs.BoolVar(&o.version, "version", false, "same as -V")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: gmetad [-c FILE | --embedded] [-d LEVEL] [-p PIDFILE] [-f] [-t] [--mapping FILE]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		err := fmt.Errorf("unexpected argument %q", fs.Arg(0))
		fmt.Fprintf(stderr, "gmetad: %v\n", err)
		fs.Usage()
		return o, err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "c" || f.Name == "conf" {
			o.configSet = true
		}
	})
	if o.embedded && o.configSet {
		err := errors.New("-c and --embedded exclude each other")
		fmt.Fprintf(stderr, "gmetad: %v\n", err)
		return o, err
	}
	if o.debug < 0 {
		err := errors.New("-d must be 0 or more")
		fmt.Fprintf(stderr, "gmetad: %v\n", err)
		return o, err
	}
	return o, nil
}
