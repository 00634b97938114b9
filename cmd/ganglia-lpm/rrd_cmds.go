package main

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// The rrd subcommands, each librrd's rrd_<name>() option parsing followed
// by the printing that rrd_tool.c does.

// minFirstTime is librrd's lower limit for a start time (after 1980).
const minFirstTime = 3600 * 24 * 365 * 10

// unsupportedOpt answers the rrdtool options this port parses but cannot do.
func unsupportedOpt(e *env, opts []rrdOpt, f rrdFlag) int {
	o := findShort(opts, f.short)
	return rrdFail(e, fmt.Sprintf("--%s is not supported by ganglia-lpm rrd", o.long))
}

var createOpts = []rrdOpt{{"start", 'b', true}, {"step", 's', true}, {"daemon", 'd', true},
	{"source", 'r', true}, {"template", 't', true}, {"no-overwrite", 'O', false}}

func rrdCreate(e *env, args []string) int {
	flags, pos, err := parseRRDArgs(args, createOpts)
	if err != nil {
		return rrdBadArgs(e, "create", err)
	}
	spec, opt := rrdstore.Spec{Start: e.now().Unix() - 10}, rrdstore.CreateOptions{}
	for _, f := range flags {
		switch f.short {
		case 'b':
			t, err := parseRRDTime(f.val, e.now())
			switch {
			case err != nil:
				return rrdFail(e, "start time: "+err.Error())
			case t.kind != timeAbsolute:
				return rrdFail(e, "specifying time relative to the 'start' or 'end' makes no sense here")
			}
			if spec.Start = t.abs(); spec.Start < minFirstTime {
				return rrdFail(e, "the first entry to the RRD should be after 1980")
			}
		case 's':
			var why string
			if spec.Step, why = rrdScaledDuration(f.val); why != "" {
				return rrdFail(e, "step size: "+why)
			}
		case 'O':
			opt.NoOverwrite = true
		default:
			return unsupportedOpt(e, createOpts, f)
		}
	}
	if len(pos) == 0 {
		return rrdBadArgs(e, "create", errors.New("need name of an rrd file to create"))
	}
	path := pos[0]
	if _, err := os.Stat(path); err == nil && opt.NoOverwrite {
		return rrdFail(e, fmt.Sprintf("creating '%s': File exists", path))
	}
	if spec.DS, spec.RRA, err = rrdstore.ParseDefs(pos[1:], spec.Step); err != nil {
		return rrdFail(e, rrdtoolText(err, false))
	}
	if err := rrdstore.Create(path, spec, opt); err != nil {
		return rrdFail(e, rrdtoolText(err, false))
	}
	return exitOK
}

var updateOpts = []rrdOpt{{"template", 't', true}, {"daemon", 'd', true}, {"skip-past-updates", 's', false}}

// rrdUpdate is rrdtool update. N and negative times use the real clock, as
// rrdstore.Update reads it.
func rrdUpdate(e *env, args []string) int {
	flags, pos, err := parseRRDArgs(args, updateOpts)
	if err != nil {
		return rrdBadArgs(e, "update", err)
	}
	skipPast := false
	for _, f := range flags {
		if f.short != 's' {
			return unsupportedOpt(e, updateOpts, f)
		}
		skipPast = true
	}
	if len(pos) < 2 {
		return rrdBadArgs(e, "update", errors.New("not enough arguments: want FILE and at least one update"))
	}
	if skipPast {
		err = updateSkippingPast(pos[0], pos[1:])
	} else {
		err = rrdstore.Update(pos[0], pos[1:]...)
	}
	if err != nil {
		return rrdFail(e, rrdtoolText(err, true))
	}
	return exitOK
}

// updateSkippingPast is update -s: librrd drops an update that is not
// after the last one and goes on. One call per update leaves the file as
// one call for all of them would.
func updateSkippingPast(path string, updates []string) error {
	for _, u := range updates {
		if err := rrdstore.Update(path, u); err != nil && !errors.Is(err, rrdstore.ErrPastUpdate) {
			return err
		}
	}
	return nil
}

var fetchOpts = []rrdOpt{{"resolution", 'r', true}, {"start", 's', true}, {"end", 'e', true},
	{"align-start", 'a', false}, {"daemon", 'd', true}}

func rrdFetch(e *env, args []string) int {
	flags, pos, err := parseRRDArgs(args, fetchOpts)
	if err != nil {
		return rrdBadArgs(e, "fetch", err)
	}
	if len(pos) != 2 {
		return rrdBadArgs(e, "fetch", fmt.Errorf("want FILE and CF, got %s", plural(len(pos), "argument")))
	}
	startTV, _ := parseRRDTime("end-24h", e.now())
	endTV, _ := parseRRDTime("now", e.now())
	resolution, align := uint64(1), false
	for _, f := range flags {
		var why string
		switch f.short {
		case 's':
			if startTV, err = parseRRDTime(f.val, e.now()); err != nil {
				return rrdFail(e, "start time: "+err.Error())
			}
		case 'e':
			if endTV, err = parseRRDTime(f.val, e.now()); err != nil {
				return rrdFail(e, "end time: "+err.Error())
			}
		case 'a':
			align = true
		case 'r':
			if resolution, why = rrdScaledDuration(f.val); why != "" {
				return rrdFail(e, "resolution: "+why)
			}
		default:
			return unsupportedOpt(e, fetchOpts, f)
		}
	}
	start, end, err := procStartEnd(startTV, endTV)
	switch {
	case err != nil:
		return rrdFail(e, err.Error())
	case start < minFirstTime:
		return rrdFail(e, "the first entry to fetch should be after 1980")
	}
	if align {
		delta := int64(uint64(start) % resolution)
		start, end = start-delta, end-delta
	}
	if end < start {
		return rrdFail(e, fmt.Sprintf("start (%d) should be less than end (%d)", start, end))
	}
	res, err := rrdstore.Fetch(pos[0], pos[1], start, end, resolution)
	if err != nil {
		return rrdFail(e, rrdtoolText(err, false))
	}
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	w.WriteString("           ")
	for _, name := range res.DSNames {
		fmt.Fprintf(w, "%20s", name)
	}
	w.WriteString("\n\n")
	b := make([]byte, 0, 256)
	for k, row := range res.Rows {
		b = fmt.Appendf(b[:0], "%10d:", res.Start+int64(k+1)*int64(res.Step))
		for _, v := range row {
			b = appendCDouble(append(b, ' '), v)
		}
		w.Write(append(b, '\n'))
	}
	return flushOut(e, w)
}

// appendCDouble is printf("%0.10e", v) of glibc: NaN and infinities as
// nan, -nan, inf, -inf (the sign of a NaN is its sign bit).
func appendCDouble(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v) && math.Signbit(v):
		return append(b, "-nan"...)
	case math.IsNaN(v):
		return append(b, "nan"...)
	case math.IsInf(v, 1):
		return append(b, "inf"...)
	case math.IsInf(v, -1):
		return append(b, "-inf"...)
	}
	return strconv.AppendFloat(b, v, 'e', 10, 64)
}

func flushOut(e *env, w *bufio.Writer) int {
	if err := w.Flush(); err != nil {
		fmt.Fprintf(e.stderr, "ganglia-lpm rrd: writing output: %v\n", err)
		return exitFailed
	}
	return exitOK
}

var infoOpts = []rrdOpt{{"daemon", 'd', true}, {"noflush", 'F', false}}

func rrdInfo(e *env, args []string) int {
	path, code, ok := oneFile(e, "info", args, infoOpts)
	if !ok {
		return code
	}
	inf, err := rrdstore.ReadInfo(path)
	if err != nil {
		return rrdFail(e, rrdtoolText(err, false))
	}
	w := bufio.NewWriter(e.stdout)
	inf.WriteTo(w)
	return flushOut(e, w)
}

var lastOpts = []rrdOpt{{"daemon", 'd', true}}

func rrdLast(e *env, args []string) int {
	path, code, ok := oneFile(e, "last", args, lastOpts)
	if !ok {
		return code
	}
	last, _, _, err := rrdstore.LastUpdate(path)
	if err != nil {
		fmt.Fprintln(e.stdout, -1) // rrd_tool.c prints rrd_last's -1 before the error
		return rrdFail(e, rrdtoolText(err, false))
	}
	fmt.Fprintf(e.stdout, "%d\n", last)
	return exitOK
}

func rrdLastUpdate(e *env, args []string) int {
	path, code, ok := oneFile(e, "lastupdate", args, lastOpts)
	if !ok {
		return code
	}
	inf, err := rrdstore.ReadInfo(path) // the DS names and last_ds of LastUpdate, and more
	if err != nil {
		return rrdFail(e, rrdtoolText(err, false))
	}
	w := bufio.NewWriter(e.stdout)
	for _, d := range inf.DS {
		fmt.Fprintf(w, " %s", d.Name)
	}
	fmt.Fprintf(w, "\n\n%10d:", inf.LastUpdate)
	for _, d := range inf.DS {
		fmt.Fprintf(w, " %s", d.LastDS)
	}
	w.WriteString("\n")
	return flushOut(e, w)
}

// oneFile parses the command line of info, last and lastupdate: options
// (none of which this port does except --noflush) and exactly one FILE.
func oneFile(e *env, sub string, args []string, opts []rrdOpt) (string, int, bool) {
	flags, pos, err := parseRRDArgs(args, opts)
	if err != nil {
		return "", rrdBadArgs(e, sub, err), false
	}
	for _, f := range flags {
		if f.short != 'F' { // --noflush: there is no daemon to flush
			return "", unsupportedOpt(e, opts, f), false
		}
	}
	if len(pos) != 1 {
		return "", rrdBadArgs(e, sub, fmt.Errorf("want one FILE, got %s", plural(len(pos), "argument"))), false
	}
	return pos[0], 0, true
}
