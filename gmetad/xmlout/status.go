package xmlout

import (
	"io"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// httpJSONHeader is stock 3.7.2's header for /status (capture 15): no
// Access-Control-Allow-Origin here, CRLF throughout.
const httpJSONHeader = "HTTP/1.0 200 OK\r\n" +
	"Server: gmetad/" + ServerVersion + "\r\n" +
	"Content-Type: application/json\r\n" +
	"Connection: close\r\n" +
	"\r\n"

// Status is what the /status document reports, in stock 3.7.2's shape
// (interactive capture 15). Times print as unix milliseconds, the zero
// time as 0.
type Status struct {
	Host     string // the machine's hostname, as stock gmetad prints it
	GridName string
	Version  string    // "" prints ServerVersion
	Time     time.Time // "stattime"
	Started  time.Time // "boottime"; uptime and uptimeMillis are Time − Started

	Received  uint64 // metrics.received.all
	Sent      SentStats
	Summarize SummarizeStats
	Requests  RequestStats
	Polls     PollStats
	// Groups follow "polls" inside "metrics", in order: stock puts its
	// local host metrics there ("cpu", "disk", "load", "memory",
	// "network", "process", "system"); ours (e.g. "lpm" moves) go here too.
	Groups []StatusGroup
}

// Counter is a count and the milliseconds spent on it.
type Counter struct {
	Num, TotalMillis uint64
}

// TimedCounter is a Counter with the time of the last event.
type TimedCounter struct {
	Num, TotalMillis uint64
	LastTime         time.Time
}

// SentStats is metrics.sent: metrics handed to each writer.
type SentStats struct {
	All                                              Counter
	RRDTool, RRDCached, Graphite, Memcached, Riemann TimedCounter
}

// SummarizeStats is metrics.summarize: summary computations.
type SummarizeStats struct {
	Cluster, Root, TotalMillis uint64
	LastTime                   time.Time
}

// RequestStats is metrics.requests: XML answers served.
type RequestStats struct {
	All, Interactive, XML Counter
}

// PollStats is metrics.polls: data-source polls.
type PollStats struct {
	OK, Failed TimedCounter
	Misses     uint64
}

// StatusGroup is one named object of fields inside "metrics".
type StatusGroup struct {
	Name   string
	Fields []StatusField
}

// StatusField is one member of a StatusGroup; build it with IntField,
// FloatField or StringField.
type StatusField struct {
	Name string
	json []byte // the rendered JSON value
}

// IntField is an integer member.
func IntField(name string, v int64) StatusField {
	return StatusField{name, strconv.AppendInt(nil, v, 10)}
}

// FloatField is a number printed like C's "%f" (six decimals), as stock
// prints its local cpu/load/memory values.
func FloatField(name string, v float64) StatusField {
	return StatusField{name, appendCFixedJSON(nil, v)}
}

// StringField is a string member.
func StringField(name, v string) StatusField {
	return StatusField{name, appendJSONString(nil, v)}
}

// WriteStatus writes the answer to a /status request: HTTP header and the
// JSON document, wrapped as callback(...) when callback is not empty
// (Result.Callback, already checked to be an identifier).
func WriteStatus(w io.Writer, st *Status, callback string) error {
	b := append([]byte(nil), httpJSONHeader...)
	if callback != "" {
		b = append(append(b, callback...), '(')
	}
	b = appendStatus(b, st)
	if callback != "" {
		b = append(b, ')')
	}
	b = append(b, "\r\n"...)
	_, err := w.Write(b)
	return err
}

func appendStatus(b []byte, st *Status) []byte {
	version := st.Version
	if version == "" {
		version = ServerVersion
	}
	up := max(st.Time.Sub(st.Started).Milliseconds(), 0)
	b = append(b, `{"host":`...)
	b = appendJSONString(b, st.Host)
	b = append(b, `,"gridname":`...)
	b = appendJSONString(b, st.GridName)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, version)
	b = appendKeyInt(b, `,"stattime":`, millis(st.Time))
	b = appendKeyInt(b, `,"boottime":`, millis(st.Started))
	b = appendKeyInt(b, `,"uptime":`, up/1000)
	b = appendKeyInt(b, `,"uptimeMillis":`, up)
	b = appendKeyUint(b, `,"metrics":{"received":{"all":`, st.Received)
	b = appendCounter(b, `},"sent":{"all":`, st.Sent.All)
	b = appendTimed(b, `,"rrdtool":`, st.Sent.RRDTool)
	b = appendTimed(b, `,"rrdcached":`, st.Sent.RRDCached)
	b = appendTimed(b, `,"graphite":`, st.Sent.Graphite)
	b = appendTimed(b, `,"memcached":`, st.Sent.Memcached)
	b = appendTimed(b, `,"riemann":`, st.Sent.Riemann)
	b = appendKeyUint(b, `},"summarize":{"cluster":`, st.Summarize.Cluster)
	b = appendKeyUint(b, `,"root":`, st.Summarize.Root)
	b = appendKeyUint(b, `,"totalMillis":`, st.Summarize.TotalMillis)
	b = appendKeyInt(b, `,"lastTime":`, millis(st.Summarize.LastTime))
	b = appendCounter(b, `},"requests":{"all":`, st.Requests.All)
	b = appendCounter(b, `,"interactive":`, st.Requests.Interactive)
	b = appendCounter(b, `,"xml":`, st.Requests.XML)
	b = appendTimed(b, `},"polls":{"ok":`, st.Polls.OK)
	b = appendTimed(b, `,"failed":`, st.Polls.Failed)
	b = appendKeyUint(b, `,"misses":`, st.Polls.Misses)
	b = append(b, '}')
	for _, g := range st.Groups {
		b = append(b, ',')
		b = appendJSONString(b, g.Name)
		b = append(b, ":{"...)
		for i, f := range g.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.Name)
			b = append(b, ':')
			if f.json == nil {
				b = append(b, "null"...)
			}
			b = append(b, f.json...)
		}
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func appendKeyInt(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(append(b, key...), v, 10)
}

func appendKeyUint(b []byte, key string, v uint64) []byte {
	return strconv.AppendUint(append(b, key...), v, 10)
}

func appendCounter(b []byte, key string, c Counter) []byte {
	b = appendKeyUint(b, key+`{"num":`, c.Num)
	b = appendKeyUint(b, `,"totalMillis":`, c.TotalMillis)
	return append(b, '}')
}

func appendTimed(b []byte, key string, c TimedCounter) []byte {
	b = appendKeyUint(b, key+`{"num":`, c.Num)
	b = appendKeyUint(b, `,"totalMillis":`, c.TotalMillis)
	b = appendKeyInt(b, `,"lastTime":`, millis(c.LastTime))
	return append(b, '}')
}

// appendCFixedJSON prints "%f"; JSON has no NaN or infinities, so those
// become null.
func appendCFixedJSON(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	return appendCFixed(b, v, 6)
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s for JSON that is also safe inside a JSONP
// script: controls, '<', '>', '&', U+2028 and U+2029 become \u escapes.
// Bytes that are not UTF-8 are read as ISO-8859-1, the charset our XML
// declares, so a Latin-1 grid name shows the same in both.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
