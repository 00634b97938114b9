package fleetbench

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// dumpTimeout bounds one full XML dump.
const dumpTimeout = 5 * time.Minute

// dump is one read of the xml_port answer.
type dump struct {
	Took  time.Duration // connect to EOF
	Bytes int64
	Hosts int // <HOST elements
}

// readDump times a full xml_port answer, from connect to EOF, the way
// ganglia-web reads it, counting its bytes and HOST elements.
func readDump(addr string) (dump, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return dump{}, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(start.Add(dumpTimeout)); err != nil {
		return dump{}, err
	}
	c := &hostCounter{}
	n, err := io.Copy(c, conn)
	d := dump{Took: time.Since(start), Bytes: n, Hosts: c.n}
	if err != nil {
		return d, err
	}
	if !bytes.HasSuffix(bytes.TrimSpace(c.tail), []byte("</GANGLIA_XML>")) {
		return d, fmt.Errorf("xml_port answer of %d bytes does not end with </GANGLIA_XML>", n)
	}
	return d, nil
}

// hostCounter counts "<HOST " in a stream and keeps its last bytes.
type hostCounter struct {
	n    int
	tail []byte // the last tailBytes
	edge []byte // scratch
}

var hostTag = []byte("<HOST ")

// tailBytes of a dump are kept to check how it ends.
const tailBytes = 64

func (c *hostCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, hostTag)
	// A tag split across two reads lies in the last bytes of the previous
	// one and the first of this one; neither side alone can hold it.
	k := len(hostTag) - 1
	edge := append(append(c.edge[:0], c.tail[max(0, len(c.tail)-k):]...), p[:min(k, len(p))]...)
	c.n += bytes.Count(edge, hostTag)
	c.edge = edge
	c.tail = append(c.tail, p[max(0, len(p)-tailBytes):]...)
	c.tail = c.tail[max(0, len(c.tail)-tailBytes):]
	return len(p), nil
}

// lagWatch follows the last update time of a few RRD files: each time one
// changes, the delay between the update's own time (the RRD step gmetad
// wrote) and the moment it became readable is one lag sample, and so is
// the delay of every earlier step the same write made readable (a writer
// that batches, as ours beyond rrd_max_open files, writes several 15 s
// steps at once: the oldest of them waited longest).
type lagWatch struct {
	files []string
	last  []int64 // last update seen, µs since the epoch
	lags  []time.Duration
	errs  int
}

func newLagWatch(files []string) *lagWatch {
	return &lagWatch{files: files, last: make([]int64, len(files))}
}

// poll reads every file once, at now. The first poll only sets the base.
func (w *lagWatch) poll(now time.Time, first bool) {
	for i, f := range w.files {
		sec, usec, _, err := rrdstore.LastUpdate(f)
		if err != nil {
			w.errs++ // a file locked by gmetad's writer at this instant
			continue
		}
		t := sec*1e6 + usec
		if t != w.last[i] && !first && w.last[i] != 0 {
			// Steps written since the last change, to the nearest whole
			// step: stock gmetad's polls drift off the 15 s grid, so a
			// single update may come 16 s after the one before.
			steps := max(1, (t-w.last[i]+step.Microseconds()/2)/step.Microseconds())
			for k := range steps {
				w.lags = append(w.lags, now.Sub(time.UnixMicro(t-k*step.Microseconds())))
			}
		}
		w.last[i] = t
	}
}

// staleness is the age, at now, of the oldest last update among the
// files: how far behind the newest step the RRDs are.
func (w *lagWatch) staleness(now time.Time) time.Duration {
	var worst time.Duration
	for _, t := range w.last {
		worst = max(worst, now.Sub(time.UnixMicro(t)))
	}
	return worst
}

// quantile of a sample (q in [0,1]); 0 for none.
func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// gapCount is what countGaps finds in one file's rows of the window.
type gapCount struct {
	Rows     int // rows fetched
	Leading  int // unknown rows before the first known one
	Interior int // unknown rows between the first and the last known one
	Trailing int // unknown rows after the last known one (not yet written)
}

// countGaps classifies the unknown (NaN) rows of the first data source.
func countGaps(rows [][]float64) gapCount {
	g := gapCount{Rows: len(rows)}
	first, last := -1, -1
	for i, r := range rows {
		if len(r) > 0 && !math.IsNaN(r[0]) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		g.Leading = len(rows)
		return g
	}
	g.Leading, g.Trailing = first, len(rows)-1-last
	for _, r := range rows[first : last+1] {
		if len(r) == 0 || math.IsNaN(r[0]) {
			g.Interior++
		}
	}
	return g
}

// gapReport sums countGaps over the files checked.
type gapReport struct {
	gapCount
	Files, FilesWithGaps, Errors int
}

// checkGaps fetches the one-step archive of each file over [start, end].
func checkGaps(files []string, start, end int64) gapReport {
	var r gapReport
	for _, f := range files {
		res, err := rrdstore.Fetch(f, "AVERAGE", start, end, uint64(step.Seconds()))
		if err != nil {
			r.Errors++
			continue
		}
		g := countGaps(res.Rows)
		r.Files++
		r.Rows, r.Leading, r.Interior, r.Trailing = r.Rows+g.Rows, r.Leading+g.Leading,
			r.Interior+g.Interior, r.Trailing+g.Trailing
		if g.Leading+g.Interior > 0 {
			r.FilesWithGaps++
		}
	}
	return r
}

// sampleFiles picks n host metric files under lpars at random (seeded, so
// two runs of one size check the same files): hosts first, then one file
// of each. preferred, when a host has it, is taken instead of a random one.
func sampleFiles(lpars string, n int, seed uint64, preferred string) ([]string, error) {
	hosts, err := os.ReadDir(lpars)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x6d657461))
	var files []string
	for _, i := range rng.Perm(len(hosts))[:min(n, len(hosts))] {
		dir := filepath.Join(lpars, hosts[i].Name())
		names, err := filepath.Glob(filepath.Join(dir, "*.rrd"))
		if err != nil || len(names) == 0 {
			continue
		}
		pick := names[rng.IntN(len(names))]
		if preferred != "" && slices.Contains(names, filepath.Join(dir, preferred)) {
			pick = filepath.Join(dir, preferred)
		}
		files = append(files, pick)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no RRD files under %s", lpars)
	}
	return files, nil
}

// filesPerHost counts the .rrd files of one host directory: the numeric
// metrics (gmetad writes no file for a string metric).
func filesPerHost(file string) int {
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "*.rrd"))
	return len(names)
}

// shortDur prints a duration rounded for the table.
func shortDur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(10 * time.Microsecond).String()
	}
}
