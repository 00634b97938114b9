//go:build gmondbench

package main

// Side-by-side footprint of our gmond and stock gmond 3.7.2 with the same
// collection groups (Debian's gmond.conf), both sending to one sink, run
// with `make bench-gmond`. Figures are printed, never asserted.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

var footprintFor = flag.Duration("footprint.for", 10*time.Minute, "how long both agents run")

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat.
const clockTicks = 100

type footprint struct {
	cpu   time.Duration // user + system
	rss   int64         // VmRSS, KiB
	hwm   int64         // VmHWM (peak RSS), KiB
	count int           // packets seen at the sink
}

func readFootprint(t *testing.T, pid int) footprint {
	t.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// Fields after the command name (which may hold spaces) start at ")".
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	fp := footprint{cpu: time.Duration(utime+stime) * time.Second / clockTicks}
	// schedstat's first field is a thread's time on a CPU in nanoseconds:
	// far finer than the 10 ms ticks of stat, which an idle agent barely
	// moves in ten minutes. Summed over the live threads (neither agent
	// ends threads while it runs).
	if tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid)); err == nil && len(tasks) > 0 {
		var ns int64
		for _, task := range tasks {
			if b, err := os.ReadFile(task); err == nil {
				n, _ := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64)
				ns += n
			}
		}
		fp.cpu = time.Duration(ns)
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		k, v, _ := strings.Cut(line, ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			fp.rss = n
		case "VmHWM":
			fp.hwm = n
		}
	}
	return fp
}

func TestFootprintVsStock(t *testing.T) {
	ours, stock := newSink(t), newSink(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(fmt.Sprintf(`
globals { daemonize = no  setuid = no  deaf = yes  send_metadata_interval = 0 }
udp_send_channel { host = 127.0.0.1  port = %d }
%s
`, ours.port, stockganglia.DebianCollectionGroups)))
	g := startGmond(t, dir, "-c", "gmond.conf")
	s := stockganglia.StartSender(t, stockganglia.SenderOptions{Channels: []string{fmt.Sprintf("127.0.0.1:%d", stock.port)}})
	// Start-up (parsing, the first full send of every metric and its
	// metadata) happens once; the hourly figure is the steady state.
	time.Sleep(30 * time.Second)
	start := [2]footprint{readFootprint(t, g.Pid()), readFootprint(t, s.Pid())}
	time.Sleep(*footprintFor)
	end := [2]footprint{readFootprint(t, g.Pid()), readFootprint(t, s.Pid())}
	counts := [2]int{len(ours.drain()), len(stock.drain())}
	perHour := func(i int) float64 {
		return (end[i].cpu - start[i].cpu).Seconds() * float64(time.Hour) / float64(*footprintFor)
	}
	fmt.Printf("gmond footprint over %v, Debian collection groups, same machine:\n", *footprintFor)
	fmt.Printf("%-12s %14s %10s %10s %8s\n", "agent", "CPU s/hour", "RSS KiB", "peak KiB", "packets")
	for i, name := range []string{"ganglia-lpm", "stock 3.7.2"} {
		fmt.Printf("%-12s %14.3f %10d %10d %8d\n", name, perHour(i), end[i].rss, end[i].hwm, counts[i])
	}
	fmt.Printf("ratio ours/stock: CPU %.2f, RSS %.2f\n", perHour(0)/perHour(1), float64(end[0].rss)/float64(end[1].rss))
}
