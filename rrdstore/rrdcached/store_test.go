package rrdcached

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// persister is the interface a consumer such as gmetad's RRD writer
// declares; both stores satisfy it.
type persister interface {
	Create(path string, spec rrdstore.Spec, opt rrdstore.CreateOptions) error
	Update(path string, args ...string) error
	Flush(ctx context.Context, path string) error
	FlushAll(ctx context.Context) error
	Close(ctx context.Context) error
}

var (
	_ persister = (*rrdstore.Store)(nil)
	_ persister = (*Store)(nil)
)

// smallRRAs keep the test files small; the shape is gmetad's.
var smallRRAs = []rrdstore.RRA{{CF: "AVERAGE", XFF: 0.5, Steps: 1, Rows: 100}, {CF: "AVERAGE", XFF: 0.5, Steps: 4, Rows: 100}}

// storeFile is one file the test writes through the Store, with a copy
// that gets the same updates through rrdstore.Update.
type storeFile struct {
	path, direct string
	summary      bool
	calls        [][]string // Update calls, in order
}

// TestStoreDaemon drives a real rrdcached through Store over both
// transports, and compares what rrdtool fetch reads with copies updated by
// rrdstore.Update directly.
func TestStoreDaemon(t *testing.T) {
	d := startDaemon(t)
	rrdtool := binary(t, "rrdtool")
	var written []storeFile // checked once the daemon has written them at exit
	for _, tr := range []struct{ name, addr string }{{"unix", ""}, {"tcp", d.tcp}} {
		t.Run(tr.name, func(t *testing.T) {
			if tr.addr == "" {
				t.Setenv(EnvAddress, "unix:"+d.sock) // "" means the environment
			}
			written = append(written, storeSession(t, d, rrdtool, tr.name, tr.addr)...)
		})
	}
	if t.Failed() {
		return
	}
	d.stop() // SIGTERM: the daemon writes what it holds (-F)
	for _, f := range written {
		if got, want := fetch(t, rrdtool, f.path), fetch(t, rrdtool, f.direct); got != want {
			t.Errorf("%s after the daemon's exit:\n%s\nupdated directly:\n%s", f.path, got, want)
		}
	}
}

// storeSession runs one transport's checks and returns the files the
// daemon still holds values for.
func storeSession(t *testing.T, d *daemon, rrdtool, name, addr string) []storeFile {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var logs lockedBuffer
	st, err := OpenStore(ctx, addr, StoreOptions{BaseDir: d.db, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	must(t, err)
	defer st.Close(ctx)
	dir := filepath.Join(d.db, name+" Cluster") // gmetad uses cluster names verbatim
	host1 := storeFile{path: filepath.Join(dir, "host1", "load_one.rrd"), calls: [][]string{
		{ts(10, "0.5")}, {ts(25, "0.75"), ts(40, "U")}, {ts(55, "2")},
		{ts(40, "1.0")},               // not after the last update: refused
		{ts(70, "4")}, {ts(70, "5")}}} // refused too
	host2 := storeFile{path: filepath.Join(dir, "host2", "load_one.rrd"), calls: [][]string{
		{ts(10, "10")}, {ts(25, "20")}, {ts(40, "30")}, {ts(55, "40")}, {ts(70, "50")}}}
	sum := storeFile{path: filepath.Join(dir, "__SummaryInfo__", "load_one.rrd"), summary: true, calls: [][]string{
		{ts(10, "3.5:4")}, {ts(25, "5:6")}, {ts(40, "7:8")}, {ts(55, "U:8")}, {ts(70, "9:8")}}}
	files := []*storeFile{&host1, &host2, &sum}
	for _, f := range files {
		createBoth(t, st, f)
	}
	for round := range 6 {
		for _, f := range files {
			if round < len(f.calls) {
				must(t, st.Update(f.path, f.calls[round]...))
				rrdstore.Update(f.direct, f.calls[round]...) // the refused calls fail here too
			}
		}
	}

	must(t, st.Flush(ctx, host1.path))
	if got, want := fetch(t, rrdtool, host1.path), fetch(t, rrdtool, host1.direct); got != want {
		t.Errorf("%s after Flush:\n%s\nupdated directly:\n%s", host1.path, got, want)
	}
	wantLast(t, host2.path, T-1) // only host1 was flushed
	s := st.Stats()
	if s.Refused != 2 || s.Sent != s.Queued || s.Queued != 16 || s.Pending != 0 || s.Dropped != 0 {
		t.Errorf("stats after Flush = %+v, want 16 queued and sent, 2 refused", s)
	}
	if n := strings.Count(logs.String(), "update refused"); n != 1 {
		t.Errorf("%d log lines for refusals, want 1 (one per file and minute):\n%s", n, logs.String())
	}

	recreate(t, ctx, st, d, rrdtool, dir, host1.path)

	must(t, st.Close(ctx))
	if s := st.Stats(); s.Sent != s.Queued || s.Pending != 0 || s.Dropped != 0 || s.Refused != 2 {
		t.Errorf("stats after Close = %+v", s)
	}
	// Close delivered everything but asked for no write: the daemon
	// holds the values until its own timers or its exit.
	wantLast(t, sum.path, T-1)
	return []storeFile{host1, host2, sum}
}

// createBoth creates f through the Store and copies it for direct updates.
func createBoth(t *testing.T, st *Store, f *storeFile) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(f.path), 0o755))
	spec := rrdstore.GmetadSpec(15, T-1, "both", f.summary, smallRRAs)
	must(t, st.Create(f.path, spec, rrdstore.CreateOptions{}))
	before, err := os.ReadFile(f.path)
	must(t, err)
	must(t, st.Create(f.path, spec, rrdstore.CreateOptions{})) // exists: left alone
	if after, err := os.ReadFile(f.path); err != nil || !bytes.Equal(before, after) {
		t.Errorf("second Create changed %s (%v)", f.path, err)
	}
	f.direct = f.path + ".direct"
	copyFile(t, f.path, f.direct)
}

// recreate checks the FORGET that Create queues: the daemon holds a value
// for a file that is then deleted and created again; without FORGET the
// old value would land in the new file and the new update at the same time
// would be refused.
func recreate(t *testing.T, ctx context.Context, st *Store, d *daemon, rrdtool, dir, flushed string) {
	t.Helper()
	f := &storeFile{path: filepath.Join(dir, "host3", "load_one.rrd")}
	createBoth(t, st, f)
	must(t, st.Update(f.path, ts(10, "1")))
	must(t, st.Flush(ctx, flushed)) // delivers every queued line, writes only flushed
	c, err := Dial(ctx, "unix:"+d.sock, Options{BaseDir: d.db})
	must(t, err)
	defer c.Close()
	if got, err := c.Pending(ctx, f.path); err != nil || len(got) != 1 || got[0] != ts(10, "1") {
		t.Fatalf("PENDING %s = %q, %v; want the value held by the daemon", f.path, got, err)
	}
	must(t, os.Remove(f.path))
	refused := st.Stats().Refused
	must(t, st.Create(f.path, rrdstore.GmetadSpec(15, T-1, "both", false, smallRRAs), rrdstore.CreateOptions{}))
	must(t, st.Update(f.path, ts(10, "5")))
	must(t, st.Flush(ctx, f.path))
	if s := st.Stats(); s.Refused != refused {
		t.Errorf("update of the re-created file refused: %+v", s)
	}
	out := fetch(t, rrdtool, f.path)
	if !strings.Contains(out, strconv.Itoa(T+10)+": 5.0000000000e+00") {
		t.Errorf("re-created %s:\n%s\nwant 5 at %d", f.path, out, T+10)
	}
}

// TestStoreRestart stops the daemon by its PID in the middle, queues
// updates while it is away, starts a new one on the same sockets and
// checks that the Store reconnects and every update arrives.
func TestStoreRestart(t *testing.T) {
	rrdtool := binary(t, "rrdtool")
	for _, network := range []string{"unix", "tcp"} {
		t.Run(network, func(t *testing.T) {
			d := startDaemon(t)
			addr := "unix:" + d.sock
			if network == "tcp" {
				addr = d.tcp
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			st, err := OpenStore(ctx, addr, StoreOptions{BaseDir: d.db})
			must(t, err)
			defer st.Close(ctx)
			f := &storeFile{path: filepath.Join(d.db, "Restart Cluster", "h", "load_one.rrd")}
			createBoth(t, st, f)
			update := func(args ...string) {
				t.Helper()
				must(t, st.Update(f.path, args...))
				must(t, rrdstore.Update(f.direct, args...))
			}
			update(ts(10, "1"))
			must(t, st.Flush(ctx, f.path))

			d.stop()
			update(ts(25, "2"), ts(40, "3"))
			short, cancelShort := context.WithTimeout(ctx, 300*time.Millisecond)
			err = st.Flush(short, f.path)
			cancelShort()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Flush with the daemon away = %v, want DeadlineExceeded", err)
			}
			waitFor(t, "a failed delivery", func() bool { return st.Stats().Failures > 0 })
			restartDaemon(t, d)
			update(ts(55, "4"))
			must(t, st.Flush(ctx, f.path))
			if got, want := fetch(t, rrdtool, f.path), fetch(t, rrdtool, f.direct); got != want {
				t.Errorf("after the restart:\n%s\nupdated directly:\n%s", got, want)
			}
			s := st.Stats()
			if s.Sent != 3 || s.Refused+s.Dropped+s.Duplicates != 0 || s.Reconnects == 0 || s.Pending != 0 {
				t.Errorf("stats = %+v, want 3 sent and a reconnect", s)
			}
		})
	}
}

// TestStoreQueueCap: with the daemon away, updates beyond MaxQueued drop
// the oldest blocks, and Close gives up on the rest when its context ends.
func TestStoreQueueCap(t *testing.T) {
	d := startDaemon(t)
	ctx := context.Background()
	var logs lockedBuffer
	st, err := OpenStore(ctx, "unix:"+d.sock, StoreOptions{BaseDir: d.db, BatchLines: 5, MaxQueued: 10,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	must(t, err)
	f := filepath.Join(d.db, "cap.rrd")
	must(t, st.Create(f, rrdstore.GmetadSpec(15, T-1, "both", false, smallRRAs), rrdstore.CreateOptions{}))
	d.stop()
	for i := range 30 {
		must(t, st.Update(f, ts(int64(15*(i+1)), "1")))
	}
	s := st.Stats()
	if s.Queued != 30 || s.Pending > 10 || s.Dropped+uint64(s.Pending) != 30 || s.Sent != 0 {
		t.Errorf("stats with the daemon away = %+v, want at most 10 pending, the rest dropped", s)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := st.Close(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Close with the daemon away = %v, want DeadlineExceeded", err)
	}
	if s := st.Stats(); s.Dropped != 30 || s.Pending != 0 {
		t.Errorf("stats after Close = %+v, want all 30 dropped", s)
	}
	if !strings.Contains(logs.String(), "updates dropped") || !strings.Contains(logs.String(), "cannot deliver") {
		t.Errorf("log lacks the drop and the delivery failure:\n%s", logs.String())
	}
	for name, err := range map[string]error{"Update": st.Update(f, ts(999, "1")), "Flush": st.Flush(ctx, f),
		"FlushAll": st.FlushAll(ctx), "Create": st.Create(f+"2", rrdstore.Spec{}, rrdstore.CreateOptions{}),
		"Close": st.Close(ctx)} {
		if !errors.Is(err, rrdstore.ErrClosed) {
			t.Errorf("%s after Close = %v, want rrdstore.ErrClosed", name, err)
		}
	}
}

// TestStoreLines checks what goes over the wire: the FORGET that Create
// queues ahead of the updates, escaping, one BATCH per interval, and FLUSH
// only after the block was answered.
func TestStoreLines(t *testing.T) {
	f := newFake(t, func(line string) (string, bool) { return "0 Successfully flushed\n", false })
	// No tick during the test: one block, sent by Flush.
	st, err := OpenStore(context.Background(), f.addr, StoreOptions{FlushInterval: time.Hour})
	must(t, err)
	p := filepath.Join(t.TempDir(), "My Cluster", "load_one.rrd")
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	spec := rrdstore.GmetadSpec(15, T-1, "both", false, smallRRAs)
	must(t, st.Create(p, spec, rrdstore.CreateOptions{}))
	must(t, st.Update(p, ts(10, "1"), ts(25, "2")))
	must(t, st.Create(p, spec, rrdstore.CreateOptions{})) // exists: no FORGET
	must(t, st.Update(p, ts(40, "U")))
	must(t, st.Flush(context.Background(), p))
	must(t, st.Close(context.Background()))
	esc := strings.ReplaceAll(p, " ", `\ `)
	want := []string{"BATCH", "FORGET " + esc, "UPDATE " + esc + " " + ts(10, "1") + " " + ts(25, "2"),
		"UPDATE " + esc + " " + ts(40, "U"), ".", "FLUSH " + esc}
	if got := f.received(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestStoreResend: a block whose summary never came is sent again on a
// new connection; the lines the daemon already took come back as illegal
// updates and count as duplicates, not refusals.
func TestStoreResend(t *testing.T) {
	f := newFake(t, script())
	var batches atomic.Int32
	f.summary = func([]string) string {
		if batches.Add(1) == 1 {
			return "" // hang up: the outcome is unknown
		}
		return "1 errors\n1 illegal attempt to update using time 1700000010.000000 when last update time is 1700000010.000000 (minimum one second step)\n"
	}
	st, err := OpenStore(context.Background(), f.addr, StoreOptions{FlushInterval: time.Hour})
	must(t, err)
	must(t, st.Update("/a.rrd", ts(10, "1")))
	must(t, st.Update("/a.rrd", ts(25, "2")))
	must(t, st.Close(context.Background()))
	s := st.Stats()
	if s.Sent != 2 || s.Duplicates != 1 || s.Refused != 0 || s.Failures != 1 || s.Reconnects != 1 || s.Dropped != 0 {
		t.Errorf("stats = %+v, want 2 sent, 1 duplicate, 1 failure, 1 reconnect", s)
	}
}

// TestStoreUpdateErrors: what cannot be sent is refused by Update itself
// and never queued.
func TestStoreUpdateErrors(t *testing.T) {
	f := newTCPFake(t, script())
	base := t.TempDir()
	st, err := OpenStore(context.Background(), f.addr, StoreOptions{BaseDir: base})
	must(t, err)
	p := filepath.Join(base, "a.rrd")
	for _, tt := range []struct {
		path string
		args []string
		want error
	}{
		{p, nil, ErrBadField},
		{p, []string{"1:1\n"}, ErrBadField},
		{p, []string{strings.Repeat("1", MaxLine)}, ErrLineTooLong},
		{"/etc/a.rrd", []string{"1:1"}, ErrOutsideBaseDir},
	} {
		if err := st.Update(tt.path, tt.args...); !errors.Is(err, tt.want) {
			t.Errorf("Update(%q, %q) = %v, want %v", tt.path, tt.args, err, tt.want)
		}
	}
	must(t, st.Update(p, ts(10, "1")))
	must(t, st.Close(context.Background()))
	if s := st.Stats(); s.Queued != 1 || s.Sent != 1 {
		t.Errorf("stats = %+v, want the one good update queued and sent", s)
	}
	if got := f.received(); len(got) != 3 || got[1] != "UPDATE a.rrd "+ts(10, "1") {
		t.Errorf("received %q, want one BATCH with the good update, relative to BaseDir", got)
	}
}

func TestOpenStoreNoAddress(t *testing.T) {
	t.Setenv(EnvAddress, "")
	if _, err := OpenStore(context.Background(), "", StoreOptions{}); !errors.Is(err, ErrNoAddress) {
		t.Errorf("OpenStore without an address = %v, want ErrNoAddress", err)
	}
}

func TestThrottle(t *testing.T) {
	now := time.Unix(T, 0)
	th := throttle{every: time.Minute, now: func() time.Time { return now }}
	step := func(key string, advance time.Duration, wantOK bool, wantSup int) {
		t.Helper()
		now = now.Add(advance)
		if sup, ok := th.allow(key); ok != wantOK || sup != wantSup {
			t.Errorf("allow(%q) at +%v = %d, %v; want %d, %v", key, now.Sub(time.Unix(T, 0)), sup, ok, wantSup, wantOK)
		}
	}
	step("a", 0, true, 0)
	step("a", time.Second, false, 0)
	step("b", 0, true, 0)
	step("a", 58*time.Second, false, 0)
	step("a", time.Second, true, 2)
	step("a", time.Minute, true, 0)
}

// BenchmarkStoreUpdate measures gmetad host updates (1,000 files, one
// value per file and poll round) through a Store and a real rrdcached on
// its unix socket.
//
// queue is what Update costs the caller: the sender is held (its
// connection's lock taken), so this is encoding into the queue, with the
// oldest blocks dropped at MaxQueued as during an outage. delivered times
// b.N updates and the Close that delivers them, with a queue that drops
// nothing: the end-to-end cost of an update, bounded by the daemon.
func BenchmarkStoreUpdate(b *testing.B) {
	d := startDaemon(b)
	ctx := context.Background()
	b.Run("queue", func(b *testing.B) {
		st, feed := benchStore(b, d, StoreOptions{})
		st.data.mu.Lock()
		b.ReportAllocs()
		for b.Loop() {
			feed.update(b, st)
		}
		st.data.mu.Unlock()
		st.Close(ctx) // drops what the cap left: the daemon would hold it
	})
	b.Run("delivered", func(b *testing.B) {
		st, feed := benchStore(b, d, StoreOptions{MaxQueued: max(b.N, DefaultMaxQueued)})
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			feed.update(b, st)
		}
		if err := st.Close(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if s := st.Stats(); s.Sent != s.Queued || s.Refused > 0 {
			b.Fatalf("stats = %+v, want everything delivered and accepted", s)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	})
}

// benchFeed produces the updates: one value per file and poll round.
type benchFeed struct {
	names []string
	arg   string
	i     int
}

func (f *benchFeed) update(b *testing.B, st *Store) {
	if f.i%len(f.names) == 0 { // a new round: one string for all files
		f.arg = strconv.Itoa(T+15*(f.i/len(f.names)+1)) + ":0.5"
	}
	if err := st.Update(f.names[f.i%len(f.names)], f.arg); err != nil {
		b.Fatal(err)
	}
	f.i++
}

var benchRuns atomic.Int32

// benchStore opens a Store on d and creates 1,000 host files for it, in a
// cluster directory of their own.
func benchStore(b *testing.B, d *daemon, opts StoreOptions) (*Store, *benchFeed) {
	const files = 1000
	opts.BaseDir = d.db
	st, err := OpenStore(context.Background(), "unix:"+d.sock, opts)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(d.db, "Bench Cluster "+strconv.Itoa(int(benchRuns.Add(1))))
	feed := &benchFeed{names: make([]string, files)}
	spec := rrdstore.GmetadSpec(15, T-1, "both", false, smallRRAs)
	for i := range feed.names {
		feed.names[i] = filepath.Join(dir, "host"+strconv.Itoa(i), "load_one.rrd")
		if err := os.MkdirAll(filepath.Dir(feed.names[i]), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := st.Create(feed.names[i], spec, rrdstore.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Flush(context.Background(), feed.names[0]); err != nil { // the FORGETs
		b.Fatal(err)
	}
	return st, feed
}

// restartDaemon stops d by its PID and starts a new rrdcached with the
// same arguments: the same sockets, base directory and journal.
func restartDaemon(t *testing.T, d *daemon) {
	t.Helper()
	d.stop()
	log, err := os.OpenFile(filepath.Join(d.dir, "rrdcached.log"), os.O_WRONLY|os.O_APPEND, 0)
	must(t, err)
	defer log.Close()
	cmd := exec.Command(d.cmd.Path, d.cmd.Args[1:]...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = procAttr()
	must(t, cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	d.cmd, d.done = cmd, done // the cleanup registered by startDaemon stops this one
	if err := d.waitReady(10 * time.Second); err != nil {
		out, _ := os.ReadFile(log.Name())
		t.Fatalf("restarted rrdcached: %v; its output:\n%s", err, out)
	}
}

// fetch is rrdtool fetch of the test's time range, in UTC.
func fetch(t *testing.T, rrdtool, file string) string {
	t.Helper()
	cmd := exec.Command(rrdtool, "fetch", file, "AVERAGE", "-s", strconv.Itoa(T), "-e", strconv.Itoa(T+75))
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rrdtool fetch %s: %v\n%s", file, err, out)
	}
	return string(out)
}

func wantLast(t *testing.T, file string, want int64) {
	t.Helper()
	if last, _, _, err := rrdstore.LastUpdate(file); err != nil || last != want {
		t.Errorf("last update of %s = %d, %v; want %d", file, last, err, want)
	}
}

// waitFor polls cond, which a background goroutine makes true, failing t
// after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
