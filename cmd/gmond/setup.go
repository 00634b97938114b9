package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
)

// setup is what gmond runs on: the configuration and the mapping, with
// where each came from.
type setup struct {
	cfg         *conf.Config
	cfgPath     string // "" for the built-in default
	m           *mapping.Mapping
	mappingPath string // "" when no mapping is in use
}

// load reads gmond.conf and the mapping as stock gmond reads its file: -c
// names a file that must exist; without -c the stock path is read when it
// exists, else the built-in default (gmond -t) is used.
func (env *environment) load(o options) (*setup, error) {
	s := &setup{}
	path := o.config
	if !o.configSet {
		path = env.defaultConfig
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			path = ""
		}
	}
	if path == "" {
		s.cfg = conf.Default()
	} else {
		cfg, err := conf.Load(path)
		if err != nil {
			return nil, err
		}
		s.cfg, s.cfgPath = cfg, path
	}
	mpath := o.mapping
	if mpath == "" {
		if _, err := os.Stat(env.defaultMapping); err == nil {
			mpath = env.defaultMapping
		}
	}
	if mpath != "" {
		m, err := mapping.Load(mpath)
		if err != nil {
			return nil, err
		}
		s.m, s.mappingPath = m, mpath
	}
	return s, nil
}

// origin names the configuration for logs.
func (s *setup) origin() string {
	if s.cfgPath == "" {
		return "built-in default"
	}
	return s.cfgPath
}
