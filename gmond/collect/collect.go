package collect

import (
	"log/slog"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
)

// ForOS returns the collectors of the standard metric set for goos ("linux"
// or "aix"), reading through root. Other systems get none: the agent then
// sends only the core metrics.
func ForOS(goos string, root sysroot.Root, logger *slog.Logger) []metric.Collector {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	switch goos {
	case "linux":
		return Linux(root, logger)
	case "aix":
		return AIX(root, logger)
	}
	return nil
}

// core provides the metrics gmond computes itself rather than through a
// module: heartbeat, location and gexec (gmond/core_metrics.c).
type core struct {
	started  uint32
	gexec    string
	location func() string
}

// NewCore returns the collector of the core metrics. heartbeat is started
// in Unix seconds (the receiver reads it as the sender's start time);
// location is called at every Collect because an LPM move changes it;
// gexec is sent as "ON" or "OFF".
func NewCore(started time.Time, gexec bool, location func() string) metric.Collector {
	c := &core{started: uint32(started.Unix()), gexec: "OFF", location: location}
	if gexec {
		c.gexec = "ON"
	}
	return c
}

func (c *core) Name() string { return "core" }

func (c *core) Defs() []metric.Def { return defsOf("heartbeat", "location", "gexec") }

func (c *core) Collect(time.Time) ([]metric.Reading, error) {
	loc := ""
	if c.location != nil {
		loc = c.location()
	}
	return []metric.Reading{
		{Name: "heartbeat", Value: metric.Num(float64(c.started))},
		{Name: "location", Value: metric.Str(loc)},
		{Name: "gexec", Value: metric.Str(c.gexec)},
	}, nil
}
