package rrdcached

import (
	"context"
	"fmt"
	"net"
	"sync"
)

// DefaultBatchLines is the Writer's block size. A block of 1,000 UPDATE
// lines is about 60 KiB and is taken in by rrdcached in about a millisecond
// (RRD-FORMAT §1: ~830k lines/s), so the handshake round trip is amortised
// without holding values back for long.
const DefaultBatchLines = 1000

// Writer gathers updates into BATCH blocks for a persister: Update queues
// one UPDATE line and sends the block once it holds BatchLines lines; Send,
// Flush and Close send what is queued. Each of them returns the lines the
// daemon refused, as BatchErrors whose Command.File is the file the update
// was for.
//
// A line that cannot be encoded is refused by Update itself and never
// queued. When a block cannot be delivered (the daemon is down, the
// connection fails) the block is dropped and the error says how many
// updates were lost: after ErrOutcomeUnknown some of them may have been
// applied, and resending them would only earn "illegal attempt to update"
// errors for those.
//
// A Writer is safe for concurrent use; calls take turns. It does not own
// the Client: close the Client after the Writer.
type Writer struct {
	c   *Client
	max int

	mu     sync.Mutex
	body   []byte
	cmds   []Command
	closed bool
}

// NewWriter returns a Writer sending blocks of batchLines lines through c
// (DefaultBatchLines if batchLines <= 0).
func NewWriter(c *Client, batchLines int) *Writer {
	if batchLines <= 0 {
		batchLines = DefaultBatchLines
	}
	return &Writer{c: c, max: batchLines}
}

// Update queues "UPDATE file values..." and sends the block if it is full.
func (w *Writer) Update(ctx context.Context, file string, values ...string) ([]BatchError, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, fmt.Errorf("rrdcached: writer: %w", net.ErrClosed)
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("%w: UPDATE %s without values", ErrBadField, file)
	}
	cmd := UpdateCommand(file, values...)
	body, err := w.c.encode(w.body, cmd)
	if err != nil {
		return nil, err
	}
	w.body = body
	w.cmds = append(w.cmds, cmd)
	if len(w.cmds) < w.max {
		return nil, nil
	}
	return w.send(ctx)
}

// Len returns the number of updates queued and not yet sent.
func (w *Writer) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.cmds)
}

// Send sends the queued updates now.
func (w *Writer) Send(ctx context.Context) ([]BatchError, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.send(ctx)
}

// Flush sends the queued updates, then asks the daemon to write file and
// returns once it is on disk (FLUSH), e.g. before reading the file directly.
func (w *Writer) Flush(ctx context.Context, file string) ([]BatchError, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	errs, err := w.send(ctx)
	if err != nil {
		return errs, err
	}
	return errs, w.c.Flush(ctx, file)
}

// Close sends the queued updates; later calls fail with net.ErrClosed.
// The values then sit in the daemon, which writes them on its own schedule
// (or at its shutdown with -F).
func (w *Writer) Close(ctx context.Context) ([]BatchError, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, nil
	}
	w.closed = true
	return w.send(ctx)
}

// send sends the block and empties it whatever the outcome.
func (w *Writer) send(ctx context.Context) ([]BatchError, error) {
	if len(w.cmds) == 0 {
		return nil, nil
	}
	body, cmds := w.body, w.cmds
	errs, err := w.c.sendBatch(ctx, body, cmds)
	// The body buffer is reused; the commands are not, since errs
	// refer to them.
	w.body, w.cmds = body[:0], make([]Command, 0, w.max)
	if err != nil {
		return errs, fmt.Errorf("rrdcached: %d updates dropped: %w", len(cmds), err)
	}
	return errs, nil
}
