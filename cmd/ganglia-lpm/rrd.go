package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// rrdSynopsis is the command line of each rrd subcommand, in usage order.
var rrdSynopsis = []struct{ name, args string }{
	{"create", "FILE [--step|-s STEP] [--start|-b TIME] [--no-overwrite|-O] DS:... RRA:..."},
	{"update", "FILE [--skip-past-updates|-s] [--] TIME:VALUE[:VALUE...] ..."},
	{"fetch", "FILE CF [--start|-s TIME] [--end|-e TIME] [--resolution|-r STEP] [--align-start|-a]"},
	{"info", "FILE"},
	{"last", "FILE"},
	{"lastupdate", "FILE"},
}

const rrdHelp = `
rrdtool 1.7.2's commands of the same names, with its arguments, output and
error messages, in pure Go: a script or a test can run "ganglia-lpm rrd"
where it ran "rrdtool", also on a server without rrdtool. Options may come
before, between or after the other arguments; "--" ends them (for update
times below zero).

  create      write a new RRD (format 0003), replacing FILE unless -O;
              STEP defaults to 300 s and TIME to now-10s. DS types GAUGE,
              COUNTER, DERIVE, ABSOLUTE; RRA CFs AVERAGE, MIN, MAX, LAST.
  update      apply the updates in order. TIME is seconds since 1970
              (fractions allowed), N for now, or below zero for seconds
              before now; a VALUE of U is unknown. The updates before a
              failing one stay applied; -s skips the ones not after the
              last update instead of failing.
  fetch       print the rows of the RRA that best fits CF (AVERAGE, MIN,
              MAX, LAST), start (default end-1d), end (default now) and
              resolution, as "TIME: VALUE...".
  info        print the header and the live state of FILE.
  last        print the time of the last update.
  lastupdate  print that time and the last reading of each data source.

A TIME of --start and --end is seconds since 1970, now (or N), start (s)
or end (e), followed by offsets such as -10s, -5min, -1h, +2d, -1w, -1mon,
-1y: "now-10s", "end-1d", "1700000000+1h", or "-1d" (from now). Dates and
times of day ("noon yesterday", "12/24/2026") are not supported, nor are
--template, --source, --daemon (RRDCACHED_ADDRESS is ignored: files are
always read and written directly), COMPUTE, DCOUNTER, DDERIVE and the
Holt-Winters RRAs.

Errors print "ERROR: MESSAGE" on stderr, as rrdtool does, with exit status
1; a bad command line prints the usage with exit status 2.
`

// rrdCommands are the rrd subcommands; each returns the exit status.
var rrdCommands = map[string]func(e *env, args []string) int{
	"create":     rrdCreate,
	"update":     rrdUpdate,
	"fetch":      rrdFetch,
	"info":       rrdInfo,
	"last":       rrdLast,
	"lastupdate": rrdLastUpdate,
}

// runRRD is the rrd command: see rrdHelp.
func runRRD(_ context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return rrdBadArgs(e, "", errors.New("missing subcommand"))
	}
	if isHelpArg(args[0]) || args[0] == "help" {
		rrdPrintUsage(e)
		return exitOK
	}
	run, ok := rrdCommands[args[0]]
	if !ok {
		return rrdBadArgs(e, "", fmt.Errorf("unknown subcommand %q", args[0]))
	}
	return run(e, args[1:])
}

func isHelpArg(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

func rrdPrintUsage(e *env) {
	for i, s := range rrdSynopsis {
		lead := "usage:"
		if i > 0 {
			lead = "      "
		}
		fmt.Fprintf(e.stderr, "%s ganglia-lpm rrd %s %s\n", lead, s.name, s.args)
	}
	fmt.Fprint(e.stderr, rrdHelp)
}

// errHelp asks for the usage (-h or --help among the options).
var errHelp = errors.New("help requested")

// rrdBadArgs reports a bad command line of subcommand sub ("" for rrd
// itself) with its synopsis, and returns exitUsage (exitOK for -h).
func rrdBadArgs(e *env, sub string, err error) int {
	if errors.Is(err, errHelp) {
		rrdPrintUsage(e)
		return exitOK
	}
	name := strings.TrimSpace("ganglia-lpm rrd " + sub)
	fmt.Fprintf(e.stderr, "%s: %v\n", name, err)
	lead := "usage:"
	for _, s := range rrdSynopsis {
		if sub == "" || s.name == sub {
			fmt.Fprintf(e.stderr, "%s ganglia-lpm rrd %s %s\n", lead, s.name, s.args)
			lead = "      "
		}
	}
	fmt.Fprintln(e.stderr, `Run "ganglia-lpm help rrd" for the details.`)
	return exitUsage
}

// rrdFail prints an error the way rrdtool does and returns exitFailed.
func rrdFail(e *env, msg string) int {
	fmt.Fprintf(e.stderr, "ERROR: %s\n", msg)
	return exitFailed
}

// rrdOpt is one option of a subcommand (librrd's struct optparse_long).
type rrdOpt struct {
	long  string
	short byte
	arg   bool
}

// rrdFlag is one option found on the command line, with its argument.
type rrdFlag struct {
	short byte
	val   string
}

// parseRRDArgs splits args into options and the other arguments the way
// librrd's optparse_long does with permutation: options anywhere, short
// ones clustered (-Os 60, -s60), long ones as --name value or --name=value,
// "--" ends the options; its messages are optparse's.
func parseRRDArgs(args []string, opts []rrdOpt) (flags []rrdFlag, pos []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case isHelpArg(a):
			return nil, nil, errHelp
		case a == "--":
			return flags, append(pos, args[i+1:]...), nil
		case strings.HasPrefix(a, "--"):
			f, used, err := longOpt(a[2:], args[i+1:], opts)
			if err != nil {
				return nil, nil, err
			}
			flags, i = append(flags, f), i+used
		case len(a) > 1 && a[0] == '-':
			fs, used, err := shortOpts(a[1:], args[i+1:], opts)
			if err != nil {
				return nil, nil, err
			}
			flags, i = append(flags, fs...), i+used
		default:
			pos = append(pos, a)
		}
	}
	return flags, pos, nil
}

// longOpt parses "--name[=value]" (without the dashes); used is how many
// of the following arguments it took.
func longOpt(a string, next []string, opts []rrdOpt) (rrdFlag, int, error) {
	name, val, hasVal := strings.Cut(a, "=")
	for _, o := range opts {
		if o.long != name {
			continue
		}
		switch {
		case !o.arg && hasVal:
			return rrdFlag{}, 0, fmt.Errorf("option takes no arguments -- '%s'", name)
		case !o.arg || hasVal:
			return rrdFlag{o.short, val}, 0, nil
		case len(next) == 0:
			return rrdFlag{}, 0, fmt.Errorf("option requires argument -- '%s'", name)
		}
		return rrdFlag{o.short, next[0]}, 1, nil
	}
	return rrdFlag{}, 0, fmt.Errorf("invalid option -- '%s'", a)
}

// shortOpts parses a cluster of short options (without the dash).
func shortOpts(a string, next []string, opts []rrdOpt) ([]rrdFlag, int, error) {
	var flags []rrdFlag
	for k := 0; k < len(a); k++ {
		o := findShort(opts, a[k])
		switch {
		case o == nil:
			return nil, 0, fmt.Errorf("invalid option -- '%c'", a[k])
		case !o.arg:
			flags = append(flags, rrdFlag{short: o.short})
		case k+1 < len(a):
			return append(flags, rrdFlag{o.short, a[k+1:]}), 0, nil
		case len(next) == 0:
			return nil, 0, fmt.Errorf("option requires an argument -- '%c'", o.short)
		default:
			return append(flags, rrdFlag{o.short, next[0]}), 1, nil
		}
	}
	return flags, 0, nil
}

func findShort(opts []rrdOpt, c byte) *rrdOpt {
	for i := range opts {
		if opts[i].short == c {
			return &opts[i]
		}
	}
	return nil
}

// rrdScaledDuration is librrd's rrd_scaled_duration with divisor 1, for
// --step and --resolution: a count of seconds, or a number with one of the
// units s m h d w M y.
func rrdScaledDuration(tok string) (uint64, string) {
	if tok == "" || tok[0] < '0' || tok[0] > '9' {
		return 0, "value must be (suffixed) positive number"
	}
	v, i := uint64(0), 0
	for ; i < len(tok) && '0' <= tok[i] && tok[i] <= '9'; i++ {
		d := uint64(tok[i] - '0')
		if v > (1<<64-1-d)/10 {
			v = 1<<64 - 1 // strtoul saturates
			continue
		}
		v = v*10 + d
	}
	if i < len(tok) {
		unit := map[byte]uint64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400,
			'M': 31 * 86400, 'y': 366 * 86400}[tok[i]]
		if unit == 0 {
			return 0, "value has trailing garbage"
		}
		v *= unit
	}
	if v == 0 {
		return 0, "value must be positive"
	}
	return v, ""
}
