package xmlout

import (
	"io"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/xmlattr"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// Version is the GANGLIA_XML VERSION we claim: ganglia-web shows it and
// some tools compare it, so it is stock's.
const Version = "3.7.2"

// ServerVersion is GANGLIA_VERSION_FULL as Debian's stock gmetad prints it
// in the HTTP Server header and the /status document.
const ServerVersion = "3.7.2-1"

// httpXMLHeader is stock 3.7.2's header block, byte for byte (interactive
// capture 09): note the bare "\n" after Access-Control-Allow-Origin, which
// every HTTP client we know accepts.
const httpXMLHeader = "HTTP/1.0 200 OK\r\n" +
	"Server: gmetad/" + ServerVersion + "\r\n" +
	"Access-Control-Allow-Origin: *\n" +
	"Content-Type: application/xml\r\n" +
	"Connection: close\r\n" +
	"\r\n"

// flushSize is how much output is gathered before one Write: large enough
// that a 150 MB dump costs a few thousand syscalls, small enough that the
// per-request buffer stays cheap.
const flushSize = 32 << 10

// writerPool recycles writers and their buffers, so an answer allocates
// nothing in the steady state.
var writerPool = sync.Pool{New: func() any {
	return &writer{buf: make([]byte, 0, flushSize+4<<10)}
}}

// writer appends elements into a pooled buffer and flushes it to w. The
// first write error sticks; walkers check it per host to stop early on a
// client that went away.
type writer struct {
	w       io.Writer
	buf     []byte
	err     error
	now     int64 // unix seconds of the request, for TN and LOCALTIME
	summary bool  // filter=summary
	http    bool  // HTTP request: wildcard allowed, misses print nothing
}

func newWriter(w io.Writer, now time.Time, req *Request) *writer {
	x := writerPool.Get().(*writer)
	x.w, x.buf, x.err, x.now = w, x.buf[:0], nil, now.Unix()
	x.http, x.summary = req.HTTP, req.Filter == SummaryFilter
	return x
}

// finish flushes what is left, returns the writer to the pool and reports
// the first write error.
func (x *writer) finish() error {
	x.flush()
	err := x.err
	x.w, x.err = nil, nil
	if cap(x.buf) <= 1<<20 { // do not keep one huge element's buffer alive
		writerPool.Put(x)
	}
	return err
}

func (x *writer) flush() {
	if x.err == nil && len(x.buf) > 0 {
		_, x.err = x.w.Write(x.buf)
	}
	x.buf = x.buf[:0]
}

func (x *writer) maybeFlush() {
	if len(x.buf) >= flushSize {
		x.flush()
	}
}

// tn is gmetad's TN: now − t0 in whole seconds, never negative (server.c
// computes it from tv_sec at request time).
func (x *writer) tn(t0 time.Time) int64 {
	if d := x.now - t0.Unix(); d > 0 {
		return d
	}
	return 0
}

// appendTN prints a TN as stock's "%u" of an unsigned int; we clamp
// instead of wrapping.
func appendTN(b []byte, tn int64) []byte {
	return strconv.AppendInt(b, min(tn, math.MaxUint32), 10)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// rootStart writes the optional HTTP header, the prolog and our GRID start
// tag (server.c root_report_start).
func (x *writer) rootStart(s *Snapshot) {
	if x.http {
		x.buf = append(x.buf, httpXMLHeader...)
	}
	b := append(x.buf, templates.XMLProlog...)
	b = append(b, `<GANGLIA_XML VERSION="`+Version+`" SOURCE="gmetad">`+"\n"+`<GRID NAME="`...)
	b = xmlattr.Append(b, s.Grid.Name)
	b = append(b, `" AUTHORITY="`...)
	b = xmlattr.Append(b, s.Grid.Authority)
	b = append(b, `" LOCALTIME="`...)
	b = strconv.AppendInt(b, x.now, 10)
	x.buf = append(b, "\">\n"...)
}

func (x *writer) rootEnd() {
	x.buf = append(x.buf, "</GRID>\n</GANGLIA_XML>\n"...)
}

// sourceStart is server.c source_report_start.
func (x *writer) sourceStart(s *Source) {
	b := x.buf
	if s.Kind == Grid {
		b = append(b, `<GRID NAME="`...)
		b = xmlattr.Append(b, s.Name)
		b = append(b, `" AUTHORITY="`...)
		b = xmlattr.Append(b, s.Authority)
		b = append(b, `" LOCALTIME="`...)
		b = strconv.AppendInt(b, s.LocalTime, 10)
	} else {
		b = append(b, `<CLUSTER NAME="`...)
		b = xmlattr.Append(b, s.Name)
		b = append(b, `" LOCALTIME="`...)
		b = strconv.AppendInt(b, s.LocalTime, 10)
		b = append(b, `" OWNER="`...)
		b = xmlattr.Append(b, orDefault(s.Owner, "unspecified"))
		b = append(b, `" LATLONG="`...)
		b = xmlattr.Append(b, orDefault(s.LatLong, "unspecified"))
		b = append(b, `" URL="`...)
		b = xmlattr.Append(b, orDefault(s.URL, "unspecified"))
	}
	x.buf = append(b, "\">\n"...)
}

func (x *writer) sourceEnd(s *Source) {
	if s.Kind == Grid {
		x.buf = append(x.buf, "</GRID>\n"...)
	} else {
		x.buf = append(x.buf, "</CLUSTER>\n"...)
	}
}

// hostStart is server.c host_report_start: TAGS last, unlike gmond.
func (x *writer) hostStart(h *Host) {
	b := append(x.buf, `<HOST NAME="`...)
	b = xmlattr.Append(b, h.Name)
	b = append(b, `" IP="`...)
	b = xmlattr.Append(b, h.IP)
	b = append(b, `" REPORTED="`...)
	b = strconv.AppendInt(b, h.Reported, 10)
	b = append(b, `" TN="`...)
	b = appendTN(b, x.tn(h.T0))
	b = append(b, `" TMAX="`...)
	b = strconv.AppendUint(b, uint64(h.TMax), 10)
	b = append(b, `" DMAX="`...)
	b = strconv.AppendUint(b, uint64(h.DMax), 10)
	b = append(b, `" LOCATION="`...)
	b = xmlattr.Append(b, orDefault(h.Location, "unspecified"))
	b = append(b, `" GMOND_STARTED="`...)
	b = strconv.AppendUint(b, uint64(h.GmondStarted), 10)
	b = append(b, `" TAGS="`...)
	b = xmlattr.Append(b, h.Tags)
	x.buf = append(b, "\">\n"...)
}

func (x *writer) hostEnd() {
	x.buf = append(x.buf, "</HOST>\n"...)
	x.maybeFlush()
}

// metric is server.c metric_report_start, which prints the whole element
// including </METRIC>, or nothing once DMAX has passed.
func (x *writer) metric(m *Metric) {
	tn := x.tn(m.T0)
	if m.DMax > 0 && tn > int64(m.DMax) {
		return
	}
	b := append(x.buf, `<METRIC NAME="`...)
	b = xmlattr.Append(b, m.Name)
	b = append(b, `" VAL="`...)
	b = xmlattr.Append(b, m.Val)
	b = append(b, `" TYPE="`...)
	b = xmlattr.Append(b, m.Type)
	b = append(b, `" UNITS="`...)
	b = xmlattr.Append(b, m.Units)
	b = append(b, `" TN="`...)
	b = appendTN(b, tn)
	b = append(b, `" TMAX="`...)
	b = strconv.AppendUint(b, uint64(m.TMax), 10)
	b = append(b, `" DMAX="`...)
	b = strconv.AppendUint(b, uint64(m.DMax), 10)
	b = append(b, `" SLOPE="`...)
	b = xmlattr.Append(b, orDefault(m.Slope, "unspecified"))
	b = append(b, `" SOURCE="`...)
	b = xmlattr.Append(b, orDefault(m.Source, "gmond"))
	b = append(b, "\">\n"...)
	b = appendExtras(b, m.Extra)
	x.buf = append(b, "</METRIC>\n"...)
	x.maybeFlush()
}

func appendExtras(b []byte, extra []Extra) []byte {
	b = append(b, "<EXTRA_DATA>\n"...)
	for i := range extra {
		b = append(b, `<EXTRA_ELEMENT NAME="`...)
		b = xmlattr.Append(b, extra[i].Name)
		b = append(b, `" VAL="`...)
		b = xmlattr.Append(b, extra[i].Val)
		b = append(b, "\"/>\n"...)
	}
	return append(b, "</EXTRA_DATA>\n"...)
}

// summaryBlock is server.c source_summary + metric_summary: one HOSTS line and
// one METRICS block per entry, TYPE always "double".
func (x *writer) summaryBlock(s *Summary) {
	b := append(x.buf, `<HOSTS UP="`...)
	b = strconv.AppendInt(b, int64(s.Up), 10)
	b = append(b, `" DOWN="`...)
	b = strconv.AppendInt(b, int64(s.Down), 10)
	x.buf = append(b, `" SOURCE="gmetad"/>`+"\n"...)
	for i := range s.Metrics {
		x.summaryMetric(&s.Metrics[i])
	}
}

func (x *writer) summaryMetric(m *SummaryMetric) {
	b := append(x.buf, `<METRICS NAME="`...)
	b = xmlattr.Append(b, m.Name)
	b = append(b, `" SUM="`...)
	b = AppendSum(b, m)
	b = append(b, `" NUM="`...)
	b = strconv.AppendUint(b, uint64(m.Num), 10)
	b = append(b, `" TYPE="double" UNITS="`...)
	b = xmlattr.Append(b, m.Units)
	b = append(b, `" SLOPE="`...)
	b = xmlattr.Append(b, orDefault(m.Slope, "unspecified"))
	b = append(b, `" SOURCE="gmond">`+"\n"...)
	b = appendExtras(b, m.Extra)
	x.buf = append(b, "</METRICS>\n"...)
	x.maybeFlush()
}
