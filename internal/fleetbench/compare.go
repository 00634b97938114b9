package fleetbench

import (
	"fmt"
	"math"
	"time"
)

// Side is what one pipeline did with one fleet size, in the units the
// comparison prints: our gmetad alone, or the stock collectors and gmetad
// (and rrdcached) together.
type Side struct {
	Pipeline string // "ours", "stock", "stock+rrdcached"
	Hosts    int
	Window   time.Duration
	Procs    string // the processes counted, e.g. "3 gmond + gmetad"

	CPU    time.Duration // utime + stime of every process of the pipeline in the window
	CPUBy  string        // the same, per process kind
	Stored float64       // RRD values stored in the window
	// StoredHow says how Stored was counted: ours from gmetad's
	// /status, stock from the updates seen on the watched files.
	StoredHow string
	Expected  float64 // files × steps of the window
	Files     uint64  // RRD files in the tree at the window's start

	PeakRSS   uint64 // sum of VmHWM over the processes, bytes, at the window's end
	RSSBy     string
	Lag       lagFigures
	Gaps      gapReport
	Dumps     []dump
	Drops     uint64 // datagrams dropped on full UDP sockets in the window
	Warmup    time.Duration
	Settled   bool
	SentTotal uint64 // packets ganglia-loadgen sent in the whole run
	Notes     []string
}

// lagFigures are the RRD lag over the window: update time → readable.
type lagFigures struct {
	P50, Max, Staleness time.Duration
	Samples, Errors     int
}

// CPUPerMillion is the pipeline's CPU seconds per million values stored.
func (s *Side) CPUPerMillion() float64 {
	if s.Stored == 0 {
		return math.NaN()
	}
	return s.CPU.Seconds() / (s.Stored / 1e6)
}

// DumpMedian is the median full XML dump time, 0 without dumps.
func (s *Side) DumpMedian() time.Duration {
	if len(s.Dumps) == 0 {
		return 0
	}
	t := make([]time.Duration, len(s.Dumps))
	for i, d := range s.Dumps {
		t[i] = d.Took
	}
	return quantile(t, 0.5)
}

// GapRowsPerHost is the unknown rows of the window (leading and interior)
// per checked host, one file checked per host.
func (s *Side) GapRowsPerHost() float64 {
	if s.Gaps.Files == 0 {
		return math.NaN()
	}
	return float64(s.Gaps.Leading+s.Gaps.Interior) / float64(s.Gaps.Files)
}

// OursSide turns a Run result into the comparison's terms.
func OursSide(r *Result) Side {
	s := Side{Pipeline: "ours", Hosts: r.Hosts, Window: r.Window, Procs: "gmetad",
		CPU: r.CPU, CPUBy: fmt.Sprintf("gmetad %.1f", r.CPU.Seconds()), Stored: float64(r.Updates),
		StoredHow: "gmetad /status rrd.updates", Files: r.FilesCreated,
		// Expected counts host files; the summaries of each managed
		// system and of the grid are stored values too.
		Expected: float64(r.Expected + uint64((r.Systems+1)*r.PerHost)*uint64(r.Window/step)),
		PeakRSS:  max(r.PeakRSS, r.PeakRSSAfterDumps), RSSBy: "gmetad " + mib(max(r.PeakRSS, r.PeakRSSAfterDumps)),
		Lag:  lagFigures{P50: r.LagP50, Max: r.LagMax, Staleness: r.Staleness, Samples: r.LagSamples, Errors: r.LagErrors},
		Gaps: r.Gaps, Dumps: r.Dumps, Drops: r.Drops, Warmup: r.Warmup, Settled: r.WarmupSettled, SentTotal: r.Sent}
	s.Notes = append(s.Notes, "load average "+r.LoadStart+" → "+r.LoadEnd,
		fmt.Sprintf("gmetad CPU-s per dump %.2f", r.DumpCPU.Seconds()))
	if r.Skipped > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d RRD steps skipped (persister behind)", r.Skipped))
	}
	if r.LostAtClose > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d updates lost at close", r.LostAtClose))
	}
	return s
}

// ratio is a/b printed for the table: "-" when either is unknown.
func ratio(a, b float64) string {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return "-"
	}
	r := a / b
	switch {
	case r >= 10:
		return fmt.Sprintf("%.0f", r)
	case r >= 0.1:
		return fmt.Sprintf("%.2f", r)
	default:
		return fmt.Sprintf("%.3f", r)
	}
}

// sizeLabel prints a fleet size with a thousands separator.
func sizeLabel(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%s,%03d", sizeLabel(n/1000), n%1000)
}
