package web

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// Source is what the web interface reads from gmetad: the grid as the XML
// ports serve it, the move history and the daemon's counters. cmd/gmetad
// implements it; the handler only reads, so the three calls may come from
// many requests at once.
type Source interface {
	Snapshot(now time.Time) *xmlout.Snapshot // the grid as the XML ports serve it
	Moves() []grid.Move                      // host moves, oldest first
	Health() Health
}

// Health is the daemon's self-monitoring: the receivers, the RRD writer,
// the XML servers and the last tree check. /health shows it, /api/health and
// /metrics export it.
type Health struct {
	Started     time.Time
	Ports       []PortHealth
	RRD         RRDHealth
	XMLClients  uint64     // XML and interactive connections being served now
	XMLRequests uint64     // answers served since start
	TreeCheck   *TreeCheck // nil: not configured
}

// PortHealth is one managed system's UDP receiver: counters since start and
// the hosts its cluster holds now.
type PortHealth struct {
	Port                                           int
	Cluster                                        string
	Packets, Bytes, DecodeErrors, Denied, Oversize uint64
	Hosts                                          uint64
}

// RRDHealth is the RRD writer's state: counters since start, the updates
// waiting to be written and how far the last write step lags behind.
type RRDHealth struct {
	Updates, Errors, SkippedSteps uint64
	QueueDepth                    int
	Lag                           time.Duration
	LastStep                      time.Time
}

// TreeCheck is the outcome of the last `ganglia-lpm check --json` run whose
// output gmetad was told to watch (see ReadTreeCheck).
type TreeCheck struct {
	Path     string         // the JSON Lines file
	Time     time.Time      // when the check wrote it (the file's modification time)
	Findings int            // problems left: findings not fixed by --fix
	ByRule   map[string]int // the same, by rule id
	Err      string         // why the file could not be read; "" when it was
}

// Options configure the handler.
type Options struct {
	// Source is gmetad's state; required.
	Source Source
	// RRDRoot is gmetad.conf's rrd_rootdir and LPARDir the mapping's
	// lpar_dir ("" means "LPARS"): graphs read
	// <RRDRoot>/<LPARDir>/<host>/<metric>.rrd. RRDRoot "" disables graphs
	// and series (404).
	RRDRoot, LPARDir string
	// FlushRRD, if set, writes the updates gmetad still buffers for an RRD
	// file before a graph reads it, so graphs are current however long
	// the writer batches (rrd_overflow_flush_interval).
	FlushRRD func(ctx context.Context, path string) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives request errors; nil discards.
	Logger *slog.Logger
	// Allow says which client addresses may use the interface
	// (trusted_hosts); others get 403. nil allows everyone.
	Allow func(netip.Addr) bool
}
