package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/identity"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
)

const mappingUsage = `usage: ganglia-lpm mapping validate [--print] FILE...
       ganglia-lpm mapping show [--mapping FILE] [--sysroot DIR] [--hostname NAME]

The mapping file (TOML) says which managed system is which Ganglia cluster
on which UDP port; every gmond, gmetad and ganglia-lpm render read it.

  validate  check each FILE as the daemons will: every problem is printed
            as FILE:LINE: KEY: MESSAGE, all at once, and the exit status is
            1; a valid file prints one line: its managed systems, host rules
            and ports. --print also writes the file in canonical form (all
            defaults spelled out), which is what the daemons understood.
  show      the managed system this machine is on (its identity and where
            it was read), and what the mapping makes of it: the rule that
            matched, cluster, port, collector and location. Exit status 1
            when the identity could not be read for sure.

Exit status: 0 valid (or shown), 1 invalid or failed, 2 usage error.
`

// runMapping is the mapping command: see mappingUsage.
func runMapping(_ context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return mappingUsageError(e.stderr, "missing subcommand: validate or show")
	}
	switch args[0] {
	case "validate":
		return mappingValidate(e, args[1:])
	case "show":
		return mappingShow(e, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stderr, mappingUsage)
		return exitOK
	}
	return mappingUsageError(e.stderr, fmt.Sprintf("unknown subcommand %q", args[0]))
}

func mappingUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ganglia-lpm mapping: %s\nRun \"ganglia-lpm help mapping\" for usage.\n", msg)
	return exitUsage
}

// mappingFlags returns a flag set for subcommand sub whose -h prints the
// mapping usage.
func mappingFlags(stderr io.Writer, sub string) *flag.FlagSet {
	fs := flag.NewFlagSet("mapping "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mappingUsage+"\nFlags of "+sub+":\n"); fs.PrintDefaults() }
	return fs
}

// flagExit is the exit status for a failed fs.Parse.
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

func mappingValidate(e *env, args []string) int {
	fs := mappingFlags(e.stderr, "validate")
	canonical := fs.Bool("print", false, "also print each valid file in canonical form")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(files) == 0 {
		return mappingUsageError(e.stderr, "validate: missing FILE")
	}
	code := exitOK
	for _, file := range files {
		m, err := mapping.Load(file)
		var list mapping.Errors
		switch {
		case errors.As(err, &list):
			for _, fe := range list {
				fmt.Fprintln(e.stderr, fe)
			}
			fmt.Fprintf(e.stderr, "%s: invalid: %s\n", file, plural(len(list), "problem"))
			code = exitFailed
		case err != nil:
			fmt.Fprintf(e.stderr, "ganglia-lpm mapping validate: %v\n", err)
			code = exitFailed
		default:
			fmt.Fprintf(e.stdout, "%s: %s\n", file, mappingSummary(m))
			if *canonical {
				if err := m.Encode(e.stdout); err != nil {
					fmt.Fprintf(e.stderr, "ganglia-lpm mapping validate: %v\n", err)
					code = exitFailed
				}
			}
		}
	}
	return code
}

// mappingSummary says what a valid mapping holds, in one line:
// "3 managed systems, 1 host rule, ports 8300-8304".
func mappingSummary(m *mapping.Mapping) string {
	var ports []int
	for _, c := range m.Clusters() {
		ports = append(ports, c.Port)
	}
	return fmt.Sprintf("%s, %s, ports %s", plural(len(m.Systems), "managed system"),
		plural(len(m.Hosts), "host rule"), portRanges(ports))
}

// portRanges writes sorted ports with runs collapsed: "8300-8303, 8310".
func portRanges(ports []int) string {
	var parts []string
	for i := 0; i < len(ports); {
		j := i
		for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
			j++
		}
		part := strconv.Itoa(ports[i])
		if j > i {
			part += "-" + strconv.Itoa(ports[j])
		}
		parts = append(parts, part)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func mappingShow(e *env, args []string) int {
	fs := mappingFlags(e.stderr, "show")
	path := fs.String("mapping", mapping.DefaultPath, "mapping `file`")
	root := fs.String("sysroot", "/", "read the machine's identity below `dir` (tests)")
	hostname := fs.String("hostname", "", "host `name` to look up (default: this host's)")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return mappingUsageError(e.stderr, fmt.Sprintf("show: unexpected argument %q", fs.Arg(0)))
	}
	p, err := locate(*path, *root, *hostname)
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm mapping show: %v\n", err)
		return exitFailed
	}
	id, t := p.id, p.target
	row := func(key, value string) { fmt.Fprintf(e.stdout, "%-15s%s\n", key, value) }
	row("mapping", p.mapping.Path)
	row("hostname", p.hostname)
	row("chassis", orNone(id.ModelSerial, notAFrame(id)))
	row("  system type", orNone(id.SystemType, "unknown"))
	row("  system id", orNone(id.SystemID, "unknown"))
	row("  partition", partition(id.PartitionNumber, id.PartitionName))
	row("  read from", id.Source)
	if p.idErr != nil {
		row("  error", p.idErr.Error())
	}
	row("matched", matchedRule(p))
	row("cluster", t.Cluster)
	row("port", strconv.Itoa(t.Port))
	row("collector", orNone(t.Collector, "none set"))
	row("location", orNone(t.Location, "none"))
	if p.idErr != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm mapping show: the identity could not be read for sure: %v\n", p.idErr)
		return exitFailed
	}
	return exitOK
}

func orNone(s, none string) string {
	if s == "" {
		return "(" + none + ")"
	}
	return s
}

func partition(number int, name string) string {
	switch {
	case number < 0 && name == "":
		return "(unknown)"
	case number < 0:
		return strconv.Quote(name)
	case name == "":
		return strconv.Itoa(number)
	}
	return strconv.Itoa(number) + " " + strconv.Quote(name)
}

// matchedRule names the mapping entry that decided p's target.
func matchedRule(p *placement) string {
	ms := p.id.ModelSerial
	switch p.target.Source {
	case mapping.SourceSystem:
		return fmt.Sprintf("managed system %q (model_serial %s)", p.target.Cluster, ms)
	case mapping.SourceHostRule:
		return fmt.Sprintf("host rule %q", hostRuleName(p.mapping, p.hostname))
	case mapping.SourceDefault:
		if ms != "" {
			return fmt.Sprintf("[default]: model_serial %s is not in the mapping", ms)
		}
		return "[default]: " + notAFrame(p.id)
	}
	return p.target.Source
}

// notAFrame says why id has no model_serial.
func notAFrame(id identity.Identity) string {
	if id.Source == identity.SourceNone {
		return "no identity found"
	}
	return "not an IBM Power frame"
}

// hostRuleName finds the [[host]] rule that Resolve applied to hostname.
// Resolve does not say which one, so each rule is tried alone; as in
// Resolve, a rule naming hostname exactly beats a first-label match, and
// the first rule in the file wins among equals.
func hostRuleName(m *mapping.Mapping, hostname string) string {
	norm := func(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }
	first := ""
	for _, h := range m.Hosts {
		one := mapping.Mapping{Hosts: []mapping.HostRule{h}}
		if one.Resolve(hostname, "").Source != mapping.SourceHostRule {
			continue
		}
		if norm(h.Name) == norm(hostname) {
			return h.Name
		}
		if first == "" {
			first = h.Name
		}
	}
	return first
}

// placementSummary is render's one-line account of where the host goes.
func placementSummary(p *placement) string {
	t := p.target
	s := fmt.Sprintf("cluster %q, port %d", t.Cluster, t.Port)
	if t.Collector != "" {
		s += fmt.Sprintf(", collector %q", t.Collector)
	}
	return s + "; matched " + matchedRule(p)
}
