package xmlout

import "time"

// Snapshot is one immutable view of the grid, as gmetad's tree holds it:
// our own GRID, its root summary and the data sources in output order. The
// writers only read it, so one Snapshot may serve many requests at once.
type Snapshot struct {
	Grid    GridInfo
	Summary Summary // root summary: printed for "/?filter=summary"
	Sources []Source
}

// GridInfo names our own grid: gmetad.conf gridname and authority.
type GridInfo struct {
	Name      string
	Authority string
}

// SourceKind tells a cluster (a gmond, kept in full) from a remote grid (a
// gmetad, kept only as a summary).
type SourceKind int

// The two kinds of data source (PROTOCOL.md §4.4).
const (
	Cluster SourceKind = iota // CLUSTER element with HOSTs, or HOSTS/METRICS when filtered
	Grid                      // GRID element, always followed by its summary
)

// Source is one data source under our GRID.
type Source struct {
	Kind SourceKind
	Name string
	// Owner, LatLong and URL are CLUSTER attributes; empty prints
	// "unspecified", as gmetad does when the gmond sent none.
	Owner, LatLong, URL string
	Authority           string // GRID AUTHORITY (grids only)
	LocalTime           int64  // the source's clock at its last poll
	Hosts               []Host // clusters only, in output order
	Summary             Summary
}

// Host is one HOST of a cluster.
type Host struct {
	Name string
	IP   string
	// Location empty prints "unspecified" (gmond's value before a location
	// metric arrives). Tags is printed verbatim: gmond prints TAGS="" when
	// it has none, so a source that sent no TAGS should be given
	// "unspecified" by the caller.
	Location, Tags string
	Reported       int64     // REPORTED: the host's last heartbeat, unix seconds
	T0             time.Time // birth time; TN = now − T0 (never negative)
	TMax, DMax     uint32
	GmondStarted   uint32 // GMOND_STARTED, printed as an unsigned number like stock
	Metrics        []Metric
}

// Metric is one METRIC of a host.
type Metric struct {
	Name  string
	Val   string // the value text as stored (gmetad prints it back verbatim)
	Type  string // TYPE: string, int8 ... double, timestamp
	Units string
	// Slope empty prints "unspecified"; Source empty prints "gmond", the
	// DTD default stock gmetad picks up through expat (Q14).
	Slope, Source string
	TMax, DMax    uint32
	T0            time.Time // birth time; TN = now − T0; hidden when DMax > 0 && TN > DMax
	Extra         []Extra   // EXTRA_ELEMENTs in stored order
}

// Extra is one EXTRA_ELEMENT name/value pair.
type Extra struct {
	Name, Val string
}

// Summary is a summary block: HOSTS UP/DOWN and one METRICS per metric.
type Summary struct {
	Up, Down int
	Metrics  []SummaryMetric
}

// SumKind is the numeric class of a summarised metric; it decides how SUM
// is printed (PROTOCOL.md §4.5).
type SumKind int

// The numeric classes gmetad sums (timestamps and strings are never summed).
const (
	Int   SumKind = iota // int8, int16, int32: SUM printed with %.f
	UInt                 // uint8, uint16, uint32: SUM printed with %.f
	Float                // float, double: SUM printed with %.*f, Precision decimals
)

// SummaryMetric is one METRICS element.
type SummaryMetric struct {
	Name string
	Sum  float64
	Num  uint32
	Kind SumKind
	// Precision is the number of digits after the last '.' in the first
	// VAL ever seen for this entry (sticky, as in gmetad); used for Float.
	Precision    int
	Units, Slope string
	Extra        []Extra
}
