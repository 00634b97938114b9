package fleetbench

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// SizeRun is one fleet size: our side first, then the stock ones.
type SizeRun struct {
	Hosts int
	Sides []Side
}

// figure is one row of the comparison: its text for a side and, when a
// ratio ours/stock makes sense, the number it is taken of.
type figure struct {
	label string
	text  func(s *Side) string
	num   func(s *Side) float64 // nil: no ratio
}

var figures = []figure{
	{"processes", func(s *Side) string { return s.Procs }, nil},
	{"CPU-s in the window", func(s *Side) string {
		return fmt.Sprintf("%.1f (%.0f%% of a core)", s.CPU.Seconds(), 100*s.CPU.Seconds()/s.Window.Seconds())
	}, func(s *Side) float64 { return s.CPU.Seconds() }},
	{"  per process", func(s *Side) string { return s.CPUBy }, nil},
	{"values stored in the window (files × steps)", func(s *Side) string {
		return fmt.Sprintf("%.0f (%.0f)", s.Stored, s.Expected)
	}, func(s *Side) float64 { return s.Stored }},
	{"**CPU-s per million stored values**", func(s *Side) string {
		return fmt.Sprintf("%.2f", s.CPUPerMillion())
	}, func(s *Side) float64 { return s.CPUPerMillion() }},
	{"peak RSS, sum (VmHWM)", func(s *Side) string { return mib(s.PeakRSS) },
		func(s *Side) float64 { return float64(s.PeakRSS) }},
	{"  per process", func(s *Side) string { return s.RSSBy }, nil},
	{"RRD lag p50 (update time → readable)", func(s *Side) string { return shortDur(s.Lag.P50) },
		func(s *Side) float64 { return s.Lag.P50.Seconds() }},
	{"RRD lag max (samples)", func(s *Side) string {
		return fmt.Sprintf("%s (%d)", shortDur(s.Lag.Max), s.Lag.Samples)
	}, func(s *Side) float64 { return s.Lag.Max.Seconds() }},
	{"oldest last update at window end", func(s *Side) string { return shortDur(s.Lag.Staleness) },
		func(s *Side) float64 { return s.Lag.Staleness.Seconds() }},
	{"gap rows per host (hosts with gaps / checked)", func(s *Side) string {
		g := s.Gaps
		t := fmt.Sprintf("%.2f (%d / %d)", s.GapRowsPerHost(), g.FilesWithGaps, g.Files)
		if g.Errors > 0 {
			t += fmt.Sprintf(", %d unreadable", g.Errors)
		}
		return t
	}, nil},
	{"UDP datagrams dropped in the window", func(s *Side) string { return fmt.Sprint(s.Drops) }, nil},
	{"**full XML dump, median of 3**", func(s *Side) string { return shortDur(s.DumpMedian()) },
		func(s *Side) float64 { return s.DumpMedian().Seconds() }},
	{"  dump size (hosts)", func(s *Side) string {
		if len(s.Dumps) == 0 {
			return "-"
		}
		d := s.Dumps[len(s.Dumps)-1]
		return fmt.Sprintf("%.1f MB (%d)", float64(d.Bytes)/1e6, d.Hosts)
	}, nil},
	{"warm-up (every host and file in place)", func(s *Side) string {
		t := s.Warmup.Round(time.Second).String()
		if !s.Settled {
			t += " NOT SETTLED"
		}
		return t
	}, nil},
}

// grid lays one size out: a header, then one row per figure with each
// side's text and, after each stock side, the ratio ours/stock.
func (r SizeRun) grid(bold bool) [][]string {
	head := []string{fmt.Sprintf("%s hosts × 50 metrics", sizeLabel(r.Hosts))}
	for i, s := range r.Sides {
		head = append(head, s.Pipeline)
		if i > 0 {
			head = append(head, "ours/"+s.Pipeline)
		}
	}
	rows := [][]string{head}
	for _, f := range figures {
		label := f.label
		if !bold {
			label = strings.ReplaceAll(label, "**", "")
		}
		row := []string{label}
		for i := range r.Sides {
			s := &r.Sides[i]
			row = append(row, f.text(s))
			if i == 0 {
				continue
			}
			if f.num == nil {
				row = append(row, "")
				continue
			}
			row = append(row, ratio(f.num(&r.Sides[0]), f.num(s)))
		}
		rows = append(rows, row)
	}
	return rows
}

// WriteComparisonText prints every size as an aligned table.
func WriteComparisonText(w io.Writer, runs []SizeRun) error {
	for _, r := range runs {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, row := range r.grid(false) {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, s := range r.Sides {
			for _, n := range s.Notes {
				fmt.Fprintf(w, "  %s: %s\n", s.Pipeline, n)
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// WriteComparisonMarkdown writes every size as a Markdown table.
func WriteComparisonMarkdown(w io.Writer, runs []SizeRun) error {
	for _, r := range runs {
		g := r.grid(true)
		fmt.Fprintf(w, "### %s hosts\n\n", sizeLabel(r.Hosts))
		for i, row := range g {
			fmt.Fprintf(w, "| %s |\n", strings.Join(escapeCells(row), " | "))
			if i == 0 {
				fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(row)))
			}
		}
		for _, s := range r.Sides {
			for _, n := range s.Notes {
				fmt.Fprintf(w, "\n- %s: %s", s.Pipeline, n)
			}
		}
		if _, err := fmt.Fprint(w, "\n\n"); err != nil {
			return err
		}
	}
	return nil
}

func escapeCells(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		out[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	return out
}

// Goal is one of the three targets, judged on the runs.
type Goal struct {
	Name   string
	Met    bool
	Judged bool   // false when no run could judge it (the size was not run)
	Detail string // the figures it was judged on
}

// Goals judges the three targets: CPU per million values ≤ 1/10 of stock
// (gmond + gmetad, every size), no gaps for ours at 10,000 hosts, and a
// full XML dump ≤ 1/3 of stock gmetad's at 10,000 hosts.
func Goals(runs []SizeRun) []Goal {
	cpu := Goal{Name: "CPU-s per million stored values: ours ≤ 0.10× stock gmond+gmetad", Met: true}
	var big *SizeRun
	for i := range runs {
		r := &runs[i]
		st := r.side("stock")
		if len(r.Sides) == 0 || st == nil {
			continue
		}
		q := r.Sides[0].CPUPerMillion() / st.CPUPerMillion()
		cpu.Judged = true
		cpu.Met = cpu.Met && q <= 0.1
		cpu.Detail += fmt.Sprintf("%s hosts: %.1f / %.1f = %.2f× stock; ", sizeLabel(r.Hosts),
			r.Sides[0].CPUPerMillion(), st.CPUPerMillion(), q)
		if r.Hosts == 10000 {
			big = r
		}
	}
	gaps := Goal{Name: "10,000 hosts × 50 metrics at 15 s: ours with no gaps"}
	dump := Goal{Name: "full XML dump at 10,000 hosts: ours ≤ 0.33× stock gmetad"}
	if big != nil {
		o := &big.Sides[0]
		gaps.Judged = true
		gaps.Met = o.Gaps.Files > 0 && o.Gaps.Leading+o.Gaps.Interior == 0 && o.Gaps.Errors == 0 && o.Stored >= o.Expected
		gaps.Detail = fmt.Sprintf("ours: %d gap rows in %d hosts checked, %.0f of %.0f values stored",
			o.Gaps.Leading+o.Gaps.Interior, o.Gaps.Files, o.Stored, o.Expected)
		for _, s := range big.Sides[1:] {
			gaps.Detail += fmt.Sprintf("; %s: %d gap rows in %d hosts (%d with gaps), oldest update %s at window end",
				s.Pipeline, s.Gaps.Leading+s.Gaps.Interior, s.Gaps.Files, s.Gaps.FilesWithGaps, shortDur(s.Lag.Staleness))
		}
		if st := big.side("stock"); st != nil && st.DumpMedian() > 0 {
			q := o.DumpMedian().Seconds() / st.DumpMedian().Seconds()
			dump.Judged, dump.Met = true, q <= 1.0/3
			dump.Detail = fmt.Sprintf("%s / %s = %.2f× stock", shortDur(o.DumpMedian()), shortDur(st.DumpMedian()), q)
		}
	}
	cpu.Detail = strings.TrimSuffix(cpu.Detail, "; ")
	return []Goal{cpu, gaps, dump}
}

func (r *SizeRun) side(pipeline string) *Side {
	for i := range r.Sides {
		if r.Sides[i].Pipeline == pipeline {
			return &r.Sides[i]
		}
	}
	return nil
}

// Verdict prints a goal as one line.
func (g Goal) Verdict() string {
	v := "MISSED"
	switch {
	case !g.Judged:
		v = "NOT JUDGED (size not run)"
	case g.Met:
		v = "MET"
	}
	if g.Detail == "" {
		return fmt.Sprintf("%s: %s", g.Name, v)
	}
	return fmt.Sprintf("%s: %s (%s)", g.Name, v, g.Detail)
}

// finite is v, or 0 when v is not a number (for charts).
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
