package rrdstore

import (
	"sync"
)

// fileCache bounds the files a Store keeps open. Idle files sit in an LRU
// list; a worker flushing a file takes it out of the list, so a file is
// never closed under its user, and puts it back when done. open counts
// idle files, files in use and slots reserved for opening, and never
// exceeds max: a worker closes the least recently used idle file before it
// opens one. Files are closed under the mutex so the count stays exact.
type fileCache struct {
	mu         sync.Mutex
	max, open  int
	head, tail *entry // idle files, most recently used first
	stats      *storeCounters
}

func (c *fileCache) init(max int, stats *storeCounters) {
	c.max, c.stats = max, stats
}

// take hands over e's open file, or returns nil having reserved a slot for
// the caller to open one (then put or drop must follow).
func (c *fileCache) take(e *entry) *storeFile {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := e.file; r != nil {
		c.unlink(e)
		e.file = nil
		return r
	}
	for c.open >= c.max && c.tail != nil {
		c.evict(c.tail, true)
	}
	c.open++
	return nil
}

// put makes r e's idle file, the most recently used.
func (c *fileCache) put(e *entry, r *storeFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e.file = r
	e.prev, e.next = nil, c.head
	if c.head != nil {
		c.head.prev = e
	}
	c.head = e
	if c.tail == nil {
		c.tail = e
	}
	for c.open > c.max && c.tail != nil && c.tail != e {
		c.evict(c.tail, true)
	}
}

// drop closes a taken file that is not kept (after an error, or replaced
// on disk), or gives back a reserved slot when r is nil.
func (c *fileCache) drop(r *storeFile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r != nil {
		r.close()
	}
	c.open--
}

// closeAll closes every idle file (after the workers have stopped).
func (c *fileCache) closeAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.tail != nil {
		c.evict(c.tail, false)
	}
}

func (c *fileCache) openCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open
}

func (c *fileCache) evict(e *entry, count bool) {
	c.unlink(e)
	e.file.close()
	e.file = nil
	c.open--
	if count {
		c.stats.evicts.Add(1)
	}
}

func (c *fileCache) unlink(e *entry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		c.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		c.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

// queue is a FIFO that reuses its array.
type queue[T any] struct {
	items []T
	head  int
}

func (q *queue[T]) len() int { return len(q.items) - q.head }
func (q *queue[T]) peek() T  { return q.items[q.head] }

func (q *queue[T]) push(v T) {
	if q.head > 0 && q.head >= len(q.items)/2 {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, v)
}

func (q *queue[T]) pop() T {
	v := q.items[q.head]
	var zero T
	q.items[q.head] = zero
	q.head++
	return v
}

// workQueue hands entries to the flush workers.
type workQueue struct {
	mu     sync.Mutex
	cond   sync.Cond
	q      queue[*entry]
	closed bool
}

func (w *workQueue) init() { w.cond.L = &w.mu }

func (w *workQueue) push(e *entry) {
	w.mu.Lock()
	w.q.push(e)
	w.mu.Unlock()
	w.cond.Signal()
}

// pop waits for an entry; false once the queue is closed and empty.
func (w *workQueue) pop() (*entry, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.q.len() == 0 && !w.closed {
		w.cond.Wait()
	}
	if w.q.len() == 0 {
		return nil, false
	}
	return w.q.pop(), true
}

// close lets the workers finish what is queued and exit; with abort they
// exit after their current flush, and the entries not flushed are returned.
func (w *workQueue) close(abort bool) []*entry {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	var left []*entry
	for abort && w.q.len() > 0 {
		left = append(left, w.q.pop())
	}
	w.cond.Broadcast()
	return left
}
