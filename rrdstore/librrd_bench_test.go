//go:build linux && librrdbench

package rrdstore

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	vsFiles  = 1000
	vsRounds = 100
	vsT0     = T0 + 10 // on a step boundary: every update closes a 15 s step, as gmetad's do
)

// vsRun is one side's figures for the update loop.
type vsRun struct {
	name      string
	wall, cpu time.Duration
	pwrite    int64 // bytes written with pwrite; -1 for librrd, which writes through mmap
}

func (r vsRun) rate() float64   { return vsFiles * vsRounds / r.wall.Seconds() }
func (r vsRun) perCPU() float64 { return vsFiles * vsRounds / r.cpu.Seconds() }
func perUpdate(n int64) float64 { return float64(n) / (vsFiles * vsRounds) }
func (r vsRun) String() string  { return fmt.Sprintf("%-34s", r.name) }
func cpuTime(ru syscall.Rusage) time.Duration {
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestStoreVsLibrrd: 1,000 gmetad host files (630,760 bytes each), 100
// rounds of one update per file in time order, through librrd (a C
// program against Debian's librrd-dev) and through the Store, on copies
// of the same files. The Store's time includes opening it and Close,
// which writes everything. A second Store run flushes after every round
// (one update per file and flush: gmetad's steady state with a flush
// interval under its 15 s step). All three sets of files must come out
// byte-identical.
func TestStoreVsLibrrd(t *testing.T) {
	prog := buildLibrrdBench(t)
	root := t.TempDir()
	dirs := []string{filepath.Join(root, "librrd"), filepath.Join(root, "batched"), filepath.Join(root, "steady")}
	paths := vsFilesIn(t, dirs)
	syscall.Sync() // the writeback of 1.9 GB of new files is not to run during the timed loops
	debug.FreeOSMemory()

	runs := []vsRun{runLibrrd(t, prog, dirs[0])}
	runs = append(runs, runStore(t, "Store, Close at the end (batched)", paths[1], false))
	runs = append(runs, runStore(t, "Store, FlushAll after every round", paths[2], true))
	for i := range paths[0] {
		for _, other := range paths[1:] {
			if !filesEqual(t, paths[0][i], other[i]) {
				t.Fatalf("%s differs from librrd's %s", other[i], paths[0][i])
			}
		}
	}
	reportVs(t, runs)
	if ratio := runs[1].perCPU() / runs[0].perCPU(); ratio < 5 {
		t.Errorf("the Store does %.1f× librrd's updates per CPU second, want at least 5×", ratio)
	}
}

// buildLibrrdBench compiles testdata/bench/librrd_bench.c.
func buildLibrrdBench(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/include/rrd.h"); err != nil {
		t.Fatalf("librrd-dev is not installed (run `make deps`): %v", err)
	}
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Fatalf("gcc is needed to build the librrd side: %v", err)
	}
	prog := filepath.Join(t.TempDir(), "librrd_bench")
	out, err := exec.Command(gcc, "-O2", "-o", prog, "testdata/bench/librrd_bench.c", "-lrrd").CombinedOutput()
	if err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	return prog
}

// vsFilesIn creates the files in the first directory and copies them to
// the others (librrd picks cur_row at random: copies start alike).
func vsFilesIn(t *testing.T, dirs []string) [][]string {
	t.Helper()
	paths := make([][]string, len(dirs))
	for d, dir := range dirs {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range vsFiles {
			p := filepath.Join(dir, fmt.Sprintf("f%04d.rrd", i))
			paths[d] = append(paths[d], p)
			if d > 0 {
				copyFile(t, paths[0][i], p)
			} else if err := Create(p, GmetadSpec(15, T0-1, "both", false, GmetadRRAs()), CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return paths
}

// runLibrrd runs the C program, which measures its own update loop.
func runLibrrd(t *testing.T, prog, dir string) vsRun {
	t.Helper()
	cmd := exec.Command(prog, dir, strconv.Itoa(vsFiles), strconv.Itoa(vsRounds), strconv.Itoa(vsT0))
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"} // no RRDCACHED_ADDRESS
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("librrd_bench: %v %s", err, out)
	}
	var n int
	var wall, user, sys float64
	if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "updates=%d wall=%g user=%g sys=%g",
		&n, &wall, &user, &sys); err != nil || n != vsFiles*vsRounds {
		t.Fatalf("librrd_bench printed %q: %v", out, err)
	}
	return vsRun{name: "librrd rrd_update_r (1 thread)", wall: secs(wall), cpu: secs(user + sys), pwrite: -1}
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// runStore queues every update (formatting the arguments, as gmetad
// does) and closes the Store; perRound flushes after every round too.
func runStore(t *testing.T, name string, paths []string, perRound bool) vsRun {
	t.Helper()
	suffix := make([]string, len(paths))
	for i := range suffix {
		suffix[i] = ":" + strconv.Itoa(i) + ".5"
	}
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	start := time.Now()
	s, err := OpenStore(StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for r := range vsRounds {
		ts := strconv.FormatInt(vsT0+15*int64(r), 10)
		for i, p := range paths {
			if err := s.Update(p, ts+suffix[i]); err != nil {
				t.Fatal(err)
			}
		}
		if perRound {
			if err := s.FlushAll(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	st := s.Stats()
	if st.Applied != vsFiles*vsRounds {
		t.Fatalf("%s: %+v", name, st)
	}
	t.Logf("%s: %+v", name, st)
	return vsRun{name: name, wall: wall, cpu: cpuTime(ru1) - cpuTime(ru0), pwrite: int64(st.BytesWritten)}
}

func filesEqual(t *testing.T, a, b string) bool {
	t.Helper()
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(da, db)
}

func reportVs(t *testing.T, runs []vsRun) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%d files × %d rounds = %d updates in time order; files byte-identical on all sides\n",
		vsFiles, vsRounds, vsFiles*vsRounds)
	fmt.Fprintf(&b, "%s %10s %10s %11s %8s %11s %8s %13s\n", "", "wall", "cpu", "updates/s",
		"×librrd", "upd/cpu-s", "×/core", "bytes/update")
	lib := runs[0]
	for _, r := range runs {
		pw := "mmap"
		if r.pwrite >= 0 {
			pw = fmt.Sprintf("%.1f", perUpdate(r.pwrite))
		}
		fmt.Fprintf(&b, "%s %10v %10v %11.0f %8.2f %11.0f %8.2f %13s\n", r, r.wall.Round(time.Millisecond),
			r.cpu.Round(time.Millisecond), r.rate(), r.rate()/lib.rate(), r.perCPU(), r.perCPU()/lib.perCPU(), pw)
	}
	t.Log("\n" + b.String())
}
