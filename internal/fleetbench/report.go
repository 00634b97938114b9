package fleetbench

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is what one run measured.
type Result struct {
	Hosts, Metrics, Systems int
	PerHost                 int // RRD files per host (the numeric metrics)
	Interval, Window        time.Duration
	RRAs                    []string
	Naming                  string // how gmetad names hosts
	Dir                     string
	GmetadCmd, LoadgenCmd   string
	LoadStart, LoadEnd      string // /proc/loadavg

	Warmup, WarmupCPU time.Duration
	WarmupSettled     bool
	FilesCreated      uint64

	WindowStart time.Time     // the RRD step the window starts after
	Elapsed     time.Duration // the window as measured
	CPU         time.Duration // gmetad utime + stime in the window
	LoadgenCPU  time.Duration
	Updates     uint64 // RRD updates gmetad handed to its writer in the window (/status rrd.updates)
	Expected    uint64 // hosts × PerHost × steps
	Steps       uint64
	Skipped     uint64 // snapshots dropped because the persister was behind
	UpdateErrors, Stale,
	LastStepMS uint64
	Packets     uint64 // UDP packets gmetad received in the window
	Drops       uint64 // datagrams the kernel dropped on gmetad's full UDP sockets in the window
	DropsWarmup uint64 // and during the warm-up
	GridHosts   uint64

	RSS, PeakRSS, PeakRSSAfterDumps uint64 // bytes
	RSSAnon, RSSFile                uint64 // RSS at the window's end: heap and mapped RRD files
	RSSAnonAfterDumps               uint64

	Dumps   []dump
	DumpCPU time.Duration // gmetad CPU per dump

	LagP50, LagMax        time.Duration // update time → readable, over the window
	LagSamples, LagErrors int
	Staleness             time.Duration // age of the oldest watched file at the window's end

	Gaps gapReport

	Sent, SendErrors, SendSkipped uint64 // ganglia-loadgen's totals
	Received                      uint64 // gmetad's UDP packets, whole run
	StopTook                      time.Duration
	LostAtClose                   uint64 // RRD updates gmetad logged as not written at shutdown
}

// CPUPerMillion is gmetad's CPU seconds per million RRD values stored.
func (r *Result) CPUPerMillion() float64 {
	if r.Updates == 0 {
		return 0
	}
	return r.CPU.Seconds() / (float64(r.Updates) / 1e6)
}

// parseLoadgenTotals reads the counters of ganglia-loadgen's last
// "stopped" log line (packets=N errors=N skipped=N).
func parseLoadgenTotals(log string) (packets, errors, skipped uint64) {
	i := strings.LastIndex(log, "msg=stopped ")
	if i < 0 {
		return 0, 0, 0
	}
	line, _, _ := strings.Cut(log[i:], "\n")
	for f := range strings.FieldsSeq(line) {
		k, v, _ := strings.Cut(f, "=")
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "packets":
			packets = n
		case "errors":
			errors = n
		case "skipped":
			skipped = n
		}
	}
	return packets, errors, skipped
}

// parseLostAtClose reads the count of gmetad's "rrd updates lost at
// close" log line: updates its RRD store could not write within the
// shutdown's flush timeout.
func parseLostAtClose(log string) uint64 {
	i := strings.LastIndex(log, `msg="rrd updates lost at close"`)
	if i < 0 {
		return 0
	}
	line, _, _ := strings.Cut(log[i:], "\n")
	for f := range strings.FieldsSeq(line) {
		if v, ok := strings.CutPrefix(f, "updates="); ok {
			n, _ := strconv.ParseUint(v, 10, 64)
			return n
		}
	}
	return 0
}

// row is one line of the table: a label and how to print a run.
type row struct {
	label string
	f     func(r *Result) string
}

var rows = []row{
	{"hosts × metrics (RRD files/host)", func(r *Result) string {
		return fmt.Sprintf("%d × %d (%d)", r.Hosts, r.Metrics, r.PerHost)
	}},
	{"load average start / end", func(r *Result) string { return r.LoadStart + " / " + r.LoadEnd }},
	{"warm-up (files created, CPU-s)", func(r *Result) string {
		s := fmt.Sprintf("%v (%d, %.1f)", r.Warmup.Round(time.Second), r.FilesCreated, r.WarmupCPU.Seconds())
		if !r.WarmupSettled {
			s += " NOT SETTLED"
		}
		return s
	}},
	{"window (RRD steps done, skipped)", func(r *Result) string {
		return fmt.Sprintf("%v (%d, %d)", r.Window, r.Steps, r.Skipped)
	}},
	{"gmetad CPU-s in window (% of a core)", func(r *Result) string {
		return fmt.Sprintf("%.1f (%.0f%%)", r.CPU.Seconds(), 100*r.CPU.Seconds()/r.Elapsed.Seconds())
	}},
	{"stored values (expected)", func(r *Result) string { return fmt.Sprintf("%d (%d)", r.Updates, r.Expected) }},
	{"CPU-s per million stored values", func(r *Result) string { return fmt.Sprintf("%.2f", r.CPUPerMillion()) }},
	{"UDP packets received in window (/s)", func(r *Result) string {
		return fmt.Sprintf("%d (%.0f)", r.Packets, float64(r.Packets)/r.Elapsed.Seconds())
	}},
	{"UDP drops (full socket) warm-up / window", func(r *Result) string {
		return fmt.Sprintf("%d / %d", r.DropsWarmup, r.Drops)
	}},
	{"packets sent / received, whole run", func(r *Result) string {
		return fmt.Sprintf("%d / %d", r.Sent, r.Received)
	}},
	{"loadgen CPU-s in window", func(r *Result) string { return fmt.Sprintf("%.1f", r.LoadgenCPU.Seconds()) }},
	{"RSS end of window / peak (VmHWM)", func(r *Result) string {
		return fmt.Sprintf("%s / %s", mib(r.RSS), mib(r.PeakRSS))
	}},
	{"  of which anon (heap) / file (mapped RRDs)", func(r *Result) string {
		return fmt.Sprintf("%s / %s", mib(r.RSSAnon), mib(r.RSSFile))
	}},
	{"peak RSS / anon after the dumps", func(r *Result) string {
		return fmt.Sprintf("%s / %s", mib(r.PeakRSSAfterDumps), mib(r.RSSAnonAfterDumps))
	}},
	{"full dump time min/median/max", dumpTimes},
	{"full dump size (hosts)", func(r *Result) string {
		if len(r.Dumps) == 0 {
			return "-"
		}
		d := r.Dumps[len(r.Dumps)-1]
		return fmt.Sprintf("%.1f MB (%d)", float64(d.Bytes)/1e6, d.Hosts)
	}},
	{"gmetad CPU-s per dump", func(r *Result) string { return fmt.Sprintf("%.2f", r.DumpCPU.Seconds()) }},
	{"RRD lag p50 / max (samples)", func(r *Result) string {
		s := fmt.Sprintf("%v / %v (%d)", shortDur(r.LagP50), shortDur(r.LagMax), r.LagSamples)
		if r.LagErrors > 0 {
			s += fmt.Sprintf(", %d reads failed", r.LagErrors)
		}
		return s
	}},
	{"oldest last update at window end", func(r *Result) string { return shortDur(r.Staleness) }},
	{"gap rows in window (files with gaps)", func(r *Result) string {
		g := r.Gaps
		s := fmt.Sprintf("%d of %d rows (%d of %d files)", g.Leading+g.Interior, g.Rows, g.FilesWithGaps, g.Files)
		if g.Errors > 0 {
			s += fmt.Sprintf(", %d unreadable", g.Errors)
		}
		return s
	}},
	{"gap rows per file", func(r *Result) string {
		if r.Gaps.Files == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", float64(r.Gaps.Leading+r.Gaps.Interior)/float64(r.Gaps.Files))
	}},
	{"gmetad stop (SIGTERM → exit 0)", func(r *Result) string {
		return fmt.Sprintf("%v, %d updates lost at close", shortDur(r.StopTook), r.LostAtClose)
	}},
}

func dumpTimes(r *Result) string {
	if len(r.Dumps) == 0 {
		return "-"
	}
	t := make([]time.Duration, len(r.Dumps))
	for i, d := range r.Dumps {
		t[i] = d.Took
	}
	slices.Sort(t)
	return fmt.Sprintf("%v / %v / %v", shortDur(t[0]), shortDur(t[len(t)/2]), shortDur(t[len(t)-1]))
}

func mib(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// notes say what the less obvious rows measure.
const notes = `
stored values: RRD updates gmetad handed to its writer in the window (/status rrd.updates):
  every host file plus the cluster and grid summary files, one per file and 15 s step.
RRD lag: from the time of an update (gmetad writes every file at each 15 s boundary of the
  clock) to its being readable (rrdstore.LastUpdate polled every 250 ms); a value also waits
  up to one step in memory before its update, as it waits for stock gmetad's 15 s poll.
oldest last update at window end: the window ends half a step after an update, so 7.5 s
  means every watched file had its last step readable; 22.5 s, one step still unwritten.
gaps: unknown rows of the one-step archive in the window, before the last known row, in
  randomly chosen host files (created before the window, so every row should be known).
CPU: utime + stime of /proc/<pid>/stat; RSS: VmHWM, VmRSS, RssAnon, RssFile of /proc/<pid>/status.
`

// WriteTable prints the runs side by side, one column each, then the
// command lines and RRAs of each.
func WriteTable(w io.Writer, results []*Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		fmt.Fprint(tw, row.label)
		for _, r := range results {
			fmt.Fprint(tw, "\t", row.f(r))
		}
		fmt.Fprintln(tw, "\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		fmt.Fprintf(w, "\n%d hosts: RRAs %s; hosts named by %s\n  %s\n  %s\n", r.Hosts, strings.Join(r.RRAs, " "),
			r.Naming, r.GmetadCmd, r.LoadgenCmd)
	}
	_, err := io.WriteString(w, notes)
	return err
}
