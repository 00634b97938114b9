package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
)

// print is -t: the configuration in effect in gmetad.conf syntax (the
// embedded default's too, so it can be saved as a starting point), then,
// as comments, what gmetad would listen on and where its files go.
func (s *setup) print(out io.Writer) error {
	w := bufio.NewWriter(out)
	from := s.configPath
	if s.embedded() {
		from = "the embedded default (" + s.why + ")"
	}
	fmt.Fprintf(w, "# gmetad -t: the configuration in effect, from %s\n", from)
	cfg := s.cfg
	if cfg.Mapping == "" {
		cfg.Mapping = s.mappingPath
	}
	if _, err := cfg.WriteTo(w); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if s.mapping != nil {
		fmt.Fprintf(w, "# Clusters, from the mapping %s (UDP packets and the TCP XML dump on each port):\n", s.mappingPath)
	} else {
		fmt.Fprintf(w, "# Clusters: no mapping file, so the default cluster (UDP packets and the TCP XML dump):\n")
	}
	for _, cp := range s.clusters() {
		acl := ""
		if len(cp.ACL) > 0 {
			acl = fmt.Sprintf("  acl %v", cp.ACL)
		}
		fmt.Fprintf(w, "#   port %5d  cluster %q%s\n", cp.Port, cp.Cluster, acl)
	}
	fmt.Fprintf(w, "#   port %5d  xml_port (the whole grid as XML)\n", s.cfg.XMLPort)
	fmt.Fprintf(w, "#   port %5d  interactive_port (queries, /status)\n", s.cfg.InteractivePort)
	for _, ds := range s.cfg.DataSources {
		fmt.Fprintf(w, "# Polls data_source %q every %d s: %v\n", ds.Name, ds.Step, ds.Addrs)
	}
	if s.cfg.WriteRRDs {
		fmt.Fprintf(w, "# RRDs: %s (one directory per host under %s/, step %v)\n", s.cfg.RRDRootDir, s.lparDir(),
			persist.DefaultStep)
	} else {
		fmt.Fprintf(w, "# RRDs: none (write_rrds off)\n")
	}
	fmt.Fprintf(w, "# State file: %s\n", s.cfg.StateFile)
	return w.Flush()
}
