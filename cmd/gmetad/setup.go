package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/config"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

const (
	// defaultCluster and defaultClusterPort are the one cluster gmetad
	// listens for without a mapping: stock gmond's built-in cluster name
	// and port, so that a gmond left at its defaults (and gmetric)
	// reports to it.
	defaultCluster     = "unspecified"
	defaultClusterPort = 8649
	// userRRDDir is the embedded default's rrd_rootdir when not root,
	// relative to the working directory.
	userRRDDir = "gmetad-data/rrds"
	// stateFileName is the state file's name beside rrd_rootdir.
	stateFileName = "gmetad-lpm.state"
)

// setup is the configuration gmetad runs with, read and checked before
// anything starts.
type setup struct {
	cfg        config.Config
	configPath string // "" for the embedded default
	why        string // why the embedded default runs, for -t and the log
	warnings   []config.Warning
	// mappingPath is "" without a mapping file; mapping is then nil.
	mappingPath string
	mapping     *mapping.Mapping
	rras        []rrdstore.RRA // nil: the stock default archives
}

// embedded reports whether gmetad runs its built-in default.
func (s *setup) embedded() bool { return s.configPath == "" }

// load reads the configuration and the mapping the flags select. Every
// error is printed to stderr, one per line, as file:line: key: message;
// ok is false then.
func (env *environment) load(o options, stderr io.Writer) (s *setup, ok bool) {
	s = &setup{configPath: o.config}
	if o.embedded {
		s.why = "--embedded"
	} else if !o.configSet {
		s.configPath = env.defaultConfig
		if _, err := os.Stat(s.configPath); errors.Is(err, fs.ErrNotExist) {
			s.configPath, s.why = "", "no -c, and "+env.defaultConfig+" does not exist"
		}
	}
	if s.embedded() {
		s.cfg = env.embeddedConfig()
	} else {
		cfg, warnings, err := config.Load(s.configPath)
		s.warnings = warnings
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "gmetad: configuration file %s does not exist\n", s.configPath)
			return nil, false
		}
		if err != nil {
			printErrors(stderr, err, s.configPath)
			return nil, false
		}
		s.cfg = cfg
	}
	if err := s.derive(); err != nil {
		printErrors(stderr, err, s.configPath)
		return nil, false
	}
	if !env.loadMapping(s, o, stderr) {
		return nil, false
	}
	return s, true
}

// embeddedConfig is the configuration without a gmetad.conf: stock
// defaults, no data source, and a rrd_rootdir a plain user can write.
func (env *environment) embeddedConfig() config.Config {
	cfg := config.Default()
	// Nobody is there to prepare a directory owned by setuid_username:
	// keep the current user.
	cfg.Setuid = false
	if !env.root {
		cfg.RRDRootDir = userRRDDir
		cfg.CheckReport = config.DefaultCheckReportFor(cfg.RRDRootDir) // no report of this tree
	}
	return cfg
}

// derive fills in what the configuration leaves to gmetad: an absolute
// rrd_rootdir, the state file beside it (never inside it, where a stock
// tool walking the tree would trip over it) and the parsed archives.
func (s *setup) derive() error {
	root, err := filepath.Abs(s.cfg.RRDRootDir)
	if err != nil {
		return fmt.Errorf("rrd_rootdir: %w", err)
	}
	s.cfg.RRDRootDir = root
	if s.cfg.StateFile == "" {
		s.cfg.StateFile = filepath.Join(filepath.Dir(root), stateFileName)
	} else if s.cfg.StateFile, err = filepath.Abs(s.cfg.StateFile); err != nil {
		return fmt.Errorf("state_file: %w", err)
	}
	if !slices.Equal(s.cfg.RRAs, config.DefaultRRAs) && len(s.cfg.RRAs) > 0 {
		_, rras, err := rrdstore.ParseDefs(s.cfg.RRAs, uint64(persist.DefaultStep.Seconds()))
		if err != nil {
			return fmt.Errorf("RRAs: %w", err)
		}
		s.rras = rras
	}
	return nil
}

// loadMapping reads the mapping: --mapping, else the config's mapping
// directive (both must exist), else env.defaultMapping when present.
func (env *environment) loadMapping(s *setup, o options, stderr io.Writer) bool {
	s.mappingPath = o.mapping
	if s.mappingPath == "" {
		s.mappingPath = s.cfg.Mapping
	}
	if s.mappingPath == "" {
		if _, err := os.Stat(env.defaultMapping); err != nil {
			return true // no mapping: the default cluster
		}
		s.mappingPath = env.defaultMapping
	}
	m, err := mapping.Load(s.mappingPath)
	if err != nil {
		printErrors(stderr, err, s.mappingPath)
		return false
	}
	s.mapping = m
	return true
}

// clusters are the ports gmetad receives on: the mapping's, or the
// default cluster.
func (s *setup) clusters() []mapping.ClusterPort {
	return clustersOf(s.mapping)
}

func clustersOf(m *mapping.Mapping) []mapping.ClusterPort {
	if m == nil {
		return []mapping.ClusterPort{{Cluster: defaultCluster, Port: defaultClusterPort}}
	}
	return m.Clusters()
}

// lparDir is the per-host directory under rrd_rootdir.
func (s *setup) lparDir() string {
	if s.mapping != nil && s.mapping.LPARDir != "" {
		return s.mapping.LPARDir
	}
	return mapping.DefaultLPARDir
}

// printErrors prints every error joined in err on its own line (config
// and mapping errors already read "file:line: key: message"), then one
// line saying gmetad does not start.
func printErrors(w io.Writer, err error, file string) {
	n := 0
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		n++
		fmt.Fprintln(w, err)
	}
	walk(err)
	what := "error"
	if n > 1 {
		what = "errors"
	}
	if file == "" {
		file = "the embedded default"
	}
	fmt.Fprintf(w, "gmetad: %d %s in %s; not starting\n", n, what, file)
}
