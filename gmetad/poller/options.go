package poller

import "errors"

// ParseOptions bound what one document may cost. A zero field takes its
// default. Stock gmetad has no limits; these exist because a data source
// is outside input.
type ParseOptions struct {
	// MaxBytes bounds the bytes read, before and after gunzip (default
	// 1 GiB; a 10,000-host gmond dump is about 150 MB). Hitting it ends
	// the parse with ErrTooLarge.
	MaxBytes int64
	// MaxHosts bounds the hosts kept per cluster (default 100,000).
	MaxHosts int
	// MaxMetricsPerHost bounds the metrics kept per host (default 10,000).
	MaxMetricsPerHost int
	// MaxSummaryMetrics bounds the distinct names of a summary (default
	// 50,000).
	MaxSummaryMetrics int
	// MaxNameLen bounds cluster, grid, host, metric and extra names in
	// bytes (default 255: longer names cannot be RRD file names).
	MaxNameLen int
	// MaxMalformed bounds the malformed lines skipped before the parse
	// gives up with ErrMalformed (default 100,000).
	MaxMalformed int
}

// Defaults of ParseOptions.
const (
	DefaultMaxBytes          = 1 << 30
	DefaultMaxHosts          = 100_000
	DefaultMaxMetricsPerHost = 10_000
	DefaultMaxSummaryMetrics = 50_000
	DefaultMaxNameLen        = 255
	DefaultMaxMalformed      = 100_000
)

// maxExtras is gmetad's MAX_EXTRA_ELEMENTS: EXTRA_ELEMENTs per metric.
const maxExtras = 32

// maxErrors bounds Report.Errors.
const maxErrors = 10

// maxDepth bounds element nesting; deeper subtrees are skipped.
const maxDepth = 256

func (o ParseOptions) withDefaults() ParseOptions {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	def(&o.MaxHosts, DefaultMaxHosts)
	def(&o.MaxMetricsPerHost, DefaultMaxMetricsPerHost)
	def(&o.MaxSummaryMetrics, DefaultMaxSummaryMetrics)
	def(&o.MaxNameLen, DefaultMaxNameLen)
	def(&o.MaxMalformed, DefaultMaxMalformed)
	return o
}

// Errors of Parse. Each comes wrapped with detail; test with errors.Is.
var (
	// ErrTooLarge: the document exceeds ParseOptions.MaxBytes.
	ErrTooLarge = errors.New("poller: document exceeds the size limit")
	// ErrGzip: the stream starts with the gzip magic but does not inflate.
	ErrGzip = errors.New("poller: bad gzip stream")
	// ErrTruncated: the input ended inside the document.
	ErrTruncated = errors.New("poller: document ends early")
	// ErrNoSource: the document holds no CLUSTER or GRID.
	ErrNoSource = errors.New("poller: no CLUSTER or GRID in the document")
	// ErrMalformed: more malformed lines than ParseOptions.MaxMalformed.
	ErrMalformed = errors.New("poller: too many malformed lines")
	// ErrRead: reading the input failed.
	ErrRead = errors.New("poller: reading the document")
)
