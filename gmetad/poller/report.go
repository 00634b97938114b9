package poller

import "time"

// Kind says what a data source is: the element found at grid depth 0.
type Kind string

// The two kinds of source gmetad knows (PROTOCOL.md §4.4).
const (
	KindCluster Kind = "cluster" // a gmond: CLUSTER at depth 0, full detail kept
	KindGrid    Kind = "grid"    // a gmetad: GRID at depth 0, only summed
)

// Reason names why an element was left out of a Report.
type Reason string

// The reasons counted in Report.Skipped.
const (
	// ReasonMalformed: the element's line was not well-formed XML (e.g. an
	// unescaped '<' that stock gmetad re-emits) or its end tag did not
	// match; the element and its children were skipped.
	ReasonMalformed Reason = "malformed"
	// ReasonMissingAttr: a required attribute (NAME, VAL, TYPE) is absent.
	ReasonMissingAttr Reason = "missing_attr"
	// ReasonOutsideSource: a HOST or METRIC outside any CLUSTER/GRID/HOST.
	ReasonOutsideSource Reason = "outside_source"
	// ReasonExtraSource: a second CLUSTER or GRID at depth 0.
	ReasonExtraSource Reason = "extra_source"
	// ReasonHostDown: a METRIC of a host that is down (gmetad ignores it).
	ReasonHostDown Reason = "host_down"
	// ReasonUnknownType: a METRIC whose TYPE gmetad does not know, or a
	// METRICS whose TYPE is not numeric.
	ReasonUnknownType Reason = "unknown_type"
	// ReasonExpired: a METRIC with DMAX > 0 and TN > DMAX.
	ReasonExpired Reason = "expired"
	// ReasonExtraLimit: EXTRA_ELEMENTs beyond gmetad's 32 per metric.
	ReasonExtraLimit Reason = "extra_limit"
	// ReasonHostLimit, ReasonMetricLimit, ReasonSummaryLimit and
	// ReasonNameTooLong: a ParseOptions limit was hit.
	ReasonHostLimit    Reason = "host_limit"
	ReasonMetricLimit  Reason = "metric_limit"
	ReasonSummaryLimit Reason = "summary_limit"
	ReasonNameTooLong  Reason = "name_too_long"
)

// Report is what one poll of a data source yielded.
type Report struct {
	Kind    Kind   // "" when the document held no CLUSTER or GRID
	Version string // GANGLIA_XML VERSION
	Source  string // GANGLIA_XML SOURCE: "gmond" or "gmetad"
	// Old is true for a pre-2.5 stream (VERSION < "2.5"), whose hosts are
	// judged by the 60-second rule.
	Old bool
	// Time is the parse time; a host's or metric's birth time t0 is
	// Time − TN, as gmetad computes it.
	Time    time.Time
	Cluster *Cluster // set when Kind is KindCluster
	Grid    *Grid    // set when Kind is KindGrid
	// Complete is true when the document ended properly; a partial report
	// comes with an error from Parse.
	Complete bool
	Skipped  map[Reason]int // elements left out, by reason
	Errors   []string       // the first syntax errors, "line N: ..."
}

// Cluster is a CLUSTER at depth 0: the source is a gmond (or a gmetad's
// single cluster) and gmetad keeps every host and metric.
type Cluster struct {
	Name      string // CLUSTER NAME; gmetad names the source by it (Q8)
	LocalTime int64  // the gmond's clock; also the RRD update time
	Owner     string
	LatLong   string
	URL       string
	Hosts     []Host  // in document order
	Summary   Summary // HOSTS UP/DOWN and per-metric sums of this poll
}

// Grid is a GRID at depth 0: the source is another gmetad. Nested clusters
// and grids are only counted and summed (PROTOCOL.md §4.5).
type Grid struct {
	Name      string
	Authority string
	LocalTime int64
	Summary   Summary
}

// Host is a HOST of a Cluster.
type Host struct {
	Name         string
	IP           string
	Reported     int64
	TN           int64
	TMax         int64
	DMax         int64
	Location     string
	Tags         string
	GmondStarted int64 // may be negative: gmond prints it with %d
	// Up is gmetad's alive rule: TN < 4×TMAX, or for old streams and
	// TMAX = 0 |LOCALTIME − REPORTED| < 60. A down host has no Metrics.
	Up      bool
	Metrics []Metric
}

// Metric is a METRIC of an alive Host that gmetad would store.
type Metric struct {
	Name   string
	Val    string // the VAL text, unchanged (also what gmetad writes to RRDs)
	Type   string
	Units  string
	TN     int64
	TMax   int64
	DMax   int64
	Slope  string
	Source string // "gmond" when absent: the DTD default (Q14)
	Extra  []Extra
	// Numeric is true for int8…uint32, float and double (not string or
	// timestamp): the metrics that get RRDs and summaries.
	Numeric bool
	Value   float64 // VAL as C's strtod reads it, when Numeric
}

// Extra is an EXTRA_ELEMENT.
type Extra struct {
	Name string
	Val  string
}

// Summary is a source's HOSTS counts and METRICS sums.
type Summary struct {
	Up, Down uint32
	Metrics  []SummaryMetric // in order of first appearance
}

// SummaryMetric is the sum of one numeric metric over the alive hosts of a
// source, plus any METRICS elements of the same name (§4.5). Entries for a
// name take TYPE, UNITS and SLOPE from its first appearance.
type SummaryMetric struct {
	Name  string
	Sum   float64
	Num   uint32
	Type  string
	Units string
	Slope string
	// Precision is the number of characters after the last '.' of the
	// first VAL (or SUM) seen; gmetad prints float sums with it.
	Precision int
	// Extra holds the EXTRA_ELEMENTs of the summed metrics, deduplicated by
	// name and value (case-insensitively), without SPOOF_HOST.
	Extra []Extra
}
