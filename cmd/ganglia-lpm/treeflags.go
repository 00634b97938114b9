package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/treecheck"
)

// treeFlags are the flags check and migrate share: which RRD tree, how its
// host names compare, and who gmetad writes as.
type treeFlags struct {
	fs   *flag.FlagSet
	opts *checkOptions
	user *string
}

// addTreeFlags defines the shared flags on fs, with opts starting from
// treecheck's defaults.
func addTreeFlags(fs *flag.FlagSet, opts *checkOptions) *treeFlags {
	opts.Options = treecheck.DefaultOptions()
	fs.StringVar(&opts.root, "root", "", "the RRD tree's root `directory` (gmetad.conf's rrd_rootdir), required")
	fs.StringVar(&opts.LPARDir, "lpar-dir", opts.LPARDir, "`name` of the per-host directory under the root (the mapping's lpar_dir)")
	user := fs.String("user", "", "the `user` gmetad writes as (default: the owner of the root directory)")
	fs.BoolVar(&opts.CaseSensitiveHostnames, "case-sensitive-hostnames", true,
		"gmetad.conf's case_sensitive_hostnames: when false, host directories are compared and named in lower case")
	return &treeFlags{fs: fs, opts: opts, user: user}
}

// parse parses args and checks the shared flags; usage reports a usage
// error and returns its exit code. ok is false when the command must stop
// with code.
func (t *treeFlags) parse(args []string, usage func(msg string) int) (code int, ok bool) {
	rest, err := parseInterspersed(t.fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	case len(rest) > 0:
		return usage(fmt.Sprintf("unexpected argument %q", rest[0])), false
	case t.opts.root == "":
		return usage("--root is required"), false
	}
	if err := rrdstore.ValidateName(rrdstore.NameKindCluster, t.opts.LPARDir, t.opts.MaxNameLen); err != nil {
		return usage(fmt.Sprintf("--lpar-dir: %v", err)), false
	}
	if *t.user != "" {
		u, err := treecheck.LookupUser(*t.user)
		if err != nil {
			return usage(fmt.Sprintf("--user %s: %v", *t.user, err)), false
		}
		t.opts.User = u
	}
	return exitOK, true
}
