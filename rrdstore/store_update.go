package rrdstore

import (
	"os"
	"strings"
)

// Update queues update arguments for the file at path, in rrdtool syntax
// ("TIME:v1:v2…", TIME in seconds, N, or negative for now minus seconds).
// It does no I/O. Arguments the file's known DS count already refuses are
// rejected here with librrd's message (the arguments before the first bad
// one stay queued, as librrd applies them); every other error, such as a
// time not after the last update, shows at flush time in Stats, the log
// and OnError. Queued arguments of one call are applied like one
// rrd_update call: a failing argument drops the rest of its call.
func (s *Store) Update(path string, args ...string) error {
	if len(args) == 0 {
		return newErr(path, ErrDSCount, "Not enough arguments")
	}
	sh := s.shardOf(path)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if s.closed.Load() {
		s.stats.rejected.Add(uint64(len(args)))
		return &Error{Path: path, Kind: ErrClosed}
	}
	e := sh.files[path]
	if e == nil {
		e = &entry{path: path, sh: sh}
		sh.files[path] = e
		s.known.Add(1)
	}
	ok, err := args, error(nil)
	if e.nds > 0 {
		ok, err = preCheck(path, e.nds, args)
	}
	if err != nil && strings.IndexByte(args[len(ok)], ':') >= 0 {
		// The count comes from the last flush; the file may have been
		// replaced by one of another shape since. Only a refusal pays for
		// reading the header again (one open and pread).
		if n := diskDSCount(path); n != e.nds {
			e.nds = n
			ok, err = args, nil
			if n > 0 {
				ok, err = preCheck(path, n, args)
			}
		}
	}
	if len(ok) > 0 {
		s.enqueue(e, ok)
	}
	if err != nil {
		s.stats.rejected.Add(uint64(len(args) - len(ok)))
	}
	return err
}

// enqueue appends args to e's queue (sh.mu held) and hands e to the timer
// or, when full, to the workers.
func (s *Store) enqueue(e *entry, args []string) {
	if len(e.pend) == 0 {
		e.since = s.now()
		if !e.timed && !e.busy {
			e.timed = true
			e.sh.due.push(dueItem{e: e, at: e.since})
		}
	}
	for i, a := range args {
		q := queued{arg: a, cont: i > 0}
		if a == "" || a[0] < '0' || a[0] > '9' {
			q.at = s.now() // N or a negative time: now is the time of the call
		}
		e.pend = append(e.pend, q)
	}
	s.stats.queued.Add(uint64(len(args)))
	s.stats.pending.Add(int64(len(args)))
	if len(e.pend) >= s.opts.MaxPending && !e.busy {
		e.busy = true
		s.work.push(e)
	}
}

// preCheck refuses, with apply's messages, arguments whose field count
// does not fit a file of nds data sources; it returns the arguments
// before the first bad one.
func preCheck(path string, nds int, args []string) ([]string, error) {
	for i, a := range args {
		if strings.IndexByte(a, '@') >= 0 || strings.IndexByte(a, 0) >= 0 {
			continue // apply gives these their own messages
		}
		colon := strings.IndexByte(a, ':')
		if colon < 0 {
			return args[:i], newErr(path, ErrDSCount, "expected timestamp not found in data source from %s", a)
		}
		n := strings.Count(a, ":")
		if n > nds {
			k := colon
			for range nds {
				k += 1 + strings.IndexByte(a[k+1:], ':')
			}
			return args[:i], newErr(path, ErrDSCount, "found extra data on update argument: %s", a[k+1:])
		}
		if n < nds {
			return args[:i], newErr(path, ErrDSCount, "expected %d data source readings (got %d) from %s",
				nds, n, a[:colon])
		}
	}
	return args, nil
}

// Create creates the file at path unless it exists (see Create). Any
// cached descriptor of an earlier file at path is replaced at its next
// flush, because flushes check that path still names the open file.
func (s *Store) Create(path string, spec Spec, opt CreateOptions) error {
	if s.closed.Load() {
		return &Error{Path: path, Kind: ErrClosed}
	}
	sh := s.shardOf(path)
	// Two callers creating one path would each rename a new file over it,
	// the second over updates already written to the first.
	sh.createMu.Lock()
	defer sh.createMu.Unlock()
	if fileExists(path) {
		return nil
	}
	if err := Create(path, spec, opt); err != nil {
		return err
	}
	sh.mu.Lock()
	if e := sh.files[path]; e != nil {
		e.nds = len(spec.DS)
	}
	sh.mu.Unlock()
	return nil
}

// diskDSCount reads the DS count from path's stat_head, 0 if it cannot.
// stat_head never changes in place, so no lock is needed.
func diskDSCount(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	b := make([]byte, statHeadSize)
	if _, err := f.ReadAt(b, 0); err != nil {
		return 0
	}
	sh, _, err := parseStatHead(path, b, fi.Size())
	if err != nil {
		return 0
	}
	return int(sh.ds)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
