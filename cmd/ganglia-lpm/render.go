package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/identity"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

const renderUsage = `usage: ganglia-lpm render --out FILE [--mapping FILE] [--template FILE]
                          [--restart CMD] [--sysroot DIR] [--hostname NAME]
       ganglia-lpm render --print-template

Write the gmond.conf of a stock Ganglia 3.7 gmond for the managed system
this host is on, and restart gmond when the file changed: the job of the
seed setup's init script, for sites that keep the stock gmond (vendor
modules...). Run it at boot and from the LPM hooks (the AIX errnotify
method for CLIENT_PMIG_DONE, the Linux drmgr pmig post hook), e.g.

  ganglia-lpm render --out /etc/ganglia/gmond.conf \
      --restart 'systemctl restart ganglia-monitor'

It reads this machine's identity as ganglia-lpm's gmond does (AIX uname or
lsattr, Linux lparcfg or device tree, else DMI), finds where the host
belongs in the mapping file (a [[host]] rule for its name, else the
[[managed_system]] of its model_serial, else [default]) and executes the
template: a Go text/template, by default the embedded one
(--print-template shows it, with its documentation). Template data:

  .Cluster .Port .Collector  cluster name, its UDP port, the host to send to
  .Location                  model_serial of the managed system ("" if none)
  .Hostname                  this host's name
  .Source                    what decided: managed system, host rule, default
  .Mapping                   path of the mapping file
  .ModuleDir                 where gmond's modules are (modcpu.so), "" if unseen
  .Identity                  .SystemType .SystemID .ModelSerial .PartitionName
                             .PartitionNumber .Source (lparcfg, uname, ...)

and the functions quote VALUE (a gmond.conf string) and required MSG VALUE.

The result must parse as gmond.conf. When it equals FILE nothing happens.
Otherwise FILE is replaced atomically (a temporary file in its directory,
fsync, rename; the old file's mode and owner are kept, a symbolic link is
followed) and CMD runs with /bin/sh -c. When CMD fails, its output is shown,
the previous FILE is put back so that the next run tries again, and the exit
status is 1. When the identity cannot be read for sure (a source exists but
fails), nothing changes: falling back to [default] would look like a move.
--out - prints the result instead.

Exit status: 0 up to date, or updated (and restarted); 1 failure; 2 usage.

Flags:
`

type renderOptions struct {
	mapping, template, out string
	restart                string
	restartTimeout         time.Duration
	sysroot, hostname      string
	printTemplate          bool
}

// renderData is what a gmond.conf template sees; the opening comment of
// templates/gmond.conf.tmpl documents each field for template authors.
type renderData struct {
	Cluster   string
	Port      int
	Collector string
	Location  string
	Hostname  string
	Identity  identity.Identity
	Source    string
	Mapping   string
	ModuleDir string
}

// runRender is the render command: see renderUsage.
func runRender(ctx context.Context, e *env, args []string) int {
	opt, code, ok := parseRenderArgs(e.stderr, args)
	if !ok {
		return code
	}
	if opt.printTemplate {
		fmt.Fprint(e.stdout, templates.GmondConfTemplate)
		return exitOK
	}
	p, err := locate(opt.mapping, opt.sysroot, opt.hostname)
	if err == nil && p.idErr != nil {
		err = fmt.Errorf("cannot tell which managed system this is, so nothing is written: %w", p.idErr)
	}
	var text []byte
	if err == nil {
		text, err = renderConf(opt, p)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm render: %v\n", err)
		return exitFailed
	}
	if opt.out == "-" {
		_, _ = e.stdout.Write(text)
		return exitOK
	}
	return install(ctx, e, opt, text, p)
}

func parseRenderArgs(stderr io.Writer, args []string) (opt renderOptions, code int, ok bool) {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, renderUsage); fs.PrintDefaults() }
	fs.StringVar(&opt.out, "out", "", "gmond.conf `file` to write (- for standard output)")
	fs.StringVar(&opt.mapping, "mapping", mapping.DefaultPath, "mapping `file`")
	fs.StringVar(&opt.template, "template", "", "text/template `file` (default: the embedded template)")
	fs.StringVar(&opt.restart, "restart", "", "shell `command` that restarts gmond, run when the file changed")
	fs.DurationVar(&opt.restartTimeout, "restart-timeout", 2*time.Minute, "stop waiting for the restart command after this `duration`")
	fs.StringVar(&opt.sysroot, "sysroot", "/", "look at the machine (identity, gmond modules) below `dir` (tests)")
	fs.StringVar(&opt.hostname, "hostname", "", "host `name` to look up in the mapping (default: this host's)")
	fs.BoolVar(&opt.printTemplate, "print-template", false, "print the embedded template and exit")
	switch err := fs.Parse(args); {
	case errors.Is(err, flag.ErrHelp):
		return opt, exitOK, false
	case err != nil:
		return opt, exitUsage, false
	case fs.NArg() > 0:
		return opt, renderUsageError(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0))), false
	case opt.printTemplate:
		return opt, exitOK, true
	case opt.out == "":
		return opt, renderUsageError(stderr, "--out is required"), false
	case opt.out == "-" && opt.restart != "":
		return opt, renderUsageError(stderr, "--restart needs a file: --out - writes none"), false
	}
	return opt, exitOK, true
}

func renderUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "ganglia-lpm render: %s\nRun \"ganglia-lpm help render\" for usage.\n", msg)
	return exitUsage
}

// placement is where this host belongs, as render and mapping show find it.
type placement struct {
	mapping  *mapping.Mapping
	hostname string
	id       identity.Identity
	idErr    error // the identity could not be read for sure
	target   mapping.Target
}

// locate loads the mapping, reads the machine's identity below sysrootDir
// and resolves hostname (os.Hostname when "") on it.
func locate(mappingPath, sysrootDir, hostname string) (*placement, error) {
	m, err := mapping.Load(mappingPath)
	if err != nil {
		return nil, err
	}
	if hostname == "" {
		if hostname, err = os.Hostname(); err != nil {
			return nil, fmt.Errorf("this host's name: %w", err)
		}
	}
	id, idErr := identity.Read(sysroot.New(sysrootDir), runtime.GOOS)
	return &placement{m, hostname, id, idErr, m.Resolve(hostname, id.ModelSerial)}, nil
}

// renderConf executes the template for p and checks that the result is
// gmond.conf, so a broken template never reaches gmond.
func renderConf(opt renderOptions, p *placement) ([]byte, error) {
	name, text := "gmond.conf.tmpl", templates.GmondConfTemplate
	if opt.template != "" {
		b, err := os.ReadFile(opt.template)
		if err != nil {
			return nil, err
		}
		name, text = opt.template, string(b)
	}
	tmpl, err := templates.ParseGmondConf(name, text)
	if err != nil {
		return nil, err
	}
	t := p.target
	var out bytes.Buffer
	err = tmpl.Execute(&out, renderData{Cluster: t.Cluster, Port: t.Port, Collector: t.Collector,
		Location: t.Location, Hostname: p.hostname, Identity: p.id, Source: t.Source, Mapping: p.mapping.Path,
		ModuleDir: moduleDir(sysroot.New(opt.sysroot), runtime.GOARCH)})
	if err != nil {
		return nil, err
	}
	// Named after the output so that relative include patterns resolve as
	// gmond -c FILE would resolve them.
	if _, err := conf.Parse(opt.out+" (rendered)", out.Bytes()); err != nil {
		return nil, fmt.Errorf("the template did not give a valid gmond.conf:\n%w", err)
	}
	return out.Bytes(), nil
}

// debianTriplets are Debian's multiarch directory names, by GOARCH.
var debianTriplets = map[string]string{
	"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "386": "i386-linux-gnu",
	"ppc64le": "powerpc64le-linux-gnu", "ppc64": "powerpc64-linux-gnu", "s390x": "s390x-linux-gnu",
}

// moduleDir returns the directory of stock gmond's metric modules on the
// machine below root: the first of the packages' usual places (Debian
// multiarch, RHEL and SUSE, AIX Toolbox, /usr/local builds) that holds
// modcpu.so, or "". The template sets it as module_dir because Debian's
// gmond 3.7.2 was built with the literal "${prefix}/lib/<triplet>/ganglia"
// as its default and cannot load a module by relative path without it.
func moduleDir(root sysroot.Root, goarch string) string {
	var dirs []string
	if triplet, ok := debianTriplets[goarch]; ok {
		dirs = append(dirs, "/usr/lib/"+triplet+"/ganglia")
	}
	dirs = append(dirs, "/usr/lib64/ganglia", "/usr/lib/ganglia", "/opt/freeware/lib64/ganglia",
		"/opt/freeware/lib/ganglia", "/usr/local/lib64/ganglia", "/usr/local/lib/ganglia")
	for _, dir := range dirs {
		if fi, err := root.Stat(dir + "/modcpu.so"); err == nil && fi.Mode().IsRegular() {
			return dir
		}
	}
	return ""
}
