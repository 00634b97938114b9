package mapping

import (
	"io"

	"github.com/BurntSushi/toml"
)

// File layout for Encode: the same keys Parse reads.
type (
	fileMapping struct {
		Collector string       `toml:"collector,omitempty"`
		LPARDir   string       `toml:"lpar_dir"`
		ACL       ACL          `toml:"acl,omitempty"`
		Default   fileEntry    `toml:"default"`
		Systems   []fileSystem `toml:"managed_system,omitempty"`
		Hosts     []fileHost   `toml:"host,omitempty"`
	}
	fileEntry struct {
		Cluster string `toml:"cluster"`
		Port    int    `toml:"port"`
		ACL     ACL    `toml:"acl,omitempty"`
	}
	fileSystem struct {
		Name        string `toml:"name"`
		ModelSerial string `toml:"model_serial"`
		Port        int    `toml:"port"`
		Collector   string `toml:"collector,omitempty"`
		ACL         ACL    `toml:"acl,omitempty"`
	}
	fileHost struct {
		Name      string `toml:"name"`
		Cluster   string `toml:"cluster"`
		Port      int    `toml:"port"`
		Collector string `toml:"collector,omitempty"`
	}
)

// Encode writes m as a mapping file in canonical form (defaults spelled
// out, host rule ports filled in, ACL rules normalised). Parse of the
// output gives back an equal Mapping; `ganglia-lpm mapping validate` can
// print it to show what the daemons understood.
func (m *Mapping) Encode(w io.Writer) error {
	f := fileMapping{Collector: m.Collector, LPARDir: m.LPARDir, ACL: m.ACL,
		Default: fileEntry{m.Default.Cluster, m.Default.Port, m.Default.ACL}}
	for _, s := range m.Systems {
		f.Systems = append(f.Systems, fileSystem{s.Name, s.ModelSerial, s.Port, s.Collector, s.ACL})
	}
	for _, h := range m.Hosts {
		f.Hosts = append(f.Hosts, fileHost(h))
	}
	return toml.NewEncoder(w).Encode(f)
}
