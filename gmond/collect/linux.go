package collect

import (
	"log/slog"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// Linux returns the collectors of the standard metric set on Linux, each
// reading its /proc or /sys source below root. The code builds on every
// GOOS so that fixture trees are tested anywhere.
func Linux(root sysroot.Root, logger *slog.Logger) []metric.Collector {
	_ = root
	_ = logger
	return nil
}
