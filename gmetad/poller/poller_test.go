package poller

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNet serves documents over net.Pipe: addresses without a handler
// refuse the connection.
type fakeNet struct {
	mu    sync.Mutex
	dials []string
	serve map[string]func(net.Conn)
	clock *fakeClock // advanced by dialDelay on every dial, if set
	delay time.Duration
}

var errRefused = errors.New("connection refused")

func (f *fakeNet) Dial(_ context.Context, network, addr string) (net.Conn, error) {
	f.mu.Lock()
	f.dials = append(f.dials, addr)
	h := f.serve[addr]
	f.mu.Unlock()
	if f.clock != nil {
		f.clock.advance(f.delay)
	}
	if h == nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errRefused}
	}
	client, server := net.Pipe()
	go func() {
		h(server)
		server.Close()
	}()
	return client, nil
}

// takeDials returns and forgets the addresses dialled so far.
func (f *fakeNet) takeDials() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.dials
	f.dials = nil
	return d
}

// serveDoc writes doc and closes, as gmond does.
func serveDoc(doc string) func(net.Conn) {
	return func(c net.Conn) { io.WriteString(c, doc) }
}

// serveSilence accepts and never writes (until the client goes away).
func serveSilence(c net.Conn) { io.Copy(io.Discard, c) }

// fakeClock is Options.Now and Options.After: time moves only when the test
// (or a dial) moves it, and every wait is handed to the test.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan time.Duration
	fire  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1795300000, 0), waits: make(chan time.Duration), fire: make(chan time.Time)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.waits <- d
	return c.fire
}

var okDoc = gmondDoc(host("a", "", metric("load_one", "0.5", "float")))

func TestRunSchedule(t *testing.T) {
	clk := newFakeClock()
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:8649": serveDoc(okDoc)}, clock: clk, delay: 2 * time.Second}
	var reports []*Report
	var errs []error
	p := New(DataSource{Name: "ds", Step: 15 * time.Second, Addrs: []string{"g"}}, Options{
		Dial: fn.Dial, Now: clk.Now, After: clk.After,
		Rand:     func() float64 { return 0.75 }, // factor 1.025
		OnReport: func(r *Report) { reports = append(reports, r) },
		OnError:  func(err error) { errs = append(errs, err) },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	for round := range 3 {
		wait := <-clk.waits
		// 15 s × 1.025 − the 2 s the connect took.
		if want := 15375*time.Millisecond - 2*time.Second; wait != want {
			t.Errorf("round %d: sleeps %v, want %v", round, wait, want)
		}
		if got := p.LastGood(); !got.Equal(clk.Now()) {
			t.Errorf("LastGood %v, want %v", got, clk.Now())
		}
		clk.advance(wait)
		clk.fire <- clk.Now()
	}
	<-clk.waits // the fourth round is done too
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	if len(reports) != 4 || len(errs) != 0 || p.Dead() {
		t.Fatalf("%d reports, errors %v, dead %v", len(reports), errs, p.Dead())
	}
	if h := reports[0].Cluster.Hosts[0]; h.Name != "a" || h.Metrics[0].Value != 0.5 {
		t.Errorf("report host %+v", h)
	}
	if got := fn.takeDials(); !slices.Equal(got, []string{"g:8649", "g:8649", "g:8649", "g:8649"}) {
		t.Errorf("dials %v", got)
	}
}

func TestJitter(t *testing.T) {
	for r, want := range map[float64]time.Duration{0: 9500 * time.Millisecond, 0.5: 10 * time.Second, 1: 10500 * time.Millisecond} {
		p := New(DataSource{Step: 10 * time.Second}, Options{Rand: func() float64 { return r }})
		if got := p.sleepTime(0); got != want {
			t.Errorf("rand %v: sleep %v, want %v", r, got, want)
		}
	}
	if got := New(DataSource{}, Options{}).ds.Step; got != DefaultStep {
		t.Errorf("default step %v", got)
	}
}

func TestFailover(t *testing.T) {
	fn := &fakeNet{serve: map[string]func(net.Conn){
		"b:1": serveDoc(okDoc),
		"c:1": serveDoc(okDoc),
	}}
	p := New(DataSource{Name: "ds", Addrs: []string{"a:1", "b:1", "c:1"}}, Options{Dial: fn.Dial})
	ctx := context.Background()

	// a refuses: b answers and is remembered.
	if _, err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fn.takeDials(); !slices.Equal(got, []string{"a:1", "b:1"}) || p.Addr() != "b:1" {
		t.Errorf("dials %v, Addr %q; want a then b, remembering b", got, p.Addr())
	}
	if _, err := p.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if got := fn.takeDials(); !slices.Equal(got, []string{"b:1"}) {
		t.Errorf("dials %v, want b first", got)
	}

	// b now fails mid-read: the source is dead, the half document is not
	// delivered, and the next round starts with c.
	fn.serve["b:1"] = func(c net.Conn) {
		io.WriteString(c, okDoc[:100])
		serveSilence(c)
	}
	p.opts.Timeout = 30 * time.Millisecond
	rep, err := p.Poll(ctx)
	var pe *PollError
	if rep != nil || !errors.As(err, &pe) || !pe.Dead || pe.Addr != "b:1" || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Poll = %v, %v; want a dead PollError for b with a deadline error", rep, err)
	}
	if !p.Dead() || p.Addr() != "c:1" {
		t.Errorf("Dead %v Addr %q, want dead and c next", p.Dead(), p.Addr())
	}
	fn.takeDials()
	if _, err := p.Poll(ctx); err != nil || p.Dead() {
		t.Fatalf("Poll = %v, dead %v", err, p.Dead())
	}
	if got := fn.takeDials(); !slices.Equal(got, []string{"c:1"}) {
		t.Errorf("dials %v, want c", got)
	}
}

func TestUnreachable(t *testing.T) {
	fn := &fakeNet{}
	var logs strings.Builder
	p := New(DataSource{Name: "ds", Addrs: []string{"a", "b:2"}}, Options{Dial: fn.Dial, Logger: testLogger(&logs)})
	rep, err := p.Poll(context.Background())
	var pe *PollError
	if rep != nil || !errors.As(err, &pe) || !pe.Dead || !errors.Is(err, ErrUnreachable) || !errors.Is(err, errRefused) {
		t.Fatalf("Poll = %v, %v", rep, err)
	}
	if pe.Addr != "a:8649 b:2" || !p.Dead() || p.Addr() != "" || !p.LastGood().IsZero() {
		t.Errorf("PollError %+v, Dead %v Addr %q", pe, p.Dead(), p.Addr())
	}
	if !strings.Contains(logs.String(), "addr=a:8649") || !strings.Contains(logs.String(), "addr=b:2") {
		t.Errorf("log does not name each address:\n%s", logs.String())
	}
}

func TestPartialDocument(t *testing.T) {
	// A document cut short but closed cleanly: stock gmetad keeps what it
	// parsed and does not mark the source dead (§4.3 step 4).
	cut := strings.TrimSuffix(okDoc, "</HOST>\n</CLUSTER>\n</GANGLIA_XML>\n")
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:1": serveDoc(cut)}}
	clk := newFakeClock()
	var reports []*Report
	var errs []error
	p := New(DataSource{Name: "ds", Addrs: []string{"g:1"}}, Options{
		Dial: fn.Dial, Now: clk.Now, After: clk.After,
		OnReport: func(r *Report) { reports = append(reports, r) },
		OnError:  func(err error) { errs = append(errs, err) },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	<-clk.waits
	cancel()
	<-done
	var pe *PollError
	if len(reports) != 1 || len(errs) != 1 || !errors.As(errs[0], &pe) || pe.Dead || !errors.Is(errs[0], ErrTruncated) {
		t.Fatalf("reports %d, errors %v", len(reports), errs)
	}
	if r := reports[0]; r.Complete || len(r.Cluster.Hosts) != 1 || len(r.Cluster.Hosts[0].Metrics) != 1 {
		t.Errorf("partial report %+v", r.Cluster)
	}
	if p.Dead() || p.LastGood() != clk.Now() {
		t.Errorf("Dead %v LastGood %v", p.Dead(), p.LastGood())
	}
}

func TestSlowStream(t *testing.T) {
	// Q15: 5 chunks 30 ms apart take longer than the 100 ms timeout, but no
	// single read waits that long.
	slow := func(c net.Conn) {
		step := len(okDoc)/5 + 1
		for i := 0; i < len(okDoc); i += step {
			if i > 0 {
				time.Sleep(30 * time.Millisecond) // a slow peer, not synchronisation
			}
			io.WriteString(c, okDoc[i:min(i+step, len(okDoc))])
		}
	}
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:1": slow}}
	p := New(DataSource{Addrs: []string{"g:1"}}, Options{Dial: fn.Dial, Timeout: 100 * time.Millisecond})
	rep, err := p.Poll(context.Background())
	if err != nil || !rep.Complete || p.Dead() {
		t.Fatalf("Poll = %v, dead %v", err, p.Dead())
	}
}

func TestSilentSourceIsDead(t *testing.T) {
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:1": serveSilence}}
	p := New(DataSource{Addrs: []string{"g:1"}}, Options{Dial: fn.Dial, Timeout: 20 * time.Millisecond})
	rep, err := p.Poll(context.Background())
	if rep != nil || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.Is(err, ErrRead) || !p.Dead() {
		t.Fatalf("Poll = %v, %v, dead %v", rep, err, p.Dead())
	}
	// The only address: the next round starts from the list again.
	if p.Addr() != "" {
		t.Errorf("Addr %q", p.Addr())
	}
}

func TestCancelDuringRead(t *testing.T) {
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:1": serveSilence}}
	p := New(DataSource{Addrs: []string{"g:1"}}, Options{Dial: fn.Dial, Timeout: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	for len(fn.takeDials()) == 0 {
		// Run dials at once; wait for it without sleeping a fixed time.
		select {
		case err := <-done:
			t.Fatalf("Run ended early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	if p.Dead() {
		t.Errorf("a cancelled poll marked the source dead")
	}
}

func TestBrokenGzipIsDead(t *testing.T) {
	gz := gzipBytes(t, []byte(okDoc))
	fn := &fakeNet{serve: map[string]func(net.Conn){"g:1": serveDoc(string(gz[:40]) + strings.Repeat("\xff", 40))}}
	p := New(DataSource{Addrs: []string{"g:1"}}, Options{Dial: fn.Dial})
	rep, err := p.Poll(context.Background())
	var pe *PollError
	if rep != nil || !errors.As(err, &pe) || !pe.Dead || !errors.Is(err, ErrGzip) || !p.Dead() || p.Addr() != "g:1" {
		t.Fatalf("Poll = %v, %v, dead %v, addr %q", rep, err, p.Dead(), p.Addr())
	}
}

func TestCancelDuringDial(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		cancel()
		return nil, ctx.Err()
	}
	p := New(DataSource{Addrs: []string{"a:1", "b:1"}}, Options{Dial: dial})
	_, err := p.Poll(ctx)
	if !errors.Is(err, context.Canceled) || p.Dead() {
		t.Errorf("Poll = %v, dead %v; a cancelled dial is not a dead source", err, p.Dead())
	}
	if _, err := New(DataSource{}, Options{}).Poll(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Errorf("no addresses: %v", err)
	}
}

func TestDefaultPort(t *testing.T) {
	got := withPorts([]string{"gmond1", "10.0.0.1:8650", "::1", "[::1]", "[fe80::1]:9"})
	want := []string{"gmond1:8649", "10.0.0.1:8650", "[::1]:8649", "[::1]:8649", "[fe80::1]:9"}
	if !slices.Equal(got, want) {
		t.Errorf("withPorts = %v, want %v", got, want)
	}
}

func TestPollErrorText(t *testing.T) {
	err := &PollError{Source: "my ds", Addr: "g:1", Err: fmt.Errorf("%w: boom", ErrRead)}
	if got := err.Error(); got != `data source "my ds" (g:1): poller: reading the document: boom` {
		t.Errorf("Error() = %q", got)
	}
}
