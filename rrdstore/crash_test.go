//go:build linux

package rrdstore

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The child processes of these tests are this test binary run again with
// RRDSTORE_CHILD set (the helper-process pattern of os/exec's tests): it
// runs a Store over the files in RRDSTORE_DIR and reports on stdout.

const (
	childEnv = "RRDSTORE_CHILD"
	dirEnv   = "RRDSTORE_DIR"
	// crashFlushInterval is the children's FlushInterval: what kill -9 may
	// lose, plus a tick and a flush.
	crashFlushInterval = 100 * time.Millisecond
	crashFiles         = 50
)

// TestStoreHelperProcess is the child; it does nothing in a normal run.
func TestStoreHelperProcess(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "":
		return
	case "sigterm":
		os.Exit(sigtermChild(os.Getenv(dirEnv)))
	case "crash":
		os.Exit(crashChild(os.Getenv(dirEnv)))
	}
	os.Exit(3)
}

// startChild starts the child in mode over dir, with its stdout piped.
func startChild(t *testing.T, mode, dir string) (*exec.Cmd, *bufio.Scanner, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestStoreHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, dirEnv+"="+dir)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out), stderr
}

// childPaths are the files storeFiles made in dir.
func childPaths(dir string, n int) []string {
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprintf("%s/m%03d.rrd", dir, i)
	}
	return paths
}

// sigtermChild queues rounds of updates (nothing is flushed before Close:
// the interval is an hour) until SIGTERM, then closes the Store and prints
// the last round queued.
func sigtermChild(dir string) int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	s, err := OpenStore(StoreOptions{FlushInterval: time.Hour, MaxPending: 1 << 30})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	paths := childPaths(dir, 20)
	stop, last := make(chan struct{}), make(chan int)
	go func() {
		for k := 1; ; k++ {
			for i, p := range paths {
				s.Update(p, hostArg(i, k))
			}
			if k == 1 {
				fmt.Println("ready")
			}
			select {
			case <-stop:
				last <- k
				return
			case <-time.After(100 * time.Microsecond): // a steady trickle, not a memory test
			}
		}
	}()
	<-term
	close(stop)
	k := <-last
	if err := s.Close(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	st := s.Stats()
	fmt.Printf("last %d applied %d pending %d\n", k, st.Applied, st.Pending)
	return 0
}

// TestStoreSIGTERM: a process killed with SIGTERM while it queues updates
// closes its Store in the signal handler and exits 0, and then every
// update it queued is in the files.
func TestStoreSIGTERM(t *testing.T) {
	dir := t.TempDir()
	paths := storeFiles(t, dir, 20)
	cmd, out, stderr := startChild(t, "sigterm", dir)
	if !out.Scan() || out.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not start: %q %s", out.Text(), stderr)
	}
	time.Sleep(time.Duration(100+rand.IntN(200)) * time.Millisecond) // let it queue for a while
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var k, applied, pending int
	if out.Scan() {
		fmt.Sscanf(out.Text(), "last %d applied %d pending %d", &k, &applied, &pending)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child: %v\n%s", err, stderr)
	}
	if k < 2 || applied != k*len(paths) || pending != 0 {
		t.Fatalf("child reported last round %d, %d applied, %d pending; want %d applied", k, applied, pending, k*len(paths))
	}
	for i, p := range paths {
		last, _, ds, err := LastUpdate(p)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Split(hostArg(i, k), ":")
		if strconv.FormatInt(last, 10) != want[0] || strings.Join(ds, ":") != strings.Join(want[1:], ":") {
			t.Errorf("%s: last update %d %q, want %q", p, last, ds, want)
		}
	}
	t.Logf("SIGTERM after %d rounds: %d updates, all written", k, applied)
}

// crashChild updates the files without end, one round a millisecond,
// printing each round once it is queued, until it is killed.
func crashChild(dir string) int {
	paths := childPaths(dir, crashFiles)
	k0 := 0
	for _, p := range paths {
		last, _, _, err := LastUpdate(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		k0 = max(k0, int(last-T0)/15)
	}
	s, err := OpenStore(StoreOptions{FlushInterval: crashFlushInterval})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for k := k0 + 1; ; k++ {
		for i, p := range paths {
			s.Update(p, hostArg(i, k))
		}
		fmt.Println(k, time.Now().UnixNano()) // unbuffered: the parent sees it now
		time.Sleep(time.Millisecond)
	}
}

// progress is what a crash child said: round k was queued by at, on the
// child's own clock (the parent may read late on a busy machine).
type progress struct {
	mu     sync.Mutex
	rounds []int
	at     []time.Time
}

func (p *progress) read(sc *bufio.Scanner) {
	for sc.Scan() {
		var k int
		var ns int64
		if _, err := fmt.Sscan(sc.Text(), &k, &ns); err != nil {
			continue
		}
		p.mu.Lock()
		p.rounds, p.at = append(p.rounds, k), append(p.at, time.Unix(0, ns))
		p.mu.Unlock()
	}
}

// bound is the last round queued FlushInterval+margin before the child's
// last word, and that word's time. The child was running then, so its
// flusher had had that long to write the round; counting from the kill
// instead would blame the Store for time a loaded machine did not give
// the child at all.
func (p *progress) bound(margin time.Duration) (k int, last time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	last = p.at[len(p.at)-1]
	limit := last.Add(-crashFlushInterval - margin)
	for i, at := range p.at {
		if !at.After(limit) {
			k = p.rounds[i]
		}
	}
	return k, last
}

// lostSince is the time round k was queued, or last if it never was.
func (p *progress) lostSince(k int, last time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, r := range p.rounds {
		if r == k {
			return p.at[i]
		}
	}
	return last
}

// TestStoreCrashSIGKILL: a child updating 50 gmetad-shaped files is
// killed with SIGKILL at random moments, ten times over the same files.
// After each kill `rrdtool info` and `rrdtool dump` read every file, and
// no file misses a round the child had queued more than FlushInterval
// plus a margin before its last word: the documented loss bound.
func TestStoreCrashSIGKILL(t *testing.T) {
	p := startRRDPipe(t)
	dir := t.TempDir()
	paths := storeFiles(t, dir, crashFiles)
	const margin = 250 * time.Millisecond
	for round := range 10 {
		prog := &progress{}
		cmd, out, stderr := startChild(t, "crash", dir)
		if !out.Scan() {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child did not start: %s", round, stderr)
		}
		var reader sync.WaitGroup
		reader.Go(func() { prog.read(out) })
		time.Sleep(time.Duration(350+rand.IntN(550)) * time.Millisecond) // a random moment
		cmd.Process.Kill()
		reader.Wait()
		cmd.Wait()
		if strings.Contains(stderr.String(), "DATA RACE") || len(prog.rounds) == 0 {
			t.Fatalf("round %d: child failed: %s", round, stderr)
		}
		bound, last := prog.bound(margin)
		oldest := int(^uint(0) >> 1)
		for _, path := range paths {
			checkReadable(t, p, path)
			lastUp, _, _, err := LastUpdate(path)
			if err != nil {
				t.Fatal(err)
			}
			got := int(lastUp-T0) / 15
			if got < bound {
				t.Errorf("round %d: %s has round %d, but round %d was queued %v before the child's last word",
					round, path, got, bound, crashFlushInterval+margin)
			}
			oldest = min(oldest, got)
		}
		t.Logf("kill %d: rounds to %d queued, to %d had to be on disk, to %d were: lost at most %v", round,
			prog.rounds[len(prog.rounds)-1], bound, oldest, last.Sub(prog.lostSince(oldest+1, last)).Round(time.Millisecond))
	}
}

// checkReadable runs rrdtool info and dump on path.
func checkReadable(t *testing.T, p *rrdPipe, path string) {
	t.Helper()
	for _, cmd := range []string{"info", "dump"} {
		if _, err := p.run(t, cmd, path); err != nil {
			t.Errorf("rrdtool %s %s: %v", cmd, path, err)
		}
	}
}
