package lpmscenario

import (
	"fmt"
	"strconv"
	"strings"
)

// collectionGroups are the LPARs' collection groups: every metric the pages
// of our web interface and ganglia-web's default reports (load, cpu, mem,
// network) read, collected every interval seconds and sent at least every
// 2 × interval, so each 15 s RRD step gets a value; the values that do not
// change every 60 s, like Debian's collect_once groups but repeated so a
// stock collector started late learns them.
func collectionGroups(interval int) string {
	var b strings.Builder
	group := func(every, threshold int, metrics ...string) {
		if every == 0 {
			fmt.Fprintf(&b, "collection_group {\n  collect_once = yes\n  time_threshold = %d\n", threshold)
		} else {
			fmt.Fprintf(&b, "collection_group {\n  collect_every = %d\n  time_threshold = %d\n", every, threshold)
		}
		for _, m := range metrics {
			fmt.Fprintf(&b, "  metric { name = %q }\n", m)
		}
		b.WriteString("}\n")
	}
	group(0, 20, "heartbeat")
	group(0, 60, "cpu_num", "cpu_speed", "mem_total", "swap_total", "boottime", "machine_type",
		"os_name", "os_release", "location")
	group(interval, 2*interval, "cpu_user", "cpu_system", "cpu_idle", "cpu_nice", "cpu_aidle", "cpu_wio",
		"load_one", "load_five", "load_fifteen", "proc_run", "proc_total",
		"mem_free", "mem_shared", "mem_buffers", "mem_cached", "swap_free",
		"bytes_in", "bytes_out", "pkts_in", "pkts_out", "disk_free", "part_max_used", "disk_total")
	group(interval, 2*interval, "cpu_used", "cpu_ec", "cpu_pool_idle", "cpu_entitlement", "cpu_in_pool",
		"cpu_in_lpar", "cpu_in_machine", "cpu_pool_id", "weight")
	group(interval, 60, "serial_num", "model_name", "lpar_name", "lpar_num", "capped", "splpar", "smt",
		"lpar", "fwversion", "oslevel", "cpu_type")
	return b.String()
}

// gmondConf is one LPAR's gmond.conf. The LPAR names itself with
// override_hostname (all six run on one machine, and 127.0.0.x has no
// reverse DNS name) and override_ip its own address, so both gmetads key
// and name it as they would a real LPAR's gmond; its send channel's port
// is set by the mapping.
func gmondConf(l LPAR, interval int) string {
	return fmt.Sprintf(`/* LPAR %s, written by internal/lpmscenario */
globals {
  daemonize = no
  setuid = no
  debug_level = 0
  mute = no
  deaf = yes
  send_metadata_interval = 60
  override_hostname = %q
  override_ip = %q
}
cluster { name = "set by the mapping" }
udp_send_channel {
  host = 127.0.0.1
  port = 9  /* replaced by the mapping */
  bind = %q
}
%s`, l.Name, l.Name, l.IP, l.IP, collectionGroups(interval))
}

// mappingTOML is the lpm.toml of the scenario with each system's port
// from ports (same order as systems) and the default cluster's port.
func mappingTOML(systems []System, ports []int, defaultPort int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# written by internal/lpmscenario\nlpar_dir = \"LPARS\"\n\n[default]\ncluster = %q\nport = %d\n",
		DefaultCluster, defaultPort)
	for i, s := range systems {
		fmt.Fprintf(&b, "\n[[managed_system]]\nname = %q\nmodel_serial = %q\nport = %d\n", s.Name, s.ModelSerial(), ports[i])
	}
	return b.String()
}

// gmetadConf is our gmetad's configuration.
func gmetadConf(s *Scenario, o *Options, mappingPath string) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# our gmetad, written by internal/lpmscenario")
	line("gridname %q", Grid)
	line("xml_port %s", portOf(s.OurXML))
	line("interactive_port %s", portOf(s.OurInteractive))
	line("web_address %q", strings.TrimPrefix(s.OurWeb, "http://"))
	line("rrd_rootdir %q", s.OurRRDRoot)
	line("state_file %q", s.Dir+"/ours/gmetad.state")
	line("mapping %q", mappingPath)
	line("setuid off")
	line("trusted_hosts 127.0.0.1")
	line("rrd_flush_interval 1")
	line("lpm_conflict_window %d", int(o.ConflictWindow.Seconds()))
	line("check_report off")
	line("RRAs %s", quoteAll(o.RRAs))
	for _, e := range o.GmetadExtra {
		line("%s", e)
	}
	return b.String()
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " ")
}

func portOf(addr string) string { return addr[strings.LastIndexByte(addr, ':')+1:] }
