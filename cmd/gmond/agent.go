package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/collect"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/conf"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/identity"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/lpar"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/metric"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/schedule"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sender"
	"github.com/ganglia-lpm/ganglia-lpm/gmond/sysroot"
	"github.com/ganglia-lpm/ganglia-lpm/internal/logthrottle"
	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// agent is one running gmond: the sending side (collectors, scheduler,
// sender) unless mute, the collector role unless deaf, and the LPM logic
// that joins the chassis identity to the mapping. Its state is owned by
// the goroutine of loop; other goroutines talk to it through channels.
type agent struct {
	env      *environment
	opts     options
	log      *slog.Logger
	throttle *logthrottle.Throttle
	root     sysroot.Root
	started  time.Time

	s        *setup
	hostname string            // for the mapping's host rules and the packets
	id       identity.Identity // chassis last read
	target   mapping.Target    // what the mapping says for id; zero without a mapping
	location string            // value of the location metric

	sched *schedule.Scheduler // nil when mute
	send  *sender.Sender      // nil when mute
	coll  *collectorRole      // nil when deaf

	serveCtx    context.Context // the readers' context; stopServing ends it
	stopServing context.CancelFunc
	serving     *sync.WaitGroup

	requests chan string           // gmetadata_request names from the network
	mappings chan *mapping.Mapping // from the mapping watcher
	watcher  *mapping.Watcher
	moves    int // LPM moves seen, for logs and tests
}

// identityEvery is how often the throttle lets an identity read error
// through to the log.
const identityLogEvery = 10 * time.Minute

// newAgent starts gmond on s: it reads the chassis identity, resolves the
// target, binds every socket and sends nothing yet.
func newAgent(env *environment, s *setup, o options, logger *slog.Logger) (*agent, error) {
	a := &agent{env: env, opts: o, log: logger, s: s, root: sysroot.New(o.sysroot),
		throttle: logthrottle.New(logger, identityLogEvery), started: env.now(),
		requests: make(chan string, 64), mappings: make(chan *mapping.Mapping, 1)}
	g := &s.cfg.Globals
	if a.mute() && a.deaf() {
		return nil, errors.New("configuration is both deaf and mute: nothing to do (stock gmond refuses this too)")
	}
	a.hostname = g.OverrideHostname
	if a.hostname == "" {
		h, err := env.hostname()
		if err != nil {
			return nil, fmt.Errorf("hostname: %w", err)
		}
		a.hostname = h
	}
	a.readIdentity()
	if err := a.build(s); err != nil {
		a.closeParts()
		return nil, err
	}
	return a, nil
}

// startSending opens the send channels, pointed where the mapping says,
// and sets up the collectors and the scheduler.
func (a *agent) startSending() error {
	channels := a.sendChannels()
	for i, ch := range channels {
		if ch.Port == 0 || (ch.Host == "" && ch.McastJoin == "") {
			return fmt.Errorf("udp_send_channel at %s has no host or port, and the mapping gives none",
				a.s.cfg.UDPSend[i].Pos)
		}
	}
	snd, err := sender.New(sender.Options{
		Channels:  channels,
		Logger:    a.log,
		OnRequest: a.onRequest,
		Now:       a.env.now,
	})
	if err != nil {
		return err
	}
	a.send = snd
	cfg := a.s.cfg
	collectors := []metric.Collector{collect.NewCore(a.started, cfg.Globals.Gexec, func() string { return a.location })}
	collectors = append(collectors, collect.ForOS(a.env.goos, a.root, a.log)...)
	collectors = append(collectors, lpar.ForOS(a.env.goos, a.root, a.log)...)
	a.sched, err = schedule.New(schedule.Options{
		Groups:               scheduleGroups(cfg.Groups),
		Collectors:           collectors,
		SendMetadataInterval: cfg.Globals.SendMetadataInterval,
		Host:                 a.hostname,
		OverrideHostname:     cfg.Globals.OverrideHostname,
		OverrideIP:           cfg.Globals.OverrideIP,
		Send:                 snd.Send,
		Logger:               a.log,
	}, a.env.now())
	return err
}

// scheduleGroups turns gmond.conf's collection groups into the
// scheduler's.
func scheduleGroups(groups []conf.CollectionGroup) []schedule.Group {
	out := make([]schedule.Group, 0, len(groups))
	for _, g := range groups {
		sg := schedule.Group{Once: g.CollectOnce, Every: g.CollectEvery, Threshold: g.TimeThreshold}
		for _, m := range g.Metrics {
			sg.Metrics = append(sg.Metrics, schedule.Metric{Name: m.Name, Match: m.NameMatch,
				ValueThreshold: m.ValueThreshold, Title: m.Title})
		}
		out = append(out, sg)
	}
	return out
}

// sendChannels is gmond.conf's udp_send_channels with the mapping's port
// and collector applied to every unicast channel. A multicast channel (as
// in Debian's stock gmond.conf) becomes unicast to the mapping's collector
// when the mapping names one; otherwise it stays as written, since
// multicast does not cross the firewalls the mapping's ports are for.
func (a *agent) sendChannels() []sender.Channel {
	var out []sender.Channel
	for _, c := range a.s.cfg.UDPSend {
		ch := sender.Channel{Host: c.Host, Port: c.Port, McastJoin: c.McastJoin, McastIf: c.McastIf,
			TTL: c.TTL, Bind: c.Bind, BindHostname: c.BindHostname, SourcePort: c.SourcePort}
		switch {
		case a.target.Port == 0:
		case c.McastJoin == "":
			ch.Port = a.target.Port
			if a.target.Collector != "" {
				ch.Host = a.target.Collector
			}
		case a.target.Collector != "":
			ch.McastJoin, ch.McastIf, ch.Host, ch.Port = "", "", a.target.Collector, a.target.Port
		default:
			a.log.Warn("multicast udp_send_channel left as written: the mapping names no collector to send to",
				"at", c.Pos.String(), "mcast_join", c.McastJoin)
		}
		out = append(out, ch)
	}
	return out
}

// onRequest is the sender's callback for a gmetadata_request that came
// back on a send socket. It runs on the sender's goroutine.
func (a *agent) onRequest(id xdr.MetricID) {
	select {
	case a.requests <- id.Name:
	default: // the loop is behind; the periodic resend covers it
	}
}

// readIdentity reads the chassis identity; a failure keeps the last one.
func (a *agent) readIdentity() bool {
	id, err := identity.Read(a.root, a.env.goos)
	if err != nil {
		a.throttle.Log(context.Background(), "identity", "chassis identity not readable; keeping the last one",
			"err", err)
		return false
	}
	changed := a.id.Source != "" && !id.SameChassis(a.id)
	a.id = id
	return changed
}

// resolve applies the mapping to the current identity: target, location
// and cluster name.
func (a *agent) resolve() {
	a.location = a.s.cfg.Host.Location
	a.target = mapping.Target{}
	if a.s.m != nil {
		a.target = a.s.m.Resolve(a.hostname, a.id.ModelSerial)
		if a.target.Location != "" {
			a.location = a.target.Location
		}
	}
	if a.opts.location != "" {
		a.location = a.opts.location
	}
}

// clusterName is the CLUSTER NAME of the collector role's dump.
func (a *agent) clusterName() string {
	if a.target.Cluster != "" {
		return a.target.Cluster
	}
	return a.s.cfg.Cluster.Name
}
