package rrdcached

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Command is one line of a BATCH.
type Command struct {
	// Name is the command, e.g. "UPDATE". rrdcached allows UPDATE,
	// FLUSH, CREATE, FORGET, SUSPEND and RESUME in a batch and
	// answers others with an error for that line.
	Name string
	// File is the file name, mapped like every file name the client
	// sends; empty for a command without one.
	File string
	// Args follow the file name.
	Args []string
}

// UpdateCommand returns the UPDATE command for file and values.
func UpdateCommand(file string, values ...string) Command {
	return Command{Name: "UPDATE", File: file, Args: values}
}

// BatchError is one command of a batch that the daemon refused.
type BatchError struct {
	// Index is the command's 1-based position, as rrdcached counts.
	Index int
	// Command is the command at Index, as given (File unmapped).
	Command Command
	// Err is the *ServerError with the daemon's message.
	Err error
}

func (e BatchError) Error() string {
	return fmt.Sprintf("batch line %d (%s %s): %v", e.Index, e.Command.Name, e.Command.File, e.Err)
}

// Unwrap returns Err, so errors.Is(batchErr, ErrIllegalUpdate) works.
func (e BatchError) Unwrap() error { return e.Err }

// encode appends cmd's line to dst, refusing what would break the batch:
// an empty line counts as a command, "." ends the batch early, and QUIT
// closes the connection before the summary.
func (c *Client) encode(dst []byte, cmd Command) ([]byte, error) {
	switch n := strings.ToUpper(cmd.Name); n {
	case ".", "QUIT", "BATCH":
		return dst, fmt.Errorf("%w: %q cannot be sent inside a BATCH", ErrBadField, cmd.Name)
	}
	fields := cmd.Args
	if cmd.File != "" {
		p, err := c.paths.remote(cmd.File)
		if err != nil {
			return dst, err
		}
		fields = append([]string{p}, cmd.Args...)
	}
	return appendCommand(dst, cmd.Name, fields...)
}

// Batch sends cmds in one BATCH block: "BATCH", the command lines without
// waiting for replies, then "."; rrdcached answers with "<E> errors" and
// one "<k> <message>" line per refused command. A command that fails does
// not stop the others. The returned slice lists the refusals; the error is
// for the batch as a whole (nothing is sent if any line cannot be encoded).
func (c *Client) Batch(ctx context.Context, cmds []Command) ([]BatchError, error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	var body []byte
	for i, cmd := range cmds {
		var err error
		if body, err = c.encode(body, cmd); err != nil {
			return nil, fmt.Errorf("rrdcached: batch line %d: %w", i+1, err)
		}
	}
	return c.sendBatch(ctx, body, cmds)
}

// sendBatch runs a BATCH whose encoded lines are body.
func (c *Client) sendBatch(ctx context.Context, body []byte, cmds []Command) ([]BatchError, error) {
	body = append(body, ".\n"...)
	var r reply
	err := c.do(ctx, func(o *op) error {
		// The handshake alone changes nothing in the daemon, so it
		// follows the normal reconnect rule; the body then goes to
		// the same connection or nowhere.
		if _, err := c.exchange(o, "BATCH", []byte("BATCH\n")); err != nil {
			return err
		}
		if err := c.write(o, "BATCH", body); err != nil {
			return err
		}
		var err error
		r, err = c.receive(o, "BATCH")
		if err == nil {
			err = r.err("BATCH")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return batchErrors(r, cmds)
}

// batchErrors maps the summary lines "<k> <message>" to the commands.
func batchErrors(r reply, cmds []Command) ([]BatchError, error) {
	var out []BatchError
	for _, line := range r.lines {
		k, msg, _ := strings.Cut(line, " ")
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || i > len(cmds) {
			return out, fmt.Errorf("%w: BATCH summary line %q for %d commands", ErrProtocol, clip(line), len(cmds))
		}
		cmd := cmds[i-1]
		out = append(out, BatchError{Index: i, Command: cmd, Err: &ServerError{Command: cmd.Name, Message: msg}})
	}
	return out, nil
}
