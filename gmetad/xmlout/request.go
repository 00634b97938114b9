package xmlout

import (
	"errors"
	"strings"
)

// MaxRequestLen is the size of stock gmetad's request buffer (REQUESTLEN).
// Its readline refuses a line that fills the buffer without a terminator,
// so the longest accepted request is MaxRequestLen−1 bytes.
const MaxRequestLen = 2048

// forbidden are the characters server.c process_request rejects anywhere in
// a (non-status) request.
const forbidden = ">!@#$%`;|\"\\'<"

// ErrMalformed is the class of every refused request: stock gmetad logs
// "Got a malformed path request" and closes without writing a byte. The
// specific errors below wrap it.
var ErrMalformed = errors.New("malformed request")

// Reasons for refusing a request; errors.Is(err, ErrMalformed) holds for all.
var (
	ErrEmpty       = malformed("empty request")
	ErrTooLong     = malformed("request longer than 2047 bytes")
	ErrNUL         = malformed("NUL byte in request")
	ErrHTTPVersion = malformed(`"GET " request not ending in " HTTP/1.0" or " HTTP/1.1"`)
	ErrNoSlash     = malformed("path does not start with '/'")
	ErrForbidden   = malformed("forbidden character in path")
	ErrFilter      = malformed("'?' not followed by name=value")
	ErrCallback    = malformed("JSONP callback is not an identifier")
)

type malformedError string

func malformed(s string) error                { return malformedError(s) }
func (e malformedError) Error() string        { return string(e) }
func (e malformedError) Is(target error) bool { return target == ErrMalformed }

// Filter is the tree filter of an interactive request.
type Filter int

// Stock gmetad knows one filter.
const (
	NoFilter      Filter = iota
	SummaryFilter        // ?filter=summary: summaries instead of hosts
)

// Request is one parsed interactive request line (PROTOCOL.md §5.3).
type Request struct {
	HTTP   bool   // "GET <path> HTTP/1.x": HTTP header, '*' wildcard, misses print nothing
	Status bool   // a /status request: answer with WriteStatus
	Path   string // the path without the filter suffix, starting with '/'
	Filter Filter
	// UnknownFilter is the filter text when it was not "summary"; stock
	// logs "Got unknown filter" and answers unfiltered.
	UnknownFilter string
	Callback      string // JSONP callback of a /status request, "" if none
}

// ParseRequest parses one request line as server.c process_request does.
// The line ends at the first '\n' or '\r', as stock's readline cuts it.
func ParseRequest(line string) (Request, error) {
	var r Request
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	switch {
	case line == "":
		return r, ErrEmpty
	case len(line) >= MaxRequestLen:
		return r, ErrTooLong
	case strings.IndexByte(line, 0) >= 0:
		return r, ErrNUL // C would silently cut the line here
	}
	path := line
	if len(line) >= 12 && strings.HasPrefix(line, "GET ") {
		v := line[len(line)-9:]
		if v != " HTTP/1.0" && v != " HTTP/1.1" {
			return r, ErrHTTPVersion
		}
		// "GET HTTP/1.0" (12 bytes) leaves no path: refused below.
		path, r.HTTP = line[4:max(4, len(line)-9)], true
	}
	if path == "" || path[0] != '/' {
		return r, ErrNoSlash
	}
	// Stock checks /status before the forbidden characters.
	if len(path) >= 7 && strings.EqualFold(path[:7], "/status") {
		r.Status, r.Path = true, path
		cb, err := callback(path)
		r.Callback = cb
		return r, err
	}
	if strings.ContainsAny(path, forbidden) {
		return r, ErrForbidden
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		f := path[i+1:]
		path = path[:i]
		// processfilter: the value after the first '=' is compared, the
		// name before it is not looked at.
		j := strings.IndexByte(f, '=')
		if j < 0 {
			return r, ErrFilter
		}
		if f[j+1:] == "summary" {
			r.Filter = SummaryFilter
		} else {
			r.UnknownFilter = f
		}
	}
	r.Path = path
	return r, nil
}

// callback extracts "?callback=NAME" (up to the next '&') like stock's
// getCallback. Stock echoes it unchecked; we accept only JavaScript
// identifier characters and dots so the JSONP answer cannot carry markup.
func callback(path string) (string, error) {
	i := strings.Index(path, "?callback=")
	if i < 0 {
		return "", nil
	}
	cb := strings.TrimLeft(path[i+len("?callback="):], "&")
	if j := strings.IndexByte(cb, '&'); j >= 0 {
		cb = cb[:j]
	}
	for k := 0; k < len(cb); k++ {
		c := cb[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c == '.') {
			return "", ErrCallback
		}
	}
	return cb, nil
}
