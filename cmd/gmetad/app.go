package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/config"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/persist"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/web"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/cluster"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/metareq"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/xmlserve"
	"github.com/ganglia-lpm/ganglia-lpm/internal/daemon"
	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

const (
	// stateSaveInterval is how often the state file is written besides
	// at shutdown: what a crash or kill -9 may lose. Encoding the grid
	// costs about 0.2 CPU-s per 1,000 hosts × 50 metrics, and what a crash
	// loses is refreshed by the agents' next packets and metadata requests
	// within minutes anyway.
	stateSaveInterval = 5 * time.Minute
	// drainTimeout bounds the wait for XML clients at shutdown.
	drainTimeout = 3 * time.Second
	// flushTimeout bounds the last RRD step and flush at shutdown. It is
	// generous on purpose: nothing queued may be lost on SIGTERM, and at
	// 10,000 hosts (460k files) a final flush takes tens of seconds (5 s
	// lost the last step of nearly every file). A second signal still ends
	// the process at once; service managers need a stop timeout to match.
	flushTimeout = 10 * time.Minute
	// pollerStopWait bounds the wait for data-source pollers at shutdown:
	// one stuck in a read gives up only at its 10 s read timeout.
	pollerStopWait = time.Second
	// namerTimeout bounds the reverse DNS lookup that names a new host.
	namerTimeout = time.Second
	// logEvery is the period of throttled warnings.
	logEvery = time.Minute
)

// app is one running gmetad: the grid and everything that feeds it or
// reads it. Pipeline stages never know each other; app joins them.
type app struct {
	env      *environment
	s        *setup
	cfg      config.Config
	log      *slog.Logger
	throttle *logthrottle.Throttle
	grid     *grid.Grid
	started  time.Time
	hostname string // gethostname(), which stock's /status prints as "host"
	pidFile  string

	// mu serialises cluster changes (start, mapping reloads, shutdown)
	// and guards ports, live and mapping.
	mu      sync.Mutex
	live    bool
	mapping *mapping.Mapping // in force
	applied *mapping.Mapping // the one bind applied
	ports   map[int]*portListener
	watcher *mapping.Watcher

	xml, interactive *xmlserve.Server
	serveCtx         context.Context
	serveWG          sync.WaitGroup // Serve of every receiver and server
	closeWG          sync.WaitGroup // ports closing after a mapping change

	bgCtx  context.Context // pollers and tickers; cancelled first at shutdown
	bgStop context.CancelFunc
	tickWG sync.WaitGroup
	pollWG sync.WaitGroup
	steps  sync.Map // polled CLUSTER/GRID name -> its data_source step

	earlyStep chan struct{} // asks persistLoop for an extra step
	links     chan hostLink // links for linkLoop to make
	tree      *rrdstore.Tree
	rrdcached bool // updates go to rrdcached
	// store is our RRD writer (nil with rrdcached or no RRDs), set before
	// serving starts; the web interface flushes through it.
	store     *rrdstore.Store
	writer    persist.Writer
	persister *persist.Persister
	web       *web.Server // nil with web_address off

	meta     *metareq.Requester
	counters counters
}

// counters are the ones /status reports that no package keeps for us.
type counters struct {
	received            atomic.Uint64 // packets handed to the grid
	decodeErrors        atomic.Uint64
	xmlReqs, interReqs  atomic.Uint64
	xmlMillis, interMil atomic.Uint64
	pollOK, pollFailed  atomic.Uint64
	lastPollOK          atomic.Int64 // unix ns
	lastPollFailed      atomic.Int64
	badSources          sourceCounts
	xmlActive           atomic.Int64 // xml_port and interactive_port answers being written
}

// newApp starts gmetad: it checks the directories, binds every port,
// drops privileges, opens the RRD writer and starts serving. On error
// everything started is stopped again.
func newApp(env *environment, s *setup, logger *slog.Logger, pidFile string) (*app, error) {
	a := &app{env: env, s: s, cfg: s.cfg, log: logger, pidFile: pidFile, started: env.now(),
		throttle: logthrottle.New(logger, logEvery), ports: make(map[int]*portListener),
		earlyStep: make(chan struct{}, 1), links: make(chan hostLink, linkQueue)}
	a.hostname, _ = os.Hostname()
	a.serveCtx = context.Background()
	a.bgCtx, a.bgStop = context.WithCancel(context.Background())
	if err := a.startup(); err != nil {
		a.abort()
		return nil, err
	}
	return a, nil
}

// startup is newApp's sequence. The ports are bound as the user gmetad
// starts as (root may bind any), the pid file written, and only then are
// privileges dropped, before any RRD or state file is created.
func (a *app) startup() error {
	a.logSetup()
	if err := daemon.CheckPidFile(a.pidFile); err != nil {
		return err
	}
	var priv *daemon.Privileges // nil: keep the current user
	var err error
	if a.cfg.Setuid && a.env.root {
		if priv, err = daemon.LookupUser("setuid_username", a.cfg.SetuidUsername); err != nil {
			return err
		}
	}
	if err := a.prepareRRDRoot(priv); err != nil {
		return err
	}
	a.grid = grid.New(a.gridOptions())
	if err := a.watchMapping(); err != nil {
		return err
	}
	if err := a.bind(); err != nil {
		return err
	}
	a.loadState()
	if err := daemon.WritePidFile(a.pidFile); err != nil {
		return err
	}
	if err := priv.Drop(a.log); err != nil {
		return err
	}
	if err := a.openPersister(); err != nil {
		return err
	}
	a.checkStateDir()
	a.rebuildMoves()
	a.meta = metareq.New(a.log)
	a.start()
	return nil
}

// gridOptions turns the configuration into the grid's options.
func (a *app) gridOptions() grid.Options {
	c := a.cfg
	o := grid.DefaultOptions()
	o.GridName, o.Authority = c.GridName, c.Authority
	o.Cluster.HostTMax, o.Cluster.HostDMax = uint32(c.HostTmax), uint32(c.HostDmax)
	o.Cluster.HostnameFromPacket = c.HostnameFromPacket
	o.Cluster.MaxHosts, o.Cluster.MaxMetricsPerHost = c.MaxHostsPerCluster, c.MaxMetricsPerHost
	o.Cluster.MaxNameLen = c.MaxNameLength
	o.ConflictWindow, o.MoveHistory = c.LPMConflictWindow, c.MoveHistory
	o.Unsummarized, o.Summarized, o.SkipSflowVM = c.UnsummarizedMetrics, c.SummarizedMetrics, c.UnsummarizedSflowVM
	o.Logger = a.log
	if !c.HostnameFromPacket {
		// Stock gmond names a host by reverse DNS of its address, once.
		o.Namer = cluster.NewNamer(namerTimeout)
	}
	return o
}

// watchMapping starts the mapping watcher; its mapping (read again now,
// in case the file changed since load) is the one gmetad starts with.
func (a *app) watchMapping() error {
	a.mapping = a.s.mapping
	if a.s.mappingPath == "" {
		return nil
	}
	w, err := mapping.NewWatcher(a.s.mappingPath, a.mappingChanged, a.log)
	if err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	a.mu.Lock()
	a.watcher, a.mapping = w, w.Current()
	a.mu.Unlock()
	return nil
}

// bind opens every listening socket: the XML ports and each cluster's
// UDP and TCP port. Nothing is served yet.
func (a *app) bind() error {
	allow, err := a.trustedHosts()
	if err != nil {
		return err
	}
	xo := xmlserve.Options{Allow: allow, MaxConns: a.cfg.MaxXMLClients, MaxRequest: a.cfg.MaxRequestBytes,
		WriteTimeout: a.cfg.XMLWriteTimeout, Logger: a.log}
	if a.xml, err = xmlserve.New(listenAddr(a.cfg.XMLPort), xo); err != nil {
		return fmt.Errorf("xml_port: %w", err)
	}
	xo.ReadRequest = true
	if a.interactive, err = xmlserve.New(listenAddr(a.cfg.InteractivePort), xo); err != nil {
		return fmt.Errorf("interactive_port: %w", err)
	}
	if err := a.bindWeb(allow); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.applied = a.mapping
	_, err = a.applyClusters(clustersOf(a.mapping), true)
	return err
}

// start serves every bound socket and starts the pollers and tickers.
func (a *app) start() {
	a.mu.Lock()
	for _, pl := range a.ports {
		a.servePort(pl)
	}
	a.live = true
	if a.mapping != a.applied {
		// The file changed while gmetad was starting.
		a.applyClusters(clustersOf(a.mapping), false)
	}
	a.mu.Unlock()
	a.serve(a.xml, a.counted(a.serveXML))
	a.serve(a.interactive, a.counted(a.serveInteractive))
	a.serveWeb()
	a.startPollers()
	if a.persister != nil {
		a.tickWG.Add(2)
		go a.persistLoop()
		go a.linkLoop()
	}
	a.every(a.cfg.CleanupThreshold, func(now time.Time) {
		if h, m := a.grid.Expire(now); h+m > 0 {
			a.log.Debug("expired", "hosts", h, "metrics", m)
		}
	})
	a.every(stateSaveInterval, func(time.Time) { a.saveState() })
	a.logStarted()
}

// serve runs srv's Serve with h until shutdown.
func (a *app) serve(srv *xmlserve.Server, h xmlserve.HandlerFunc) {
	a.serveWG.Add(1)
	go func() {
		defer a.serveWG.Done()
		if err := srv.Serve(a.serveCtx, h); err != nil {
			a.log.Error("XML server stopped", "addr", srv.Addr(), "err", err)
		}
	}()
}

// every calls fn every d until shutdown; d <= 0 never.
func (a *app) every(d time.Duration, fn func(now time.Time)) {
	if d <= 0 {
		return
	}
	a.tickWG.Add(1)
	go func() {
		defer a.tickWG.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-a.bgCtx.Done():
				return
			case <-t.C:
				fn(a.env.now())
			}
		}
	}()
}

// listenAddr is the wildcard address of port (IPv6 and IPv4 where the
// OS allows dual-stack sockets).
func listenAddr(port int) string {
	return net.JoinHostPort("", strconv.Itoa(port))
}
