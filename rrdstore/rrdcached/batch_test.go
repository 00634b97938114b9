package rrdcached

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const illegal55 = "illegal attempt to update using time 1700000055.000000 when last update time is 1700000055.000000 (minimum one second step)"

// The BATCH of the transcript: lines go out without replies, the summary
// comes back after "." and maps to the commands by 1-based index.
func TestBatchSummary(t *testing.T) {
	f := newFake(t, script())
	f.summary = func(lines []string) string {
		return "2 errors\n2 " + illegal55 + "\n4 Unknown command: BOGUS\n"
	}
	c := f.dial(Options{BaseDir: "/db"})
	host := "gmond/host1/load_one.rrd"
	cmds := []Command{
		UpdateCommand(host, "1700000055:2"),
		UpdateCommand(host, "1700000055:3"),
		UpdateCommand(host, "1700000070:4"),
		{Name: "BOGUS"},
		{Name: "FLUSH", File: host},
	}
	errs, err := c.Batch(context.Background(), cmds)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BATCH",
		"UPDATE /db/" + host + " 1700000055:2",
		"UPDATE /db/" + host + " 1700000055:3",
		"UPDATE /db/" + host + " 1700000070:4",
		"BOGUS",
		"FLUSH /db/" + host,
		"."}
	if got := f.received(); !reflect.DeepEqual(got, want) {
		t.Errorf("sent %q\nwant %q", got, want)
	}
	if len(errs) != 2 {
		t.Fatalf("got %d batch errors, want 2: %v", len(errs), errs)
	}
	if e := errs[0]; e.Index != 2 || !reflect.DeepEqual(e.Command, cmds[1]) || !errors.Is(e, ErrIllegalUpdate) {
		t.Errorf("first error = %+v", e)
	}
	if e := errs[1]; e.Index != 4 || e.Command.Name != "BOGUS" || !errors.Is(e, ErrUnknownCommand) {
		t.Errorf("second error = %+v", e)
	}
	var se *ServerError
	if !errors.As(errs[0], &se) || se.Message != illegal55 || se.Command != "UPDATE" {
		t.Errorf("errors.As(*ServerError) = %+v", se)
	}
}

// Lines that would break the batch are refused before anything is sent.
func TestBatchRefusesBeforeSending(t *testing.T) {
	f := newTCPFake(t, script())
	c := f.dial(Options{BaseDir: "/db"})
	ok := UpdateCommand("a.rrd", "1700000010:1")
	tests := []struct {
		bad  Command
		want error
	}{
		{Command{Name: "."}, ErrBadField},
		{Command{Name: "quit"}, ErrBadField},
		{Command{Name: "BATCH"}, ErrBadField},
		{Command{}, ErrBadField},
		{UpdateCommand("a.rrd", ""), ErrBadField},
		{UpdateCommand("/elsewhere/a.rrd", "1:1"), ErrOutsideBaseDir},
		{UpdateCommand("../a.rrd", "1:1"), ErrOutsideBaseDir},
		{UpdateCommand("a.rrd", strings.Repeat("1", MaxLine)), ErrLineTooLong},
	}
	for _, tt := range tests {
		_, err := c.Batch(context.Background(), []Command{ok, tt.bad, ok})
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "batch line 2") {
			t.Errorf("Batch with %+v: err = %v, want %v at line 2", tt.bad, err, tt.want)
		}
	}
	if got := f.received(); len(got) != 0 {
		t.Errorf("sent %q, want nothing", got)
	}
}

func TestBatchBadSummary(t *testing.T) {
	for _, summary := range []string{"1 errors\n3 out of range\n", "1 errors\nx no index\n", "1 errors\n0 zero\n"} {
		f := newFake(t, script())
		f.summary = func([]string) string { return summary }
		c := f.dial(Options{})
		_, err := c.Batch(context.Background(), []Command{UpdateCommand("/a.rrd", "1:1")})
		if !errors.Is(err, ErrProtocol) {
			t.Errorf("summary %q: err = %v, want ErrProtocol", summary, err)
		}
	}
}

// The Writer cuts blocks of BatchLines updates and maps refusals back to
// the file each update was for.
func TestWriterBlocks(t *testing.T) {
	f := newFake(t, script())
	var mu sync.Mutex // the fake's goroutine appends
	var blocks [][]string
	f.summary = func(lines []string) string {
		mu.Lock()
		defer mu.Unlock()
		blocks = append(blocks, lines)
		// Refuse the second line of every block.
		if len(lines) < 2 {
			return "0 errors\n"
		}
		return "1 errors\n2 " + illegal55 + "\n"
	}
	c := f.dial(Options{BaseDir: "/db"})
	w := NewWriter(c, 3)
	ctx := context.Background()
	var refused []string
	for i := range 7 {
		errs, err := w.Update(ctx, fmt.Sprintf("h%d/m.rrd", i), fmt.Sprintf("%d:1", 1700000010+i))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			refused = append(refused, e.Command.File)
		}
	}
	if w.Len() != 1 {
		t.Errorf("Len = %d, want 1 queued", w.Len())
	}
	errs, err := w.Close(ctx)
	if err != nil || len(errs) != 0 {
		t.Fatalf("Close = %v, %v", errs, err)
	}
	if want := []string{"h1/m.rrd", "h4/m.rrd"}; !reflect.DeepEqual(refused, want) {
		t.Errorf("refused files = %q, want %q", refused, want)
	}
	mu.Lock()
	defer mu.Unlock()
	sizes := []int{}
	for _, b := range blocks {
		sizes = append(sizes, len(b))
	}
	if !reflect.DeepEqual(sizes, []int{3, 3, 1}) {
		t.Errorf("block sizes = %v, want [3 3 1]", sizes)
	}
	if blocks[2][0] != "UPDATE /db/h6/m.rrd 1700000016:1" {
		t.Errorf("last block = %q", blocks[2])
	}
	if _, err := w.Update(ctx, "x.rrd", "1:1"); err == nil {
		t.Error("Update after Close succeeded")
	}
}

// A block that cannot be delivered is dropped and the error counts it.
func TestWriterDropsUndeliveredBlock(t *testing.T) {
	f := newFake(t, script())
	f.summary = func([]string) string { return "" } // hang up instead of the summary
	c := f.dial(Options{})
	w := NewWriter(c, 10)
	ctx := context.Background()
	for i := range 3 {
		if _, err := w.Update(ctx, "/a.rrd", fmt.Sprintf("%d:1", 1700000010+i)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.Flush(ctx, "/a.rrd")
	if err == nil || !strings.Contains(err.Error(), "3 updates dropped") {
		t.Fatalf("Flush = %v, want 3 updates dropped", err)
	}
	if w.Len() != 0 {
		t.Errorf("Len = %d after a failed send, want 0", w.Len())
	}
}
