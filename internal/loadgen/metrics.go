package loadgen

import (
	"fmt"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Metric is one metric a simulated host sends: the metadata a stock gmond
// module sends for it, the value message kind and format, and the range its
// generated values are drawn from.
type Metric struct {
	ID   xdr.MsgID    // value message kind: IDFloat, IDDouble, IDUInt, IDUShort or IDString
	Meta xdr.Metadata // as gmond sends it: dmax 0, extras TITLE, DESC, GROUP
	Fmt  string       // printf format of the value message (the receiver renders VAL with it)

	// Lo and Hi bound numeric values; every value is a multiple of Quantum,
	// chosen so that the float32 on the wire, the VAL text the receiver
	// prints with Fmt and the float64 ValueAt returns are the same number
	// (stock gmetad stores the parsed VAL text, our gmetad the wire value).
	Lo, Hi, Quantum float64
	// Const marks slope-zero metrics (cpu_num, mem_total...): one value per
	// host that never changes, as on a real machine.
	Const bool
	Str   string // the value of a string metric
}

// Name returns the metric name.
func (m *Metric) Name() string { return m.Meta.Name }

// stdDef is one row of the standard table, PROTOCOL.md §6.
type stdDef struct {
	name, typ, units string
	slope            xdr.Slope
	tmax             uint32
	fmt, group       string
	title, desc      string
	lo, hi           float64
	str              string
}

// standard is stock gmond 3.7.2's Linux metric set (PROTOCOL.md §6, TITLE
// and DESC as captured from Debian's gmond), the metrics every dashboard
// graphs first, then the rest, then the constant and string ones. heartbeat
// is not here: Config.Heartbeat adds it.
var standard = []stdDef{
	{"load_one", "float", " ", xdr.SlopeBoth, 70, "%.2f", "load", "One Minute Load Average", "One minute load average", 0, 8, ""},
	{"cpu_user", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU User", "Percentage of CPU utilization that occurred while executing at the user level", 0, 100, ""},
	{"cpu_system", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU System", "Percentage of CPU utilization that occurred while executing at the system level", 0, 100, ""},
	{"cpu_idle", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU Idle", "Percentage of time that the CPU or CPUs were idle and the system did not have an outstanding disk I/O request", 0, 100, ""},
	{"mem_free", "float", "KB", xdr.SlopeBoth, 180, "%.0f", "memory", "Free Memory", "Amount of available memory", 0, 16e6, ""},
	{"bytes_in", "float", "bytes/sec", xdr.SlopeBoth, 300, "%.2f", "network", "Bytes Received", "Number of bytes in per second", 0, 1e6, ""},
	{"bytes_out", "float", "bytes/sec", xdr.SlopeBoth, 300, "%.2f", "network", "Bytes Sent", "Number of bytes out per second", 0, 1e6, ""},
	{"pkts_in", "float", "packets/sec", xdr.SlopeBoth, 300, "%.2f", "network", "Packets Received", "Packets in per second", 0, 1e4, ""},
	{"pkts_out", "float", "packets/sec", xdr.SlopeBoth, 300, "%.2f", "network", "Packets Sent", "Packets out per second", 0, 1e4, ""},
	{"load_five", "float", " ", xdr.SlopeBoth, 325, "%.2f", "load", "Five Minute Load Average", "Five minute load average", 0, 8, ""},
	{"load_fifteen", "float", " ", xdr.SlopeBoth, 950, "%.2f", "load", "Fifteen Minute Load Average", "Fifteen minute load average", 0, 8, ""},
	{"cpu_nice", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU Nice", "Percentage of CPU utilization that occurred while executing at the user level with nice priority", 0, 100, ""},
	{"cpu_wio", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU wio", "Percentage of time that the CPU or CPUs were idle during which the system had an outstanding disk I/O request", 0, 100, ""},
	{"cpu_aidle", "float", "%", xdr.SlopeBoth, 3800, "%.1f", "cpu", "CPU aidle", "Percent of time since boot idle CPU", 0, 100, ""},
	{"cpu_steal", "float", "%", xdr.SlopeBoth, 90, "%.1f", "cpu", "CPU steal", "cpu_steal", 0, 100, ""},
	{"proc_run", "uint32", " ", xdr.SlopeBoth, 950, "%u", "process", "Total Running Processes", "Total number of running processes", 0, 64, ""},
	{"proc_total", "uint32", " ", xdr.SlopeBoth, 950, "%u", "process", "Total Processes", "Total number of processes", 100, 1000, ""},
	{"mem_shared", "float", "KB", xdr.SlopeBoth, 180, "%.0f", "memory", "Shared Memory", "Amount of shared memory", 0, 1e6, ""},
	{"mem_buffers", "float", "KB", xdr.SlopeBoth, 180, "%.0f", "memory", "Memory Buffers", "Amount of buffered memory", 0, 1e6, ""},
	{"mem_cached", "float", "KB", xdr.SlopeBoth, 180, "%.0f", "memory", "Cached Memory", "Amount of cached memory", 0, 8e6, ""},
	{"swap_free", "float", "KB", xdr.SlopeBoth, 180, "%.0f", "memory", "Free Swap Space", "Amount of available swap memory", 0, 4e6, ""},
	{"disk_free", "double", "GB", xdr.SlopeBoth, 180, "%.3f", "disk", "Disk Space Available", "Total free disk space", 0, 1000, ""},
	{"part_max_used", "float", "%", xdr.SlopeBoth, 180, "%.1f", "disk", "Maximum Disk Space Used", "Maximum percent used for all partitions", 0, 100, ""},
	{"disk_total", "double", "GB", xdr.SlopeBoth, 1200, "%.3f", "disk", "Total Disk Space", "Total available disk space", 1000, 2000, ""},
	{"cpu_num", "uint16", "CPUs", xdr.SlopeZero, 1200, "%hu", "cpu", "CPU Count", "Total number of CPUs", 1, 64, ""},
	{"cpu_speed", "uint32", "MHz", xdr.SlopeZero, 1200, "%u", "cpu", "CPU Speed", "CPU Speed in terms of MHz", 2000, 5000, ""},
	{"mem_total", "float", "KB", xdr.SlopeZero, 1200, "%.0f", "memory", "Memory Total", "Total amount of memory displayed in KBs", 4e6, 16e6, ""},
	{"swap_total", "float", "KB", xdr.SlopeZero, 1200, "%.0f", "memory", "Swap Space Total", "Total amount of swap space displayed in KBs", 0, 4e6, ""},
	{"boottime", "uint32", "s", xdr.SlopeZero, 1200, "%u", "system", "Last Boot Time", "The last time that the system was started", 1.7e9, 1.75e9, ""},
	{"machine_type", "string", "", xdr.SlopeZero, 1200, "%s", "system", "Machine Type", "System architecture", 0, 0, "ppc64le"},
	{"os_name", "string", "", xdr.SlopeZero, 1200, "%s", "system", "Operating System", "Operating system name", 0, 0, "Linux"},
	{"os_release", "string", "", xdr.SlopeZero, 1200, "%s", "system", "Operating System Release", "Operating system release date", 0, 0, "6.1.0-loadgen"},
	{"gexec", "string", "", xdr.SlopeZero, 300, "%s", "core", "Gexec Status", "gexec available", 0, 0, "OFF"},
}

// StandardMetrics is how many metrics of the stock gmond set come before the
// synthetic lg_metric_NNN ones.
const StandardMetrics = 33

// typeIDs maps a metadata type string to the value message gmond sends.
var typeIDs = map[string]xdr.MsgID{
	"float": xdr.IDFloat, "double": xdr.IDDouble, "uint32": xdr.IDUInt,
	"uint16": xdr.IDUShort, "string": xdr.IDString,
}

// quanta are the value steps that print exactly with each format: binary
// fractions, so float32 holds them and APR's rounding never meets a tie.
var quanta = map[string]float64{"%.0f": 1, "%.1f": 0.5, "%.2f": 0.25, "%.3f": 0.125, "%u": 1, "%hu": 1}

// Metrics returns the first m metrics of the list: the standard gmond set,
// then synthetic float metrics lg_metric_000, lg_metric_001... in GROUP
// loadgen.
func Metrics(m int) []Metric {
	out := make([]Metric, 0, m)
	for j := 0; j < m; j++ {
		if j < len(standard) {
			out = append(out, standard[j].metric())
			continue
		}
		name := fmt.Sprintf("lg_metric_%03d", j-len(standard))
		out = append(out, stdDef{name, "float", "", xdr.SlopeBoth, 60, "%.2f", "loadgen",
			name, "Synthetic load generator metric", 0, 1000, ""}.metric())
	}
	return out
}

func (d stdDef) metric() Metric {
	return Metric{
		ID: typeIDs[d.typ],
		Meta: xdr.Metadata{
			Type: d.typ, Name: d.name, Units: d.units, Slope: d.slope, TMax: d.tmax,
			// gmond's own metrics: TITLE, DESC, then the module's GROUP
			// (PROTOCOL.md §2.2 step 4).
			Extra: []xdr.Extra{{Name: "TITLE", Data: d.title}, {Name: "DESC", Data: d.desc}, {Name: "GROUP", Data: d.group}},
		},
		Fmt: d.fmt, Lo: d.lo, Hi: d.hi, Quantum: quanta[d.fmt],
		Const: d.slope == xdr.SlopeZero, Str: d.str,
	}
}

// heartbeatMetric is gmond's core heartbeat (PROTOCOL.md §1.11): uint32, no
// units, slope sent as unspecified, tmax 20, value = gmond's start time.
func heartbeatMetric() Metric {
	return Metric{
		ID: xdr.IDUInt,
		Meta: xdr.Metadata{
			Type: "uint32", Name: "heartbeat", Slope: xdr.SlopeUnspecified, TMax: 20,
			Extra: []xdr.Extra{{Name: "TITLE", Data: "heartbeat"}, {Name: "DESC", Data: "Last heartbeat"}, {Name: "GROUP", Data: "core"}},
		},
		Fmt: "%u", Quantum: 1, Const: true,
	}
}
