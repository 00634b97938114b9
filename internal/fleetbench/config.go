package fleetbench

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// step is gmetad's RRD step: its persister writes one update per file at
// every multiple of it, as stock gmetad polls its sources every 15 s.
const step = persist.DefaultStep

// ReducedRRAs are the archives a run writes instead of stock gmetad's
// default (5856 + 20160 + 52704 rows, ~630 KB a file, which would need
// ~300 GB for 10,000 hosts × 50 metrics): one day of 15 s rows and ~24 h of
// 6-minute rows, ~4.7 KB a file. The per-update work is the same (one
// primary row per step, a consolidated row every 24 steps).
var ReducedRRAs = []string{"RRA:AVERAGE:0.5:1:244", "RRA:AVERAGE:0.5:24:244"}

// Binaries are the two commands a run starts.
type Binaries struct{ Gmetad, Loadgen string }

// Config describes one run. Zero fields take the defaults noted.
type Config struct {
	Hosts    int           // simulated LPARs, ≥ 1
	Metrics  int           // metrics per host (ganglia-loadgen -metrics; default 50)
	Interval time.Duration // how often each host sends (default 15 s)
	// Window is the measurement after the warm-up, rounded up to whole
	// RRD steps (default 2 minutes up to 1,000 hosts, 3 minutes above).
	Window  time.Duration
	Systems int // managed systems the hosts are split across (default 3)
	// ReverseDNS names hosts as stock gmond does, by reverse DNS of their
	// address, on the receive path. Off, the run writes
	// hostname_from_packet on: the simulated hosts' packets carry their
	// address text, the name a failed lookup gives, so the grid is the same
	// while the resolver of the machine stays out of the figures.
	ReverseDNS bool
	Extra      []string // more gmetad.conf lines
	RRAs       []string // gmetad.conf RRAs (default ReducedRRAs)
	Dir        string   // the run's directory, on local disk (default a new one in os.TempDir)
	Bin        Binaries // from Build
	// FreePort returns a TCP+UDP port free on every address (the tests
	// pass stockganglia.FreePort); gmetad needs Systems + 3 of them.
	FreePort func() (int, error)
	// MaxWarmup bounds the wait for every host and file (default 15 min).
	MaxWarmup   time.Duration
	DumpSamples int       // full XML dumps timed (default 3)
	LagFiles    int       // files watched for the RRD lag (default 8)
	GapFiles    int       // files checked for gaps (default 100)
	Log         io.Writer // progress lines (default io.Discard)
}

func (c Config) withDefaults() (Config, error) {
	if c.Hosts < 1 || c.Metrics < 0 {
		return c, fmt.Errorf("fleetbench: %d hosts × %d metrics", c.Hosts, c.Metrics)
	}
	if c.Bin.Gmetad == "" || c.Bin.Loadgen == "" || c.FreePort == nil {
		return c, errors.New("fleetbench: Config.Bin and Config.FreePort are required")
	}
	setDefault(&c.Metrics, 50)
	setDefault(&c.Systems, 3)
	setDefault(&c.DumpSamples, 3)
	setDefault(&c.LagFiles, 8)
	setDefault(&c.GapFiles, 100)
	setDefault(&c.Interval, step)
	setDefault(&c.MaxWarmup, 15*time.Minute)
	if c.Window <= 0 {
		c.Window = DefaultWindow(c.Hosts)
	}
	c.Window = (c.Window + step - 1) / step * step
	if len(c.RRAs) == 0 {
		c.RRAs = ReducedRRAs
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	if c.Dir == "" {
		d, err := os.MkdirTemp("", "fleetbench-")
		if err != nil {
			return c, err
		}
		c.Dir = d
	}
	return c, nil
}

// DefaultWindow is the measurement window for a fleet of hosts: 2 minutes
// up to 1,000 hosts, 3 minutes above.
func DefaultWindow(hosts int) time.Duration {
	if hosts <= 1000 {
		return 2 * time.Minute
	}
	return 3 * time.Minute
}

func setDefault[T int | time.Duration](p *T, v T) {
	if *p <= 0 {
		*p = v
	}
}

// fileBytes estimates one gmetad RRD file on disk: its rows, the header
// (~800 bytes for one DS and two RRAs) and the 4 KB blocks of the
// filesystem.
func fileBytes(rras []string) (uint64, error) {
	_, rs, err := rrdstore.ParseDefs(rras, uint64(step.Seconds()))
	if err != nil {
		return 0, fmt.Errorf("RRAs: %w", err)
	}
	size := uint64(512)
	for _, r := range rs {
		size += r.Rows*8 + 128
	}
	const block = 4096
	return (size + block - 1) / block * block, nil
}
