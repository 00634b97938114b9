package mapping

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// validate checks what the types cannot: names safe as directories,
// model_serial format, and that clusters, ports, serials and host names
// are unique. It runs even after decode errors so one pass shows
// everything; fields that failed to decode are zero and skipped.
func validate(d *decoder, m *Mapping) {
	d.checkName("lpar_dir", m.LPARDir, summaryDir)
	d.checkCollector("collector", m.Collector)
	d.checkName("default.cluster", m.Default.Cluster, summaryDir, m.LPARDir)
	for i := range m.Systems {
		s, p := &m.Systems[i], indexKey("managed_system", i)
		d.checkName(p+".name", s.Name, summaryDir, m.LPARDir)
		d.checkCollector(p+".collector", s.Collector)
		if written := s.ModelSerial; !ValidModelSerial(strings.ToUpper(written)) {
			d.fail(p+".model_serial", ErrModelSerial,
				"%q is not TTTT-MMM_SSSSSSS (type-model, \"_\", 7-character serial, e.g. 9117-MMB_0000002)", written)
		}
		s.ModelSerial = strings.ToUpper(s.ModelSerial) // ChassisKey upper-cases too
	}
	for i := range m.Hosts {
		h, p := &m.Hosts[i], indexKey("host", i)
		d.checkName(p+".name", h.Name, summaryDir)
		d.checkName(p+".cluster", h.Cluster, summaryDir, m.LPARDir)
		d.checkCollector(p+".collector", h.Collector)
	}
	d.uniqueSerials(m)
	d.uniqueHosts(m)
	d.clusterPorts(m)
}

// checkName refuses names unsafe as a directory. An absent name is "" too,
// but fail drops this second error for a key already reported as required.
func (d *decoder) checkName(key, name string, reserved ...string) {
	if problem := nameProblem(name, reserved...); problem != "" {
		d.fail(key, ErrUnsafeName, "%s", problem)
	}
}

// checkCollector accepts a host name or address; "" means unset. A ":"
// is only allowed in an IPv6 address: "ganglia:8649" is a likely mistake,
// since the port always comes from the cluster.
func (d *decoder) checkCollector(key, host string) {
	switch {
	case host == "":
	case strings.ContainsFunc(host, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '/' }):
		d.fail(key, ErrUnsafeName, "%q is not a host name or address", host)
	case strings.Contains(host, ":") && !isIPv6(host):
		d.fail(key, ErrUnsafeName, "%q: give a host name or address only; the port comes from the cluster", host)
	}
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}

// seen remembers where a value was first defined, for "already used by"
// messages.
type seen map[string]string

func (d *decoder) firstAt(s seen, value, key string) (string, bool) {
	if first, dup := s[value]; dup {
		return fmt.Sprintf("%s (line %d)", first, lineOf(d.lines, first)), true
	}
	s[value] = key
	return "", false
}

func (d *decoder) uniqueSerials(m *Mapping) {
	s := seen{}
	for i, sys := range m.Systems {
		key := indexKey("managed_system", i) + ".model_serial"
		if sys.ModelSerial == "" {
			continue
		}
		if first, dup := d.firstAt(s, sys.ModelSerial, key); dup {
			d.fail(key, ErrDuplicateSerial, "%s already mapped by %s", sys.ModelSerial, first)
		}
	}
}

// uniqueHosts refuses two rules for one host; names compare as Resolve
// matches them exactly (case-insensitive, trailing dot ignored).
func (d *decoder) uniqueHosts(m *Mapping) {
	s := seen{}
	for i, h := range m.Hosts {
		key := indexKey("host", i) + ".name"
		if h.Name == "" {
			continue
		}
		if first, dup := d.firstAt(s, normHost(h.Name), key); dup {
			d.fail(key, ErrDuplicateName, "host %q already has a rule at %s", h.Name, first)
		}
	}
}

// clusterUse is a cluster (or port) as first defined.
type clusterUse struct {
	cluster, key string
	port         int
}

// clusterPorts enforces one cluster per port and one port per cluster:
// gmetad tells clusters apart only by the port a packet arrives on.
// Managed systems and [default] define clusters (in file order); host
// rules then either join one of those (same port, or port omitted) or
// define a cluster of their own on a port nobody else uses.
func (d *decoder) clusterPorts(m *Mapping) {
	byCluster, byPort := map[string]clusterUse{}, map[int]clusterUse{}
	type def struct {
		key, cluster string
		port         int
	}
	defs := []def{{"default", m.Default.Cluster, m.Default.Port}}
	for i, s := range m.Systems {
		defs = append(defs, def{indexKey("managed_system", i), s.Name, s.Port})
	}
	slices.SortStableFunc(defs, func(a, b def) int { return lineOf(d.lines, a.key) - lineOf(d.lines, b.key) })
	for _, e := range defs {
		nameKey := e.key + ".name"
		if e.key == "default" {
			nameKey = "default.cluster"
		}
		if e.cluster == "" || e.port == 0 {
			continue
		}
		if u, dup := byCluster[e.cluster]; dup {
			d.fail(nameKey, ErrDuplicateName, "cluster %q already defined by %s (line %d)", e.cluster, u.key, lineOf(d.lines, u.key))
			continue
		}
		if d.portFree(byPort, e.key+".port", e.port, e.cluster) {
			u := clusterUse{e.cluster, e.key, e.port}
			byCluster[e.cluster], byPort[e.port] = u, u
		}
	}
	for i := range m.Hosts {
		d.hostCluster(byCluster, byPort, &m.Hosts[i], indexKey("host", i))
	}
}

func (d *decoder) hostCluster(byCluster map[string]clusterUse, byPort map[int]clusterUse, h *HostRule, key string) {
	if h.Cluster == "" {
		return
	}
	u, known := byCluster[h.Cluster]
	switch {
	case known && h.Port == 0:
		h.Port = u.port
	case known && h.Port != u.port:
		d.fail(key+".port", ErrPortConflict, "cluster %q listens on port %d (%s, line %d); use that port or omit port",
			h.Cluster, u.port, u.key, lineOf(d.lines, u.key))
	case known:
	case h.Port == 0:
		d.fail(key+".port", ErrRequired, "required: cluster %q is not a managed system or the default", h.Cluster)
	case d.portFree(byPort, key+".port", h.Port, h.Cluster):
		u := clusterUse{h.Cluster, key, h.Port}
		byCluster[h.Cluster], byPort[h.Port] = u, u
	}
}

// portFree reports whether port is still free, recording an error if not.
func (d *decoder) portFree(byPort map[int]clusterUse, key string, port int, cluster string) bool {
	u, used := byPort[port]
	if used {
		d.fail(key, ErrDuplicatePort, "port %d already used by cluster %q (%s, line %d); one port per cluster",
			port, u.cluster, u.key, lineOf(d.lines, u.key))
	}
	return !used
}
