package xmlout

import (
	"io"
	"strings"
	"time"
)

// Result says what Answer did with a request line, for the server's log
// and counters.
type Result struct {
	Request
	// Malformed is true when the request was refused: nothing was written
	// and the server should close the connection, as stock does.
	Malformed bool
	Reason    error // why it was refused; errors.Is(Reason, ErrMalformed)
}

// WriteFull writes the whole tree: what stock gmetad sends on its xml_port
// (and on the interactive port for "/"). now is the request time, used for
// GRID LOCALTIME and every TN.
func WriteFull(w io.Writer, s *Snapshot, now time.Time) error {
	return writeTree(w, s, Request{Path: "/"}, now)
}

// Answer answers one interactive-port request line (PROTOCOL.md §5.3). A
// malformed line yields Result.Malformed and writes nothing. A /status
// line writes nothing either: the caller, who owns the counters, answers
// it with WriteStatus(w, status, res.Callback). Otherwise the XML answer
// is written; the error is the first write error.
func Answer(w io.Writer, s *Snapshot, request string, now time.Time) (Result, error) {
	req, err := ParseRequest(request)
	if err != nil {
		return Result{Request: req, Malformed: true, Reason: err}, nil
	}
	res := Result{Request: req}
	if req.Status {
		return res, nil
	}
	return res, writeTree(w, s, req, now)
}

func writeTree(w io.Writer, s *Snapshot, req Request, now time.Time) error {
	x := newWriter(w, now, &req)
	x.rootStart(s)
	x.pathRoot(s, req.Path)
	x.rootEnd()
	return x.finish()
}

// The path walk follows server.c process_path: each node on the path gets
// its start and end tag; at the end of the path (or, for a plain request,
// at the first name that matches nothing: Q13) the node's subtree is
// printed. In HTTP mode "*" walks every child and any other miss prints
// nothing below the node. Grids and metrics have no children, so anything
// after them in the path is ignored. rest is "" or starts with '/'.

// nextElement splits "/elem/more" into "elem" and "/more".
func nextElement(rest string) (elem, more string) {
	p := rest[1:]
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

func (x *writer) pathRoot(s *Snapshot, rest string) {
	if len(rest) <= 1 {
		x.rootBody(s)
		return
	}
	elem, more := nextElement(rest)
	for i := range s.Sources {
		if s.Sources[i].Name == elem {
			x.pathSource(&s.Sources[i], more)
			return
		}
	}
	switch {
	case !x.http:
		x.rootBody(s)
	case elem == "*":
		for i := range s.Sources {
			x.pathSource(&s.Sources[i], more)
		}
	}
}

func (x *writer) pathSource(src *Source, rest string) {
	x.sourceStart(src)
	defer x.sourceEnd(src)
	if src.Kind == Grid || len(rest) <= 1 {
		x.sourceBody(src)
		return
	}
	elem, more := nextElement(rest)
	for i := range src.Hosts {
		if src.Hosts[i].Name == elem {
			x.pathHost(&src.Hosts[i], more)
			return
		}
	}
	switch {
	case !x.http:
		x.sourceBody(src)
	case elem == "*":
		for i := range src.Hosts {
			x.pathHost(&src.Hosts[i], more)
		}
	}
}

func (x *writer) pathHost(h *Host, rest string) {
	x.hostStart(h)
	defer x.hostEnd()
	if len(rest) <= 1 {
		x.hostBody(h)
		return
	}
	elem, _ := nextElement(rest)
	for i := range h.Metrics {
		if h.Metrics[i].Name == elem {
			x.metric(&h.Metrics[i])
			return
		}
	}
	switch {
	case !x.http:
		x.hostBody(h)
	case elem == "*":
		for i := range h.Metrics {
			x.metric(&h.Metrics[i])
		}
	}
}

// rootBody: the root summary when filtered, then every source.
func (x *writer) rootBody(s *Snapshot) {
	if x.summary {
		x.summaryBlock(&s.Summary)
	}
	for i := range s.Sources {
		if x.err != nil {
			return
		}
		src := &s.Sources[i]
		x.sourceStart(src)
		x.sourceBody(src)
		x.sourceEnd(src)
	}
}

// sourceBody: grids are always summarised (applyfilter); a cluster gets
// its summary when filtered, else its hosts. The summary filter stops the
// walk above hosts.
func (x *writer) sourceBody(src *Source) {
	if src.Kind == Grid || x.summary {
		x.summaryBlock(&src.Summary)
		return
	}
	for i := range src.Hosts {
		if x.err != nil {
			return
		}
		h := &src.Hosts[i]
		x.hostStart(h)
		x.hostBody(h)
		x.hostEnd()
	}
}

// hostBody: every metric, unless filtered (a host has no summary, so
// "/c/h?filter=summary" is an empty HOST element, capture 07).
func (x *writer) hostBody(h *Host) {
	if x.summary {
		return
	}
	for i := range h.Metrics {
		x.metric(&h.Metrics[i])
	}
}
