package mapping

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// DefaultPath is where both daemons look for the mapping when --mapping is
// not given; the file is optional there.
const DefaultPath = "/etc/ganglia/lpm.toml"

// DefaultLPARDir is lpar_dir when the file does not set it: the seed
// setup's per-host directory under rrd_rootdir.
const DefaultLPARDir = "LPARS"

// Mapping is a validated mapping file.
type Mapping struct {
	Collector string     // host agents send to (collector = ...)
	LPARDir   string     // per-host RRD directory under rrd_rootdir
	Default   Entry      // chassis not listed, non-Power hosts
	Systems   []System   // [[managed_system]], in file order
	Hosts     []HostRule // [[host]], in file order
	ACL       ACL        // top-level acl: checked on every port after the port's own rules
	Path      string     // file it was read from (the name given to Parse)
}

// System is one managed system (chassis): one Ganglia cluster on one port.
type System struct {
	Name        string // cluster name, as on the HMC
	ModelSerial string // TTTT-MMM_SSSSSSS, upper-case
	Port        int
	Collector   string // overrides Mapping.Collector for this chassis' LPARs
	ACL         ACL
}

// HostRule sends one host to a fixed cluster whatever its chassis, e.g. the
// Ganglia server itself. After Parse, Port is always set: a rule that
// omits it takes the port of the system, default or earlier host rule with
// the same cluster.
type HostRule struct {
	Name      string
	Cluster   string
	Port      int
	Collector string
}

// Entry is the [default] table.
type Entry struct {
	Cluster string
	Port    int
	ACL     ACL
}

// Load reads and parses the mapping file at path.
func Load(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a mapping file; name is used in errors and
// kept as Mapping.Path. On failure the error is an Errors listing every
// problem found, each with file, line and key.
func Parse(name string, data []byte) (*Mapping, error) {
	d := &decoder{file: name}
	raw, ok := d.syntax(data)
	if !ok {
		return nil, d.errs
	}
	d.lines = keyLines(data)
	m := d.mapping(raw)
	validate(d, m)
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *FieldError) int { return a.Line - b.Line })
		return nil, d.errs
	}
	m.Path = name
	return m, nil
}

// Target is where a host's metrics go.
type Target struct {
	Cluster   string
	Port      int
	Collector string // host to send to; "" when the file sets none
	Location  string // model_serial for gmond's host.location; "" for the default
	Source    string // SourceHostRule, SourceSystem or SourceDefault
}

// Values of Target.Source, for logs and the status page.
const (
	SourceHostRule = "host rule"
	SourceSystem   = "managed system"
	SourceDefault  = "default"
)

// Resolve says where host hostname on chassis modelSerial (a ChassisKey
// result, "" when unknown) reports. A host rule wins over the chassis, the
// chassis over [default]. Host rule names match case-insensitively and
// ignore a trailing dot; when one side is a short name (no dot), only the
// first labels are compared, so rule "ganglia.mydomain" matches an agent
// whose os.Hostname() is "ganglia" and rule "ganglia" matches gmetad's
// reverse-DNS "ganglia.mydomain". Two different FQDNs never match. An exact
// match beats a short-name match; otherwise the first rule in the file
// wins. Location is the chassis key whenever the chassis is known to the
// caller and the source is not the default. The collector is the first
// set of: the host rule's, the managed system's (for a host rule, the
// system whose cluster it names), the top-level one.
func (m *Mapping) Resolve(hostname, modelSerial string) Target {
	modelSerial = strings.ToUpper(modelSerial)
	if h, ok := m.hostRule(hostname); ok {
		return Target{Cluster: h.Cluster, Port: h.Port, Collector: or(h.Collector, m.systemCollector(h.Cluster)),
			Location: modelSerial, Source: SourceHostRule}
	}
	for _, s := range m.Systems {
		if modelSerial != "" && s.ModelSerial == modelSerial {
			return Target{Cluster: s.Name, Port: s.Port, Collector: or(s.Collector, m.Collector),
				Location: s.ModelSerial, Source: SourceSystem}
		}
	}
	return Target{Cluster: m.Default.Cluster, Port: m.Default.Port, Collector: m.Collector,
		Source: SourceDefault}
}

// systemCollector is the collector for a cluster: the managed system's
// override if the cluster is one, else the top-level collector.
func (m *Mapping) systemCollector(cluster string) string {
	for _, s := range m.Systems {
		if s.Name == cluster && s.Collector != "" {
			return s.Collector
		}
	}
	return m.Collector
}

func (m *Mapping) hostRule(hostname string) (HostRule, bool) {
	name := normHost(hostname)
	if name == "" {
		return HostRule{}, false
	}
	short, found := -1, false
	for i, h := range m.Hosts {
		rule := normHost(h.Name)
		if rule == name {
			return h, true
		}
		if !found && shortMatch(rule, name) {
			short, found = i, true
		}
	}
	if found {
		return m.Hosts[short], true
	}
	return HostRule{}, false
}

// normHost lower-cases a host name and drops a trailing root dot.
func normHost(s string) string { return strings.ToLower(strings.TrimSuffix(s, ".")) }

// shortMatch compares first labels when either name is unqualified.
func shortMatch(a, b string) bool {
	sa, _, qa := strings.Cut(a, ".")
	sb, _, qb := strings.Cut(b, ".")
	return (!qa || !qb) && sa == sb
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ClusterPort is one cluster gmetad listens for, on its own UDP port.
type ClusterPort struct {
	Cluster string
	Port    int
	ACL     ACL // the cluster's own rules, then the top-level acl
}

// Clusters lists every distinct cluster (managed systems, the default, and
// clusters only host rules name) with its port, sorted by port. Validation
// guarantees one cluster per port and one port per cluster.
func (m *Mapping) Clusters() []ClusterPort {
	out := []ClusterPort{{Cluster: m.Default.Cluster, Port: m.Default.Port, ACL: joinACL(m.Default.ACL, m.ACL)}}
	for _, s := range m.Systems {
		out = append(out, ClusterPort{Cluster: s.Name, Port: s.Port, ACL: joinACL(s.ACL, m.ACL)})
	}
	for _, h := range m.Hosts {
		if !slices.ContainsFunc(out, func(c ClusterPort) bool { return c.Cluster == h.Cluster }) {
			out = append(out, ClusterPort{Cluster: h.Cluster, Port: h.Port, ACL: joinACL(nil, m.ACL)})
		}
	}
	slices.SortFunc(out, func(a, b ClusterPort) int { return a.Port - b.Port })
	return out
}

// joinACL puts a port's own rules before the global ones, so a per-system
// "allow" can open a hole in a global "deny 0.0.0.0/0" (first match wins).
func joinACL(own, global ACL) ACL {
	if len(own)+len(global) == 0 {
		return nil
	}
	return append(slices.Clone(own), global...)
}
