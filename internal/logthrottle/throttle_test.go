package logthrottle

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a slog.Handler that keeps every record as "LEVEL msg k=v ...".
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	r.mu.Lock()
	r.lines = append(r.lines, b.String())
	r.mu.Unlock()
	return nil
}

// clock is a manual clock for the Throttle.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// call is one step of a scenario: advance the clock, then log.
type call struct {
	advance time.Duration
	key     string
	msg     string
	args    []any
}

func TestLog(t *testing.T) {
	tests := []struct {
		name  string
		every time.Duration
		calls []call
		want  []string
	}{
		{
			name:  "first line of a key passes",
			every: time.Minute,
			calls: []call{{key: "a", msg: "bad packet", args: []any{"from", "10.0.0.1"}}},
			want:  []string{"WARN bad packet from=10.0.0.1"},
		},
		{
			name:  "repeats within the period are suppressed and counted",
			every: time.Minute,
			calls: []call{
				{key: "a", msg: "m1"},
				{advance: time.Second, key: "a", msg: "m2"},
				{advance: 58 * time.Second, key: "a", msg: "m3"},
				{advance: time.Second, key: "a", msg: "m4", args: []any{"n", 1}},
			},
			want: []string{"WARN m1", "WARN m4 n=1 suppressed=2"},
		},
		{
			name:  "no suppressed attribute when nothing was dropped",
			every: time.Minute,
			calls: []call{
				{key: "a", msg: "m1"},
				{advance: time.Minute, key: "a", msg: "m2"},
				{advance: 2 * time.Minute, key: "a", msg: "m3"},
			},
			want: []string{"WARN m1", "WARN m2", "WARN m3"},
		},
		{
			name:  "keys are independent",
			every: time.Minute,
			calls: []call{
				{key: "a", msg: "a1"},
				{key: "b", msg: "b1"},
				{key: "a", msg: "a2"},
				{advance: time.Minute, key: "b", msg: "b2"},
				{key: "a", msg: "a3"},
			},
			want: []string{"WARN a1", "WARN b1", "WARN b2", "WARN a3 suppressed=1"},
		},
		{
			name:  "period zero logs everything",
			every: 0,
			calls: []call{{key: "a", msg: "m1"}, {key: "a", msg: "m2"}},
			want:  []string{"WARN m1", "WARN m2"},
		},
		{
			name:  "count restarts after a line got through",
			every: time.Second,
			calls: []call{
				{key: "k", msg: "x"}, {key: "k", msg: "x"},
				{advance: time.Second, key: "k", msg: "y"},
				{key: "k", msg: "x"}, {key: "k", msg: "x"}, {key: "k", msg: "x"},
				{advance: time.Second, key: "k", msg: "z"},
			},
			want: []string{"WARN x", "WARN y suppressed=1", "WARN z suppressed=3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			clk := &clock{t: time.Unix(1_700_000_000, 0)}
			th := New(slog.New(rec), tt.every).WithClock(clk.now)
			for _, c := range tt.calls {
				clk.t = clk.t.Add(c.advance)
				th.Log(context.Background(), c.key, c.msg, c.args...)
			}
			if !slices.Equal(rec.lines, tt.want) {
				t.Errorf("lines:\n got %q\nwant %q", rec.lines, tt.want)
			}
		})
	}
}

func TestLogLevelAndFlush(t *testing.T) {
	rec := &recorder{}
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	th := New(slog.New(rec), time.Minute).WithClock(clk.now)
	ctx := context.Background()
	th.LogLevel(ctx, slog.LevelError, "b", "write failed")
	th.LogLevel(ctx, slog.LevelError, "b", "write failed")
	th.Log(ctx, "a", "decode failed")
	th.Log(ctx, "a", "decode failed")
	th.Log(ctx, "a", "decode failed again")
	th.Log(ctx, "c", "once")
	th.Flush(ctx)
	th.Flush(ctx) // nothing left to report
	want := []string{
		"ERROR write failed",
		"WARN decode failed",
		"WARN once",
		"WARN decode failed again suppressed=2",
		"ERROR write failed suppressed=1",
	}
	if !slices.Equal(rec.lines, want) {
		t.Errorf("lines:\n got %q\nwant %q", rec.lines, want)
	}
	// After a flush the period restarts: the next line is suppressed again.
	th.Log(ctx, "a", "decode failed")
	if len(rec.lines) != len(want) {
		t.Errorf("a line got through right after Flush: %q", rec.lines[len(want):])
	}
}

func TestArgsNotModified(t *testing.T) {
	th := New(slog.New(&recorder{}), time.Minute)
	ctx := context.Background()
	th.Log(ctx, "k", "m")
	th.Log(ctx, "k", "m")
	th.WithClock(func() time.Time { return time.Now().Add(time.Hour) })
	args := make([]any, 2, 8)
	args[0], args[1] = "x", 1
	th.Log(ctx, "k", "m", args...)
	if got := args[:cap(args)][2]; got != nil {
		t.Errorf("Log wrote %v into the caller's spare capacity", got)
	}
}

func TestSweepForgetsIdleKeys(t *testing.T) {
	clk := &clock{t: time.Unix(0, 0)}
	th := New(nil, time.Second).WithClock(clk.now)
	ctx := context.Background()
	for i := range sweepAt {
		th.Log(ctx, fmt.Sprint("idle", i), "m")
	}
	th.Log(ctx, "busy", "m")
	th.Log(ctx, "busy", "m") // owes a suppressed count: must survive the sweep
	clk.t = clk.t.Add(time.Second)
	th.Log(ctx, "new", "m")
	if n := len(th.keys); n != 2 {
		t.Errorf("%d keys after the sweep, want 2 (busy, new)", n)
	}
	if e := th.keys["busy"]; e == nil || e.suppressed != 1 {
		t.Errorf("busy = %+v, want its suppressed count kept", e)
	}
}

func TestConcurrent(t *testing.T) {
	rec := &recorder{}
	th := New(slog.New(rec), time.Hour)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				th.Log(context.Background(), "k", "m")
			}
		})
	}
	wg.Wait()
	th.Flush(context.Background())
	want := []string{"WARN m", "WARN m suppressed=7999"}
	if !slices.Equal(rec.lines, want) {
		t.Errorf("lines = %q, want %q", rec.lines, want)
	}
}
