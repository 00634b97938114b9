package main

import (
	"strconv"
	"strings"
)

// logSetup logs the configuration warnings and, for the embedded default,
// what gmetad runs and where its files go.
func (a *app) logSetup() {
	for _, w := range a.s.warnings {
		a.log.Warn(w.String())
	}
	if a.s.embedded() {
		a.log.Info("running the embedded default configuration", "why", a.s.why,
			"cluster", defaultCluster, "port", defaultClusterPort,
			"rrd_rootdir", a.cfg.RRDRootDir, "state_file", a.cfg.StateFile)
	}
}

// logStarted is the one Info line that says what gmetad serves.
func (a *app) logStarted() {
	a.mu.Lock()
	var cl []string
	for _, c := range a.grid.Clusters() {
		cl = append(cl, c.Name+":"+strconv.Itoa(c.Port))
	}
	a.mu.Unlock()
	rrd := "off"
	if a.persister != nil {
		rrd = a.cfg.RRDRootDir
	}
	a.log.Info("gmetad started", "clusters", strings.Join(cl, ","),
		"xml_port", a.xml.Addr().Port(), "interactive_port", a.interactive.Addr().Port(), "web", a.webURL(),
		"data_sources", len(a.cfg.DataSources), "rrd_rootdir", rrd, "state_file", a.cfg.StateFile,
		"config", orEmbedded(a.s.configPath), "mapping", a.s.mappingPath)
}

func orEmbedded(path string) string {
	if path == "" {
		return "(embedded default)"
	}
	return path
}
