package collect

import (
	"log/slog"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Linux returns the collectors of the standard metric set on Linux, each
// reading its /proc or /sys source below root: cpu (/proc/stat), cpuinfo
// (cpu_num, cpu_speed), loadavg, meminfo, netdev (host and per-interface
// rates; a metric.Resetter), disk (/proc/mounts and statfs) and system.
// The code builds on every GOOS so that fixture trees are tested anywhere.
//
// A collector returns an error only when its main source cannot be read;
// a metric it cannot compute is left out, and the first time that happens
// it is logged once.
func Linux(root sysroot.Root, logger *slog.Logger) []metric.Collector {
	log := newOnceLog(logger)
	return []metric.Collector{
		newCPU(root),
		&cpuInfoCollector{root: root, log: log},
		&loadCollector{root: root},
		&memCollector{root: root, log: log},
		newNetwork(root, log),
		&diskCollector{root: root, log: log, statfs: sysStatfs},
		&systemCollector{root: root, log: log},
	}
}
