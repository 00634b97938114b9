package rrdcached

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// Replies below are copied from testdata/rrd/rrdcached-transcript.txt.
const statsReply = "9 Statistics follow\nQueueLength: 0\nUpdatesReceived: 6\n" +
	"FlushesReceived: 0\nUpdatesWritten: 0\nDataSetsWritten: 0\nTreeNodesNumber: 2\n" +
	"TreeDepth: 2\nJournalBytes: 182\nJournalRotate: 0\n"

func TestCommandFraming(t *testing.T) {
	ctx := context.Background()
	const base = "/nonexistent/rrds"
	tests := []struct {
		name    string
		replies []string
		call    func(c *Client) (any, error)
		want    any
		sent    []string
	}{{
		name:    "update",
		replies: []string{"0 errors, enqueued 3 value(s).\n"},
		call: func(c *Client) (any, error) {
			return nil, c.Update(ctx, "gmond/host1/load_one.rrd", "1700000010:0.5", "1700000025:0.75", "1700000040:U")
		},
		sent: []string{"UPDATE " + base + "/gmond/host1/load_one.rrd 1700000010:0.5 1700000025:0.75 1700000040:U"},
	}, {
		name:    "escaped names",
		replies: []string{"0 errors, enqueued 1 value(s).\n"},
		call: func(c *Client) (any, error) {
			return nil, c.Update(ctx, base+`/Test Cluster/a\b/x.rrd`, "1700000010:3.5:4")
		},
		sent: []string{`UPDATE ` + base + `/Test\ Cluster/a\\b/x.rrd 1700000010:3.5:4`},
	}, {
		name:    "flush",
		replies: []string{"0 Successfully flushed " + base + "/a.rrd.\n"},
		call:    func(c *Client) (any, error) { return nil, c.Flush(ctx, "a.rrd") },
		sent:    []string{"FLUSH " + base + "/a.rrd"},
	}, {
		name:    "flushall",
		replies: []string{"0 Started flush.\n"},
		call:    func(c *Client) (any, error) { return nil, c.FlushAll(ctx) },
		sent:    []string{"FLUSHALL"},
	}, {
		name:    "pending",
		replies: []string{"3 updates pending\n1700000010:0.5\n1700000025:0.75\r\n1700000040:U\n"},
		call:    func(c *Client) (any, error) { return c.Pending(ctx, "a.rrd") },
		want:    []string{"1700000010:0.5", "1700000025:0.75", "1700000040:U"},
		sent:    []string{"PENDING " + base + "/a.rrd"},
	}, {
		name:    "last",
		replies: []string{"0 1700000070\n"},
		call:    func(c *Client) (any, error) { return c.Last(ctx, "a.rrd") },
		want:    int64(1700000070),
		sent:    []string{"LAST " + base + "/a.rrd"},
	}, {
		name:    "stats",
		replies: []string{statsReply},
		call:    func(c *Client) (any, error) { return c.Stats(ctx) },
		want: map[string]uint64{"QueueLength": 0, "UpdatesReceived": 6, "FlushesReceived": 0,
			"UpdatesWritten": 0, "DataSetsWritten": 0, "TreeNodesNumber": 2, "TreeDepth": 2,
			"JournalBytes": 182, "JournalRotate": 0},
		sent: []string{"STATS"},
	}, {
		name:    "ping",
		replies: []string{"0 PONG\n"},
		call:    func(c *Client) (any, error) { return nil, c.Ping(ctx) },
		sent:    []string{"PING"},
	}, {
		name:    "create forgets first",
		replies: []string{"-1 No such file or directory\n", "0 RRD created OK\n"},
		call: func(c *Client) (any, error) {
			return nil, c.Create(ctx, "a.rrd", 15, 1699999999, false,
				[]string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:100"})
		},
		sent: []string{"FORGET " + base + "/a.rrd",
			"CREATE " + base + "/a.rrd -b 1699999999 -s 15 DS:sum:GAUGE:120:U:U RRA:AVERAGE:0.5:1:100"},
	}, {
		name:    "create no overwrite",
		replies: []string{"0 RRD created OK\n"},
		call: func(c *Client) (any, error) {
			return nil, c.Create(ctx, "a.rrd", 0, 0, true, []string{"DS:sum:GAUGE:120:U:U", "RRA:AVERAGE:0.5:1:100"})
		},
		sent: []string{"CREATE " + base + "/a.rrd -O DS:sum:GAUGE:120:U:U RRA:AVERAGE:0.5:1:100"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, script(tt.replies...))
			c := f.dial(Options{BaseDir: base})
			got, err := tt.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if sent := f.received(); !reflect.DeepEqual(sent, tt.sent) {
				t.Errorf("sent %q, want %q", sent, tt.sent)
			}
		})
	}
}

func TestServerErrors(t *testing.T) {
	// Messages as rrdcached 1.7.2 sends them (transcript and probes).
	tests := []struct {
		reply string
		kind  error
	}{
		{"-1 No such file: /db/gmond/nosuch.rrd", ErrNoSuchFile},
		{"-1 No such file or directory", ErrNoSuchFile},
		{"-1 RRD Error: opening '/db/nosuch.rrd': No such file or directory", ErrNoSuchFile},
		{"-1 illegal attempt to update using time 1700000040.000000 when last update time is 1700000040.000000 (minimum one second step)", ErrIllegalUpdate},
		{"-1 Cannot find timestamp in 'N:5'!", ErrBadTimestamp},
		{"-1 /etc/passwd: Permission denied", ErrPermissionDenied},
		{"-1 RRD Error: creating '/db/x.rrd': File exists", ErrFileExists},
		{"-1 Unknown command: BOGUS", ErrUnknownCommand},
		{"-1 The first entry must be after 1980.", nil},
	}
	kinds := []error{ErrNoSuchFile, ErrIllegalUpdate, ErrBadTimestamp, ErrPermissionDenied, ErrFileExists, ErrUnknownCommand}
	for _, tt := range tests {
		f := newFake(t, script(tt.reply+"\n"))
		c := f.dial(Options{})
		err := c.Update(context.Background(), "/db/x.rrd", "1700000010:1")
		var se *ServerError
		if !errors.As(err, &se) || se.Command != "UPDATE" || se.Message != tt.reply[3:] {
			t.Errorf("%q: got %v, want *ServerError with the message", tt.reply, err)
			continue
		}
		for _, k := range kinds {
			if errors.Is(err, k) != (k == tt.kind) {
				t.Errorf("%q: errors.Is(err, %v) = %v", tt.reply, k, !(k == tt.kind))
			}
		}
		if errors.Is(err, ErrOutcomeUnknown) {
			t.Errorf("%q: a refusal is not an unknown outcome", tt.reply)
		}
	}
}

func TestLineLimit(t *testing.T) {
	f := newFake(t, script("0 errors, enqueued 1 value(s).\n"))
	c := f.dial(Options{})
	prefix := "UPDATE /x.rrd 1700000010:"
	fits := strings.Repeat("9", MaxLine-1-len(prefix)) // + '\n' = MaxLine
	if err := c.Update(context.Background(), "/x.rrd", "1700000010:"+fits); err != nil {
		t.Fatalf("line of exactly %d bytes: %v", MaxLine, err)
	}
	err := c.Update(context.Background(), "/x.rrd", "1700000010:"+fits+"9")
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("line of %d bytes: err = %v, want ErrLineTooLong", MaxLine+1, err)
	}
	if got := f.received(); len(got) != 1 || len(got[0]) != MaxLine-1 {
		t.Errorf("daemon received %d lines, want only the one that fits", len(got))
	}
}

func TestBadFields(t *testing.T) {
	f := newFake(t, script())
	c := f.dial(Options{})
	ctx := context.Background()
	for _, values := range [][]string{{}, {""}, {"1700000010:1\nFLUSHALL"}, {"1:1\r"}, {"1:\x001"}} {
		if err := c.Update(ctx, "/x.rrd", values...); !errors.Is(err, ErrBadField) {
			t.Errorf("Update(%q) = %v, want ErrBadField", values, err)
		}
	}
	if err := c.Update(ctx, "", "1:1"); !errors.Is(err, ErrBadField) {
		t.Errorf("empty file name: %v", err)
	}
	if got := f.received(); len(got) != 0 {
		t.Errorf("sent %q, want nothing", got)
	}
}

func TestMalformedReplies(t *testing.T) {
	tests := []struct {
		reply string
		want  error
	}{
		{"PONG\n", ErrProtocol},
		{"\n", ErrProtocol},
		{"x 1\n", ErrProtocol},
		{"0 abc\n", ErrProtocol},
		{"2 lines\nonly one\n", io.ErrUnexpectedEOF},
		{"0 1700000070", io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		// The fake hangs up after the reply, so nothing waits for lines
		// that never come.
		f := newFake(t, func(string) (string, bool) { return tt.reply, true })
		c := f.dial(Options{})
		_, err := c.Last(context.Background(), "/x.rrd")
		if !errors.Is(err, tt.want) {
			t.Errorf("reply %q: err = %v, want %v", tt.reply, err, tt.want)
		}
	}
}
