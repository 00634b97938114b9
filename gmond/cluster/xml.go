package cluster

import (
	"bufio"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/xmlattr"
	"github.com/ganglia-lpm/ganglia-lpm/templates"
)

// Version is the VERSION gmond 3.7.2 prints in GANGLIA_XML.
const Version = "3.7.2"

// WriteXML writes the XML dump a stock collector gmond serves on its TCP
// port (PROTOCOL.md §3): the prolog and DTD, GANGLIA_XML, CLUSTER, and per
// host a HOST element with its METRICs (those with both metadata and a
// value, heartbeat and location excepted), each with its EXTRA_DATA in
// reverse wire order (Q3) when Options.AllowExtraData is set. Attribute order
// and line layout are stock's, byte for byte; TN and REPORTED are whole
// seconds at now, truncated, as gmond computes them.
//
// Unlike stock, which escapes only string VALs (Q7), every attribute value
// is escaped (see escape.go), so the document is well-formed whatever
// names arrived from the network; ordinary names come out as stock prints
// them. Hosts are in (name, key) order and metrics in name order.
//
// The state's lock is taken per host, while that host is rendered into
// memory, never while writing to w. Output goes through a pooled
// bufio.Writer; nothing is allocated per host or metric.
func (s *State) WriteXML(w io.Writer, c ClusterInfo, now time.Time) error {
	d := dumpers.Get().(*dumper)
	defer d.release()
	d.bw.Reset(w)
	d.bw.WriteString(templates.XMLProlog)
	d.bw.WriteString(`<GANGLIA_XML VERSION="` + Version + `" SOURCE="gmond">` + "\n")
	d.buf = appendCluster(d.buf[:0], &c, now.Unix())
	d.bw.Write(d.buf)

	s.mu.Lock()
	d.hosts = append(d.hosts[:0], s.order...)
	s.mu.Unlock()
	t := now.UnixNano()
	for _, h := range d.hosts {
		d.buf = d.buf[:0]
		s.mu.Lock()
		if s.hosts[h.key] == h { // not taken or expired since the snapshot
			d.buf = s.appendHost(d.buf, h, t)
		}
		s.mu.Unlock()
		if _, err := d.bw.Write(d.buf); err != nil {
			return err
		}
	}
	d.bw.WriteString("</CLUSTER>\n</GANGLIA_XML>\n")
	return d.bw.Flush()
}

// dumper is the reusable memory of one WriteXML call.
type dumper struct {
	bw    *bufio.Writer
	buf   []byte
	hosts []*HostRecord
}

// maxPooledBuf keeps one huge host from pinning its buffer in the pool.
const maxPooledBuf = 1 << 20

var dumpers = sync.Pool{New: func() any {
	return &dumper{bw: bufio.NewWriterSize(nil, 64<<10), buf: make([]byte, 0, 16<<10)}
}}

func (d *dumper) release() {
	d.bw.Reset(nil)
	clear(d.hosts)
	d.hosts = d.hosts[:0]
	if cap(d.buf) > maxPooledBuf {
		d.buf = nil
	}
	dumpers.Put(d)
}

func appendCluster(b []byte, c *ClusterInfo, localtime int64) []byte {
	b = append(b, `<CLUSTER NAME="`...)
	b = xmlattr.Append(b, orUnspecified(c.Name))
	b = append(b, `" LOCALTIME="`...)
	b = strconv.AppendInt(b, localtime, 10)
	b = append(b, `" OWNER="`...)
	b = xmlattr.Append(b, orUnspecified(c.Owner))
	b = append(b, `" LATLONG="`...)
	b = xmlattr.Append(b, orUnspecified(c.LatLong))
	b = append(b, `" URL="`...)
	b = xmlattr.Append(b, orUnspecified(c.URL))
	return append(b, "\">\n"...)
}

func orUnspecified(s string) string {
	if s == "" {
		return "unspecified"
	}
	return s
}

// appendHost renders h and its printable metrics; the caller holds mu.
func (s *State) appendHost(b []byte, h *HostRecord, now int64) []byte {
	b = append(b, `<HOST NAME="`...)
	b = xmlattr.Append(b, h.name)
	b = append(b, `" IP="`...)
	b = xmlattr.Append(b, h.key)
	b = append(b, `" TAGS="`...)
	b = xmlattr.Append(b, s.opts.Tags)
	b = append(b, `" REPORTED="`...)
	b = strconv.AppendInt(b, h.lastHeard/1e9, 10)
	b = append(b, `" TN="`...)
	b = strconv.AppendInt(b, (now-h.lastHeard)/1e9, 10)
	b = append(b, `" TMAX="`...)
	b = strconv.AppendUint(b, uint64(s.opts.HostTMax), 10)
	b = append(b, `" DMAX="`...)
	b = strconv.AppendUint(b, uint64(s.opts.HostDMax), 10)
	b = append(b, `" LOCATION="`...)
	if h.hasLocation {
		b = xmlattr.Append(b, h.location)
	} else {
		b = append(b, "unspecified"...)
	}
	b = append(b, `" GMOND_STARTED="`...)
	b = strconv.AppendInt(b, h.started, 10)
	b = append(b, "\">\n"...)
	for _, mt := range h.order {
		if mt.visible() {
			b = s.appendMetric(b, mt, now)
		}
	}
	return append(b, "</HOST>\n"...)
}

// appendMetric renders one METRIC as print_host_metric does.
func (s *State) appendMetric(b []byte, mt *metric, now int64) []byte {
	md := mt.meta
	b = append(b, `<METRIC NAME="`...)
	b = xmlattr.Append(b, mt.name)
	b = append(b, `" VAL="`...)
	b = appendVAL(b, mt.val, mt.id)
	b = append(b, `" TYPE="`...)
	b = xmlattr.Append(b, md.typ)
	b = append(b, `" UNITS="`...)
	b = xmlattr.Append(b, md.units)
	b = append(b, `" TN="`...)
	b = strconv.AppendInt(b, (now-mt.valTime)/1e9, 10)
	b = append(b, `" TMAX="`...)
	b = strconv.AppendUint(b, uint64(md.tmax), 10)
	b = append(b, `" DMAX="`...)
	b = strconv.AppendUint(b, uint64(md.dmax), 10)
	b = append(b, `" SLOPE="`...)
	b = append(b, md.slope.String()...)
	b = append(b, "\">\n"...)
	if s.opts.AllowExtraData {
		b = append(b, "<EXTRA_DATA>\n"...)
		for i := len(md.extra) - 1; i >= 0; i-- { // reverse wire order (Q3)
			b = append(b, `<EXTRA_ELEMENT NAME="`...)
			b = xmlattr.Append(b, md.extra[i].Name)
			b = append(b, `" VAL="`...)
			b = xmlattr.Append(b, md.extra[i].Data)
			b = append(b, "\"/>\n"...)
		}
		b = append(b, "</EXTRA_DATA>\n"...)
	}
	return append(b, "</METRIC>\n"...)
}
