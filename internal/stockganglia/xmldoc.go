package stockganglia

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Doc is a GANGLIA_XML document as gmond (clusters at the top) or gmetad
// (clusters inside grids) writes it. Hosts and metrics keep the daemon's
// order, which is hash order and not meaningful.
type Doc struct {
	XMLName  xml.Name  `xml:"GANGLIA_XML"`
	Version  string    `xml:"VERSION,attr"`
	Source   string    `xml:"SOURCE,attr"`
	Grids    []Grid    `xml:"GRID"`
	Clusters []Cluster `xml:"CLUSTER"`
}

// Grid is a GRID element of gmetad's output.
type Grid struct {
	Name      string    `xml:"NAME,attr"`
	Authority string    `xml:"AUTHORITY,attr"`
	LocalTime int64     `xml:"LOCALTIME,attr"`
	Grids     []Grid    `xml:"GRID"`
	Clusters  []Cluster `xml:"CLUSTER"`
	// HostsSummary and Summaries are the grid's summary (HOSTS, METRICS).
	HostsSummary *HostsSummary   `xml:"HOSTS"`
	Summaries    []MetricSummary `xml:"METRICS"`
}

// Cluster is a CLUSTER element.
type Cluster struct {
	Name      string `xml:"NAME,attr"`
	LocalTime int64  `xml:"LOCALTIME,attr"`
	Owner     string `xml:"OWNER,attr"`
	LatLong   string `xml:"LATLONG,attr"`
	URL       string `xml:"URL,attr"`
	Hosts     []Host `xml:"HOST"`
	// HostsSummary and Summaries are set in gmetad summary answers
	// (?filter=summary): the HOSTS element and the METRICS elements.
	HostsSummary *HostsSummary   `xml:"HOSTS"`
	Summaries    []MetricSummary `xml:"METRICS"`
}

// Host is a HOST element. GmondStarted is printed with %d by gmond and can be
// negative (the spoofed-heartbeat quirk).
type Host struct {
	Name         string   `xml:"NAME,attr"`
	IP           string   `xml:"IP,attr"`
	Reported     int64    `xml:"REPORTED,attr"`
	TN           int64    `xml:"TN,attr"`
	TMAX         int64    `xml:"TMAX,attr"`
	DMAX         int64    `xml:"DMAX,attr"`
	Location     string   `xml:"LOCATION,attr"`
	GmondStarted int64    `xml:"GMOND_STARTED,attr"`
	Tags         string   `xml:"TAGS,attr"`
	Metrics      []Metric `xml:"METRIC"`
}

// Metric is a METRIC element. Source is empty in gmond's output (the DTD
// default "gmond" is not applied) and "gmond" in gmetad's.
type Metric struct {
	Name   string  `xml:"NAME,attr"`
	Val    string  `xml:"VAL,attr"`
	Type   string  `xml:"TYPE,attr"`
	Units  string  `xml:"UNITS,attr"`
	TN     int64   `xml:"TN,attr"`
	TMAX   int64   `xml:"TMAX,attr"`
	DMAX   int64   `xml:"DMAX,attr"`
	Slope  string  `xml:"SLOPE,attr"`
	Source string  `xml:"SOURCE,attr"`
	Extra  []Extra `xml:"EXTRA_DATA>EXTRA_ELEMENT"`
}

// Extra is one EXTRA_ELEMENT, in the order the daemon printed it (gmond
// prints them in reverse wire order).
type Extra struct {
	Name string `xml:"NAME,attr"`
	Val  string `xml:"VAL,attr"`
}

// HostsSummary is the HOSTS element of a gmetad summary.
type HostsSummary struct {
	Up     int    `xml:"UP,attr"`
	Down   int    `xml:"DOWN,attr"`
	Source string `xml:"SOURCE,attr"`
}

// MetricSummary is a METRICS element of a gmetad summary: the sum of a
// numeric metric over the hosts that are up.
type MetricSummary struct {
	Name   string `xml:"NAME,attr"`
	Sum    string `xml:"SUM,attr"`
	Num    int    `xml:"NUM,attr"`
	Type   string `xml:"TYPE,attr"`
	Units  string `xml:"UNITS,attr"`
	Slope  string `xml:"SLOPE,attr"`
	Source string `xml:"SOURCE,attr"`
}

// ParseXML parses a gmond or gmetad document, gzipped or not (gmond's
// gzip_output). The prolog declares ISO-8859-1, which encoding/xml only reads
// through a CharsetReader.
func ParseXML(b []byte) (*Doc, error) {
	var r io.Reader = bytes.NewReader(b)
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("stockganglia: gunzipping Ganglia XML: %w", err)
		}
		r = zr
	}
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	var d Doc
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("stockganglia: parsing Ganglia XML: %w", err)
	}
	return &d, nil
}

func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "latin1", "latin-1", "us-ascii":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		return bytes.NewReader(latin1ToUTF8(b)), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// latin1ToUTF8 maps each byte to the code point of the same number.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// AllClusters returns every cluster of the document, those nested in grids
// included.
func (d *Doc) AllClusters() []*Cluster {
	var out []*Cluster
	for i := range d.Clusters {
		out = append(out, &d.Clusters[i])
	}
	for i := range d.Grids {
		out = d.Grids[i].appendClusters(out)
	}
	return out
}

func (g *Grid) appendClusters(out []*Cluster) []*Cluster {
	for i := range g.Clusters {
		out = append(out, &g.Clusters[i])
	}
	for i := range g.Grids {
		out = g.Grids[i].appendClusters(out)
	}
	return out
}

// Cluster returns the first cluster named name, or nil.
func (d *Doc) Cluster(name string) *Cluster {
	for _, c := range d.AllClusters() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Grid returns the top-level grid named name, or nil.
func (d *Doc) Grid(name string) *Grid {
	for i := range d.Grids {
		if d.Grids[i].Name == name {
			return &d.Grids[i]
		}
	}
	return nil
}

// Host returns the first host named name in any cluster, or nil.
func (d *Doc) Host(name string) *Host {
	for _, c := range d.AllClusters() {
		if h := c.Host(name); h != nil {
			return h
		}
	}
	return nil
}

// Host returns the host named name, or nil.
func (c *Cluster) Host(name string) *Host {
	for i := range c.Hosts {
		if c.Hosts[i].Name == name {
			return &c.Hosts[i]
		}
	}
	return nil
}

// HostByIP returns the host whose IP attribute is ip, or nil. gmond keys its
// host table by that text (the source address, or the part of a spoof string
// before the colon).
func (c *Cluster) HostByIP(ip string) *Host {
	for i := range c.Hosts {
		if c.Hosts[i].IP == ip {
			return &c.Hosts[i]
		}
	}
	return nil
}

// Metric returns the metric named name, or nil.
func (h *Host) Metric(name string) *Metric {
	for i := range h.Metrics {
		if h.Metrics[i].Name == name {
			return &h.Metrics[i]
		}
	}
	return nil
}

// ExtraVal returns the value of the first extra element named name.
func (m *Metric) ExtraVal(name string) (string, bool) {
	for _, e := range m.Extra {
		if e.Name == name {
			return e.Val, true
		}
	}
	return "", false
}

// Summary returns the summary metric named name, or nil.
func (c *Cluster) Summary(name string) *MetricSummary { return findSummary(c.Summaries, name) }

// Summary returns the summary metric named name, or nil.
func (g *Grid) Summary(name string) *MetricSummary { return findSummary(g.Summaries, name) }

func findSummary(s []MetricSummary, name string) *MetricSummary {
	for i := range s {
		if s[i].Name == name {
			return &s[i]
		}
	}
	return nil
}
