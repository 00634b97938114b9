package collect

import (
	"log/slog"
	"slices"
	"strings"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// AIX returns the collectors of the standard metric set on AIX. Without
// cgo there is no libperfstat, so every value comes from the output of a
// command of the base system (vmstat, uptime, ps, lsps, ipcs, netstat, df,
// uname, lsattr; DESIGN.md decision 7), run through root. The parsers are
// pure functions on that output, and a fixture tree with a .commands/
// directory stands in for an AIX machine in tests on any build host.
//
// Metrics AIX cannot give are absent rather than zero: cpu_nice, cpu_steal,
// cpu_intr, cpu_sintr (AIX accounts only user, system, idle and I/O wait),
// mem_buffers (AIX has no buffer cache apart from the file cache that
// mem_cached reports) and mem_sreclaimable.
func AIX(root sysroot.Root, logger *slog.Logger) []metric.Collector {
	log := newOnceLog(logger)
	vm := &aixVmstatSampler{root: root}
	return []metric.Collector{
		&aixSystemCollector{root: root, log: log},
		&aixCPUCollector{root: root, log: log, vm: vm},
		&aixLoadCollector{root: root, log: log},
		&aixProcCollector{root: root, log: log, vm: vm},
		&aixMemCollector{root: root, log: log},
		newAIXNetwork(root, log),
		&aixDiskCollector{root: root, log: log},
	}
}

// aixRun runs one command through root. A failure is logged once per
// command line (a command missing from this machine, or one that needs a
// privilege the agent lacks, would otherwise log at every collection) and
// re-armed when the command works again.
func aixRun(root sysroot.Root, log *onceLog, name string, args ...string) ([]byte, error) {
	key := "cmd:" + strings.Join(append([]string{name}, args...), " ")
	b, err := root.Command(name, args...)
	if err != nil {
		log.warn(key, "AIX command failed; its metrics are left out", "cmd", key[4:], "err", err)
		return nil, err
	}
	log.clear(key)
	return b, nil
}

// aixLines splits command output into lines without their trailing
// carriage returns; blank lines stay, as some parsers need them to find
// the end of a block.
func aixLines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r", "")
	return strings.Split(s, "\n")
}

// aixHeaderAt returns the field of row under the header column name.
func aixHeaderAt(header, row []string, name string, split int) (string, bool) {
	return aixColumn(header, row, slices.Index(header, name), split)
}

// aixColumn returns the field of row under header column idx. When the
// row has as many fields as the header, the columns line up. When it does
// not, because an empty column (netstat's Address of a loopback link) or
// two numbers run together (vmstat's memory columns at large values)
// shifted it, the columns before split are taken from the left and those
// from split on from the right, where these commands never leave a column
// empty.
func aixColumn(header, row []string, idx, split int) (string, bool) {
	switch {
	case idx < 0:
		return "", false
	case len(row) == len(header):
		return row[idx], true
	case idx < split:
		if idx < len(row) {
			return row[idx], true
		}
		return "", false
	}
	j := len(row) - (len(header) - idx)
	if j < 0 {
		return "", false
	}
	return row[j], true
}

// aixReading is a numeric reading.
func aixReading(name string, v float64) metric.Reading {
	return metric.Reading{Name: name, Value: metric.Num(v)}
}

// aixReadings is a collector's readings of one Collect, ready to be
// appended to; it avoids repeating the Reading literal in every collector.
type aixReadings []metric.Reading

func (r *aixReadings) num(name string, v float64) { *r = append(*r, aixReading(name, v)) }

func (r *aixReadings) str(name, v string) {
	*r = append(*r, metric.Reading{Name: name, Value: metric.Str(v)})
}
