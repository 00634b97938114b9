package rrdcached

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// command sends one command and returns its reply.
func (c *Client) command(ctx context.Context, name string, fields ...string) (reply, error) {
	line, err := appendCommand(nil, name, fields...)
	if err != nil {
		return reply{}, err
	}
	var r reply
	err = c.do(ctx, func(o *op) error {
		r, err = c.exchange(o, name, line)
		return err
	})
	return r, err
}

// fileCommand sends a command whose first field is a file name.
func (c *Client) fileCommand(ctx context.Context, name, file string, args ...string) (reply, error) {
	p, err := c.paths.remote(file)
	if err != nil {
		return reply{}, err
	}
	return c.command(ctx, name, append([]string{p}, args...)...)
}

// Update sends one UPDATE line with values such as "1700000010:1.5:2".
// The daemon checks only that the file exists and that each time is later
// than the last it accepted; the values are parsed when the file is
// written. As with librrd, when one value is refused the values before it
// on the same line stay enqueued.
func (c *Client) Update(ctx context.Context, file string, values ...string) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: UPDATE %s without values", ErrBadField, file)
	}
	_, err := c.fileCommand(ctx, "UPDATE", file, values...)
	return err
}

// Flush asks the daemon to write the values it holds for file and returns
// once they are on disk (rrdcached moves the file to the head of its write
// queue and answers after the write).
func (c *Client) Flush(ctx context.Context, file string) error {
	_, err := c.fileCommand(ctx, "FLUSH", file)
	return err
}

// FlushAll asks the daemon to write everything it holds. It returns at
// once ("0 Started flush."), before the writes are done.
func (c *Client) FlushAll(ctx context.Context) error {
	_, err := c.command(ctx, "FLUSHALL")
	return err
}

// Forget drops the values the daemon holds for file without writing them.
// A file the daemon holds nothing for gives an error matching
// ErrNoSuchFile (rrdcached answers ENOENT's text).
func (c *Client) Forget(ctx context.Context, file string) error {
	_, err := c.fileCommand(ctx, "FORGET", file)
	return err
}

// Pending returns the values queued for file and not yet written, as sent.
func (c *Client) Pending(ctx context.Context, file string) ([]string, error) {
	r, err := c.fileCommand(ctx, "PENDING", file)
	return r.lines, err
}

// Last returns the file's last update time as the file says it: values
// still queued in the daemon do not count, so Flush first.
func (c *Client) Last(ctx context.Context, file string) (int64, error) {
	r, err := c.fileCommand(ctx, "LAST", file)
	if err != nil {
		return 0, err
	}
	t, err := strconv.ParseInt(r.message, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: LAST answered %q", ErrProtocol, clip(r.message))
	}
	return t, nil
}

// Stats returns the daemon's counters (QueueLength, UpdatesReceived,
// FlushesReceived, UpdatesWritten, DataSetsWritten, TreeNodesNumber,
// TreeDepth, JournalBytes, JournalRotate in rrdcached 1.7.2).
func (c *Client) Stats(ctx context.Context) (map[string]uint64, error) {
	r, err := c.command(ctx, "STATS")
	if err != nil {
		return nil, err
	}
	stats := make(map[string]uint64, len(r.lines))
	for _, line := range r.lines {
		k, v, ok := strings.Cut(line, ": ")
		n, err := strconv.ParseUint(v, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("%w: STATS line %q", ErrProtocol, clip(line))
		}
		stats[k] = n
	}
	return stats, nil
}

// Ping checks that the daemon answers ("0 PONG").
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.command(ctx, "PING")
	return err
}

// Create makes an RRD through the daemon: CREATE <file> [-b start]
// [-s step] [-O] defs..., where defs are DS:... and RRA:... strings. A zero
// step or start is left out (the daemon then uses 300 s and now−10 s).
// Unlike rrdtool create, rrdcached 1.7.2 rounds start down to a multiple of
// step (measured: -s 15 -b 1699999999 gives last_update 1699999995).
//
// With noOverwrite the daemon refuses an existing file (ErrFileExists).
// Without it, an existing file is replaced, and Create first sends FORGET:
// rrdcached's CREATE keeps its cache entry for the file, so values queued
// for the old file, and the old last-update time, would otherwise land in
// (or be checked against) the new one. librrd's own create does the same
// when it talks to a daemon.
func (c *Client) Create(ctx context.Context, file string, step uint64, start int64, noOverwrite bool, defs []string) error {
	p, err := c.paths.remote(file)
	if err != nil {
		return err
	}
	forget, err := appendCommand(nil, "FORGET", p)
	if err != nil {
		return err
	}
	create, err := appendCommand(nil, "CREATE", createFields(p, step, start, noOverwrite, defs)...)
	if err != nil {
		return err
	}
	return c.do(ctx, func(o *op) error {
		if !noOverwrite {
			_, err := c.exchange(o, "FORGET", forget)
			if err != nil && !errors.Is(err, ErrNoSuchFile) {
				return err
			}
		}
		_, err := c.exchange(o, "CREATE", create)
		return err
	})
}

// createFields lists CREATE's fields; the daemon wants each option and its
// value as separate tokens, and -b as integer seconds.
func createFields(p string, step uint64, start int64, noOverwrite bool, defs []string) []string {
	f := append(make([]string, 0, len(defs)+6), p)
	if start != 0 {
		f = append(f, "-b", strconv.FormatInt(start, 10))
	}
	if step != 0 {
		f = append(f, "-s", strconv.FormatUint(step, 10))
	}
	if noOverwrite {
		f = append(f, "-O")
	}
	return append(f, defs...)
}
