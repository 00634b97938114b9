package lpmscenario

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/internal/stockganglia"
)

const (
	// Grid is the gridname of both gmetads.
	Grid = "LPM-Scenario"
	// DefaultCluster is the mapping's [default] cluster: our gmetad lists
	// it, with no host; the stock pipeline has no collector for it.
	DefaultCluster = "Unmapped"
	// Step is the RRD step of both gmetads in seconds: stock gmetad's
	// data_source interval, and the step of our UDP clusters' files (our
	// gmetad has no option to shorten it).
	Step = 15
	// WaitTimeout bounds the waits of WaitHostIn.
	WaitTimeout = 60 * time.Second
	// ArtifactsEnv names the directory for a test's screenshots and other
	// artifacts; unset, they go to a temporary directory of the test.
	ArtifactsEnv = "GANGLIA_LPM_ARTIFACTS"
)

// Impl is one of the two pipelines the scenario runs side by side.
type Impl int

const (
	// Ours is our gmetad, fed by the tees directly.
	Ours Impl = iota
	// Stock is stock gmetad polling a stock collector gmond per managed
	// system, fed by the same tees.
	Stock
)

func (i Impl) String() string {
	if i == Stock {
		return "stock"
	}
	return "ours"
}

// Options shape a scenario; the zero value is the standard one.
type Options struct {
	Systems []System // nil: DefaultSystems()
	LPARs   []LPAR   // nil: DefaultLPARs()
	// Interval is the LPARs' collect_every in seconds (values are sent at
	// least every 2 × Interval); 0: 5.
	Interval int
	// ConflictWindow is our gmetad's lpm_conflict_window; 0: 30 s. Two
	// moves of one LPAR less than a window apart make the second wait
	// (gmetad/grid); the default keeps a test's moves short.
	ConflictWindow time.Duration
	// RRAs of both gmetads; nil: one day of 15 s rows (47 KB a file,
	// where the 3.7 defaults make 630 KB).
	RRAs []string
	// NoStock runs our pipeline only: no stock collectors, no stock gmetad.
	NoStock bool
	// StockHostDmax is the stock collectors' host_dmax in seconds (0:
	// stock's 86400): how long a moved LPAR stays listed, down, under the
	// system it left.
	StockHostDmax int
	// GmetadExtra are more lines for our gmetad.conf.
	GmetadExtra []string
}

// Move is one simulated LPM move.
type Move struct {
	LPAR     string
	From, To string    // managed systems
	At       time.Time // when the fixture identity was rewritten
}

// Scenario is a running scenario. Its fields are set by Start and must not
// be changed; everything it started stops when the test ends.
type Scenario struct {
	Dir     string // configs, sysroots, our RRD tree and the logs
	Systems []System
	LPARs   []LPAR

	OurWeb         string // base URL of our web interface, "http://127.0.0.1:PORT"
	OurXML         string // host:port of our xml_port
	OurInteractive string // host:port of our interactive_port (ganglia-web's gmetad port)
	OurRRDRoot     string // rrd_rootdir of our gmetad (LPARS layout)
	OurPorts       []int  // our gmetad's UDP port of each system, as Systems
	// OurLog is our gmetad's log file.
	OurLog string

	// The stock pipeline; empty with Options.NoStock.
	StockXML         string // host:port of stock gmetad's xml_port
	StockInteractive string // host:port of stock gmetad's interactive_port
	StockRRDRoot     string // rrd_rootdir of stock gmetad (one directory per cluster)
	Collectors       []*stockganglia.Gmond
	StockGmetad      *stockganglia.Gmetad

	// Tees are the managed systems' ports the agents send to, as Systems.
	Tees []*Tee
	// ArtifactsDir is where the test should leave screenshots and other
	// artifacts: $GANGLIA_LPM_ARTIFACTS/<test name>, or a temporary
	// directory of the test.
	ArtifactsDir string

	Bin        Binaries
	gmetad     *stockganglia.Process
	gmonds     []*stockganglia.Process
	ourDefault int // our gmetad's port of DefaultCluster

	mu       sync.Mutex
	fixtures []*fixture
	where    []int // current system of each LPAR
	moves    []Move
	nextPart int
}

// Start builds our binaries and runs the scenario until tb ends: the stock
// pipeline (unless Options.NoStock), our gmetad, a tee per managed system,
// and the LPARs' gmonds. It returns when both gmetads answer; the LPARs'
// first packets are on their way (see WaitHostIn).
func Start(tb testing.TB, o Options) *Scenario {
	tb.Helper()
	o = o.withDefaults()
	if err := o.check(); err != nil {
		tb.Fatalf("lpmscenario: %v", err)
	}
	s := &Scenario{Dir: tb.TempDir(), Systems: o.Systems, LPARs: o.LPARs, nextPart: 31}
	s.Bin = Build(tb)
	s.ArtifactsDir = artifactsDir(tb)
	if !o.NoStock {
		s.startStock(tb, &o)
	}
	s.startOurs(tb, &o)
	s.startTees(tb)
	s.startLPARs(tb, &o)
	tb.Logf("lpmscenario: our web interface %s (xml %s, interactive %s, RRDs %s); stock gmetad xml %q, interactive %q, RRDs %q; artifacts in %s",
		s.OurWeb, s.OurXML, s.OurInteractive, s.OurRRDRoot, s.StockXML, s.StockInteractive, s.StockRRDRoot, s.ArtifactsDir)
	return s
}

func (o Options) withDefaults() Options {
	if o.Systems == nil {
		o.Systems = DefaultSystems()
	}
	if o.LPARs == nil {
		o.LPARs = DefaultLPARs()
	}
	if o.Interval == 0 {
		o.Interval = 5
	}
	if o.ConflictWindow == 0 {
		o.ConflictWindow = 30 * time.Second
	}
	if o.RRAs == nil {
		o.RRAs = []string{"RRA:AVERAGE:0.5:1:5856"}
	}
	return o
}

func (o *Options) check() error {
	names, ips := map[string]bool{}, map[string]bool{}
	for _, l := range o.LPARs {
		if l.Home < 0 || l.Home >= len(o.Systems) {
			return fmt.Errorf("LPAR %s: Home %d is not a system", l.Name, l.Home)
		}
		if ip, err := netip.ParseAddr(l.IP); err != nil || !ip.Is4() || !ip.IsLoopback() {
			return fmt.Errorf("LPAR %s: IP %q is not a 127/8 address", l.Name, l.IP)
		}
		if names[l.Name] || ips[l.IP] {
			return fmt.Errorf("LPAR %s (%s): name or address used twice", l.Name, l.IP)
		}
		if l.VPs <= 0 || l.Entitled <= 0 || l.MemGB <= 0 {
			return fmt.Errorf("LPAR %s: VPs, Entitled and MemGB must be positive", l.Name)
		}
		names[l.Name], ips[l.IP] = true, true
	}
	return nil
}

// artifactsDir is $GANGLIA_LPM_ARTIFACTS/<test name> or a temporary
// directory.
func artifactsDir(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(ArtifactsEnv)
	if base == "" {
		return tb.TempDir()
	}
	dir := filepath.Join(base, strings.NewReplacer("/", "_", " ", "_").Replace(tb.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("lpmscenario: %s: %v", ArtifactsEnv, err)
	}
	return dir
}

// startStock starts a stock collector gmond per managed system and stock
// gmetad polling them, each system a data source of the same name.
func (s *Scenario) startStock(tb testing.TB, o *Options) {
	tb.Helper()
	var sources []stockganglia.DataSource
	for _, sys := range s.Systems {
		c := stockganglia.StartCollector(tb, stockganglia.CollectorOptions{
			Cluster:  stockganglia.ClusterInfo{Name: sys.Name},
			HostDmax: o.StockHostDmax,
		})
		s.Collectors = append(s.Collectors, c)
		sources = append(sources, stockganglia.DataSource{Name: sys.Name, Step: Step, Addrs: []string{c.Addr}})
	}
	g := stockganglia.StartGmetad(tb, stockganglia.GmetadOptions{
		DataSources: sources, Gridname: Grid, RRAs: o.RRAs,
	})
	s.StockGmetad = g
	s.StockXML, s.StockInteractive, s.StockRRDRoot = g.XMLAddr, g.InteractiveAddr, g.RRDRoot
}

// startTees starts a tee per managed system in front of our gmetad's port
// and the stock collector's.
func (s *Scenario) startTees(tb testing.TB) {
	tb.Helper()
	for i, sys := range s.Systems {
		dests := []netip.AddrPort{loopback(s.OurPorts[i])}
		if s.Collectors != nil {
			dests = append(dests, loopback(s.Collectors[i].Port))
		}
		t, err := NewTee("127.0.0.1:0", dests...)
		if err != nil {
			tb.Fatalf("lpmscenario: tee of %s: %v", sys.Name, err)
		}
		done := make(chan error, 1)
		go func() { done <- t.Serve() }()
		tb.Cleanup(func() {
			t.Close()
			if err := <-done; err != nil {
				tb.Errorf("lpmscenario: tee of %s: %v", sys.Name, err)
			}
		})
		s.Tees = append(s.Tees, t)
	}
}

func loopback(port int) netip.AddrPort {
	return netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
}

// SystemOf is the managed system an LPAR runs on now.
func (s *Scenario) SystemOf(lpar string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.lparIndex(lpar)
	if i < 0 {
		return ""
	}
	return s.Systems[s.where[i]].Name
}

// On lists the LPARs on a managed system now, sorted.
func (s *Scenario) On(system string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for i, l := range s.LPARs {
		if s.Systems[s.where[i]].Name == system {
			out = append(out, l.Name)
		}
	}
	slices.Sort(out)
	return out
}

// Moves returns the moves so far, oldest first.
func (s *Scenario) Moves() []Move {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.moves)
}

func (s *Scenario) lparIndex(name string) int {
	return slices.IndexFunc(s.LPARs, func(l LPAR) bool { return l.Name == name })
}

func (s *Scenario) systemIndex(name string) int {
	return slices.IndexFunc(s.Systems, func(x System) bool { return x.Name == name })
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }
