package collect

import (
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Long DESC texts of the cpu module, sent verbatim by stock gmond.
const (
	descCPUUser   = "Percentage of CPU utilization that occurred while executing at the user level"
	descCPUNice   = "Percentage of CPU utilization that occurred while executing at the user level with nice priority"
	descCPUSystem = "Percentage of CPU utilization that occurred while executing at the system level"
	descCPUIdle   = "Percentage of time that the CPU or CPUs were idle and the system did not have an outstanding disk I/O request"
	descCPUWio    = "Percentage of time that the CPU or CPUs were idle during which the system had an outstanding disk I/O request"
)

// Short local names keep the table below one line per metric.
const (
	zero = xdr.SlopeZero
	both = xdr.SlopeBoth
	unsp = xdr.SlopeUnspecified
)

// stdDefs is the standard metric set of stock gmond 3.7.2 (PROTOCOL.md §6),
// in the order of the default collection groups. Type, units (note the
// single space " " of load_* and proc_*), slope, tmax and format are those
// of the C modules; Desc is the module's description. Title is the title the
// default configuration (`gmond -t`) gives the metric, empty where it gives
// none (heartbeat, and the metrics it does not collect); what is sent as
// TITLE is the configured title, else the metric name (metric.Def.Metadata).
var stdDefs = []metric.Def{
	{Name: "heartbeat", Type: metric.UInt32, Units: "", Slope: unsp, TMax: 20, Format: "%u", Group: "core", Desc: "Last heartbeat"},
	{Name: "location", Type: metric.String, Units: "(x,y,z)", Slope: unsp, TMax: 1200, Format: "%s", Group: "core", Desc: "Location of the machine", Title: "Location"},
	{Name: "gexec", Type: metric.String, Units: "", Slope: zero, TMax: 300, Format: "%s", Group: "core", Desc: "gexec available", Title: "Gexec Status"},

	{Name: "cpu_num", Type: metric.UInt16, Units: "CPUs", Slope: zero, TMax: 1200, Format: "%hu", Group: "cpu", Desc: "Total number of CPUs", Title: "CPU Count"},
	{Name: "cpu_speed", Type: metric.UInt32, Units: "MHz", Slope: zero, TMax: 1200, Format: "%u", Group: "cpu", Desc: "CPU Speed in terms of MHz", Title: "CPU Speed"},
	{Name: "mem_total", Type: metric.Float, Units: "KB", Slope: zero, TMax: 1200, Format: "%.0f", Group: "memory", Desc: "Total amount of memory displayed in KBs", Title: "Memory Total"},
	{Name: "swap_total", Type: metric.Float, Units: "KB", Slope: zero, TMax: 1200, Format: "%.0f", Group: "memory", Desc: "Total amount of swap space displayed in KBs", Title: "Swap Space Total"},
	{Name: "boottime", Type: metric.UInt32, Units: "s", Slope: zero, TMax: 1200, Format: "%u", Group: "system", Desc: "The last time that the system was started", Title: "Last Boot Time"},
	{Name: "machine_type", Type: metric.String, Units: "", Slope: zero, TMax: 1200, Format: "%s", Group: "system", Desc: "System architecture", Title: "Machine Type"},
	{Name: "os_name", Type: metric.String, Units: "", Slope: zero, TMax: 1200, Format: "%s", Group: "system", Desc: "Operating system name", Title: "Operating System"},
	{Name: "os_release", Type: metric.String, Units: "", Slope: zero, TMax: 1200, Format: "%s", Group: "system", Desc: "Operating system release date", Title: "Operating System Release"},

	{Name: "cpu_user", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: descCPUUser, Title: "CPU User"},
	{Name: "cpu_system", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: descCPUSystem, Title: "CPU System"},
	{Name: "cpu_idle", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: descCPUIdle, Title: "CPU Idle"},
	{Name: "cpu_nice", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: descCPUNice, Title: "CPU Nice"},
	{Name: "cpu_aidle", Type: metric.Float, Units: "%", Slope: both, TMax: 3800, Format: "%.1f", Group: "cpu", Desc: "Percent of time since boot idle CPU", Title: "CPU aidle"},
	{Name: "cpu_wio", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: descCPUWio, Title: "CPU wio"},
	{Name: "cpu_steal", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: "cpu_steal", Title: "CPU steal"},
	{Name: "cpu_intr", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: "cpu_intr"},
	{Name: "cpu_sintr", Type: metric.Float, Units: "%", Slope: both, TMax: 90, Format: "%.1f", Group: "cpu", Desc: "cpu_sintr"},

	{Name: "load_one", Type: metric.Float, Units: " ", Slope: both, TMax: 70, Format: "%.2f", Group: "load", Desc: "One minute load average", Title: "One Minute Load Average"},
	{Name: "load_five", Type: metric.Float, Units: " ", Slope: both, TMax: 325, Format: "%.2f", Group: "load", Desc: "Five minute load average", Title: "Five Minute Load Average"},
	{Name: "load_fifteen", Type: metric.Float, Units: " ", Slope: both, TMax: 950, Format: "%.2f", Group: "load", Desc: "Fifteen minute load average", Title: "Fifteen Minute Load Average"},
	{Name: "proc_run", Type: metric.UInt32, Units: " ", Slope: both, TMax: 950, Format: "%u", Group: "process", Desc: "Total number of running processes", Title: "Total Running Processes"},
	{Name: "proc_total", Type: metric.UInt32, Units: " ", Slope: both, TMax: 950, Format: "%u", Group: "process", Desc: "Total number of processes", Title: "Total Processes"},

	{Name: "mem_free", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of available memory", Title: "Free Memory"},
	{Name: "mem_shared", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of shared memory", Title: "Shared Memory"},
	{Name: "mem_buffers", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of buffered memory", Title: "Memory Buffers"},
	{Name: "mem_cached", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of cached memory", Title: "Cached Memory"},
	{Name: "swap_free", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of available swap memory", Title: "Free Swap Space"},
	{Name: "mem_sreclaimable", Type: metric.Float, Units: "KB", Slope: both, TMax: 180, Format: "%.0f", Group: "memory", Desc: "Amount of reclaimable slab memory"},

	{Name: "bytes_out", Type: metric.Float, Units: "bytes/sec", Slope: both, TMax: 300, Format: "%.2f", Group: "network", Desc: "Number of bytes out per second", Title: "Bytes Sent"},
	{Name: "bytes_in", Type: metric.Float, Units: "bytes/sec", Slope: both, TMax: 300, Format: "%.2f", Group: "network", Desc: "Number of bytes in per second", Title: "Bytes Received"},
	{Name: "pkts_in", Type: metric.Float, Units: "packets/sec", Slope: both, TMax: 300, Format: "%.2f", Group: "network", Desc: "Packets in per second", Title: "Packets Received"},
	{Name: "pkts_out", Type: metric.Float, Units: "packets/sec", Slope: both, TMax: 300, Format: "%.2f", Group: "network", Desc: "Packets out per second", Title: "Packets Sent"},

	{Name: "disk_total", Type: metric.Double, Units: "GB", Slope: both, TMax: 1200, Format: "%.3f", Group: "disk", Desc: "Total available disk space", Title: "Total Disk Space"},
	{Name: "disk_free", Type: metric.Double, Units: "GB", Slope: both, TMax: 180, Format: "%.3f", Group: "disk", Desc: "Total free disk space", Title: "Disk Space Available"},
	{Name: "part_max_used", Type: metric.Float, Units: "%", Slope: both, TMax: 180, Format: "%.1f", Group: "disk", Desc: "Maximum percent used for all partitions", Title: "Maximum Disk Space Used"},

	{Name: "sys_clock", Type: metric.UInt32, Units: "s", Slope: zero, TMax: 1200, Format: "%u", Group: "system", Desc: "Time as reported by the system clock"},
	{Name: "mtu", Type: metric.UInt32, Units: "", Slope: both, TMax: 1200, Format: "%u", Group: "system", Desc: "Network maximum transmission unit"},
}

// Defs returns every standard metric definition (PROTOCOL.md §6), for
// `gmond -m` and for the scheduler to look names up. The slice is a copy.
// The per-interface network metrics are not in it: they depend on the
// machine's interfaces (see PerInterfaceDefs and Linux).
func Defs() []metric.Def {
	return append([]metric.Def(nil), stdDefs...)
}

// Lookup returns the standard definition of name.
func Lookup(name string) (metric.Def, bool) {
	for _, d := range stdDefs {
		if d.Name == name {
			return d, true
		}
	}
	return metric.Def{}, false
}

// defsOf returns the standard definitions of names, in that order. It
// panics on a name outside the table: that is a programming error that
// every test run catches.
func defsOf(names ...string) []metric.Def {
	out := make([]metric.Def, 0, len(names))
	for _, n := range names {
		d, ok := Lookup(n)
		if !ok {
			panic("collect: no standard metric " + n)
		}
		out = append(out, d)
	}
	return out
}

// SanitizeIface maps an interface name to the form used in per-interface
// metric names: every character outside [A-Za-z0-9_.-] becomes '_', because
// the name ends up in RRD file names and ganglia-web URLs.
func SanitizeIface(iface string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return '_'
	}, iface)
}

// PerInterfaceDefs returns the definitions of the per-interface rates of
// iface: bytes_in_<iface>, bytes_out_<iface>, pkts_in_<iface> and
// pkts_out_<iface>, typed like the host totals so that an unbalanced
// etherchannel (one link carrying all the traffic) shows in ganglia-web.
// iface is sanitised with SanitizeIface.
func PerInterfaceDefs(iface string) []metric.Def {
	s := SanitizeIface(iface)
	base := defsOf("bytes_in", "bytes_out", "pkts_in", "pkts_out")
	descs := []string{
		"Number of bytes in per second on interface " + s,
		"Number of bytes out per second on interface " + s,
		"Packets in per second on interface " + s,
		"Packets out per second on interface " + s,
	}
	for i := range base {
		base[i].Name += "_" + s
		base[i].Desc = descs[i]
		base[i].Title = base[i].Title + " (" + s + ")"
	}
	return base
}
