package lpar

import (
	"log/slog"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// ForOS returns the LPAR collectors for goos ("linux" or "aix") on the
// machine below root. A Linux machine without /proc/ppc64/lparcfg gets no
// partition collectors (an x86 box, most KVM hosts); one with neither
// lparcfg nor an OPAL device tree gets none at all, and that is logged once
// at Info. Collectors that compute rates implement metric.Resetter. A nil
// logger discards.
func ForOS(goos string, root sysroot.Root, logger *slog.Logger) []metric.Collector {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("group", Group)
	switch goos {
	case "aix":
		return []metric.Collector{
			newAIXConfig(root, logger),
			newAIXSample(root, logger),
			newAIXInfo(root, logger),
		}
	case "linux":
		_, errCfg := root.Stat(lparcfgPath)
		if errCfg == nil {
			return []metric.Collector{
				newLparcfgCollector(root, logger),
				newLinuxInfo(root, logger),
				newDiskCollector(root, logger),
			}
		}
		if _, err := root.Stat(dtOPAL); err == nil {
			// A PowerNV (bare-metal OPAL) host: no partition, but the frame,
			// firmware and OS are still worth reporting.
			logger.Info("no lparcfg: not a PowerVM partition; reporting frame and OS info only")
			return []metric.Collector{newLinuxInfo(root, logger)}
		}
		logger.Info("no LPAR data source", "missing", lparcfgPath, "err", errCfg)
		return nil
	}
	logger.Info("no LPAR data source", "goos", goos)
	return nil
}

// notes logs each of a collector's conditions once per collector lifetime
// (pool authority off, dedicated partition, ...), so a condition that holds
// every cycle does not flood the log.
type notes struct {
	log  *slog.Logger
	seen map[string]bool
}

func newNotes(log *slog.Logger, collector string) *notes {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &notes{log: log.With("collector", collector), seen: map[string]bool{}}
}

// once logs msg at Info the first time key is seen.
func (n *notes) once(key, msg string, args ...any) {
	if n.seen[key] {
		return
	}
	n.seen[key] = true
	n.log.Info(msg, args...)
}
