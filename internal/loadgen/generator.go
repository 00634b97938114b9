package loadgen

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

// Stats counts what a Generator sent. Errors are failed sends or encodings;
// a failed packet is not retried, as gmond does not retry.
type Stats struct {
	Packets, Bytes, Errors uint64
	Rounds                 uint64 // rounds finished (their last host sent)
	// Skipped counts host rounds Run dropped because it fell more than one
	// interval behind (a stalled machine): like gmond, it does not catch up.
	Skipped   uint64
	LastError string // the last send error, "" if none
}

// Generator is a simulated fleet with its sockets. Round and Run must not be
// called concurrently; Stats, ValueAt and VAL may be called at any time.
type Generator struct {
	cfg     Config
	metrics []Metric
	beat    Metric
	hosts   []host
	tr      transport
	started uint32 // heartbeat value: the fleet's "gmond start" time

	mu  sync.Mutex // serialises sending: buf, seq, t0 and hosts' metadata times
	buf []byte
	seq int64     // next host round to send: round seq/Hosts, host seq%Hosts
	t0  time.Time // start of round 0 on Run's clock

	packets, bytes, errors, rounds, skipped atomic.Uint64
	lastErr                                 atomic.Pointer[string]
}

// host is one simulated agent.
type host struct {
	id       xdr.MetricID // Host (name or "IP:name") and Spoof; Name is set per metric
	dst      []netip.AddrPort
	metaSent time.Time // when its metadata was last sent
	metaDone bool      // metadata was sent at least once
}

// New validates cfg, applies its defaults and opens the sockets. Close it.
func New(cfg Config) (*Generator, error) {
	g, err := newGenerator(cfg)
	if err != nil {
		return nil, err
	}
	if g.tr, err = openTransport(&g.cfg); err != nil {
		return nil, err
	}
	return g, nil
}

// newGenerator builds everything but the sockets (tests plug in their own).
func newGenerator(cfg Config) (*Generator, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	dst, err := resolveTargets(&cfg)
	if err != nil {
		return nil, err
	}
	g := &Generator{
		cfg: cfg, metrics: Metrics(cfg.Metrics), beat: heartbeatMetric(),
		hosts: make([]host, cfg.Hosts), started: uint32(cfg.Now().Unix()),
		buf: make([]byte, 0, xdr.MaxPacket),
	}
	for i := range g.hosts {
		h := &g.hosts[i]
		h.dst = dst[i]
		h.id.Host = cfg.Name(i)
		if cfg.Spoof {
			// gmond with override_hostname: "override_ip:override_hostname".
			a, _ := hostAddr(cfg.SourceBase, i)
			h.id = xdr.MetricID{Host: a.String() + ":" + h.id.Host, Spoof: true}
		}
	}
	return g, nil
}

// Close closes the sockets.
func (g *Generator) Close() error { return g.tr.close() }

// Metrics returns the metrics every host sends, in order (heartbeat, if
// configured, is sent before them and is not in the list).
func (g *Generator) Metrics() []Metric { return g.metrics }

// Addr returns host i's source address (in spoof mode: the IP of its spoof
// string).
func (g *Generator) Addr(i int) netip.Addr {
	a, _ := hostAddr(g.cfg.SourceBase, i)
	return a
}

// Name returns host i's name (Config.Name).
func (g *Generator) Name(i int) string { return g.cfg.Name(i) }

// Stats returns the counters so far.
func (g *Generator) Stats() Stats {
	s := Stats{
		Packets: g.packets.Load(), Bytes: g.bytes.Load(), Errors: g.errors.Load(),
		Rounds: g.rounds.Load(), Skipped: g.skipped.Load(),
	}
	if p := g.lastErr.Load(); p != nil {
		s.LastError = *p
	}
	return s
}

// Round sends the next round synchronously: every host in order, each with
// its metadata (in its first round and then when MetadataInterval has
// passed on Config.Now) and its values. It returns the first send error;
// the other packets are still sent.
func (g *Generator) Round(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := int64(len(g.hosts))
	step := (g.seq + n - 1) / n // a round Run left half-sent is abandoned
	now := g.cfg.Now()
	var first error
	for i := range g.hosts {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := g.sendHost(i, step, now); err != nil && first == nil {
			first = err
		}
	}
	g.seq = (step + 1) * n
	g.rounds.Add(1)
	return first
}

// sendHost sends host i's packets for round step in gmond's order: for each
// metric its metadata when due, then its value (PROTOCOL.md §2.2).
func (g *Generator) sendHost(i int, step int64, now time.Time) error {
	h := &g.hosts[i]
	meta := !h.metaDone || (g.cfg.MetadataInterval > 0 && now.Sub(h.metaSent) >= g.cfg.MetadataInterval)
	if meta {
		h.metaDone, h.metaSent = true, now
	}
	var first error
	if g.cfg.Heartbeat {
		// Once per round; gmond sends it every 20 s (time_threshold 20).
		v := xdr.Value{Fmt: g.beat.Fmt, U: g.started}
		first = g.sendMetric(i, &g.beat, meta, &v)
	}
	for j := range g.metrics {
		v := g.wireValue(i, j, step)
		if err := g.sendMetric(i, &g.metrics[j], meta, &v); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// sendMetric encodes metric m's metadata (if meta) and value into the
// reusable buffer and sends each to all of host i's targets.
func (g *Generator) sendMetric(i int, m *Metric, meta bool, v *xdr.Value) error {
	h := &g.hosts[i]
	id := h.id
	id.Name = m.Meta.Name
	var first error
	if meta {
		b, err := xdr.AppendMetadata(g.buf[:0], id, &m.Meta)
		first = g.send(i, b, err)
	}
	b, err := xdr.AppendValue(g.buf[:0], m.ID, id, v)
	if err := g.send(i, b, err); err != nil && first == nil {
		first = err
	}
	return first
}

// send hands one encoded packet to every target of host i and counts it.
func (g *Generator) send(i int, b []byte, encErr error) error {
	if encErr != nil {
		return g.fail(encErr)
	}
	var first error
	for _, dst := range g.hosts[i].dst {
		if err := g.tr.send(i, dst, b); err != nil {
			if err = g.fail(err); first == nil {
				first = err
			}
			continue
		}
		g.packets.Add(1)
		g.bytes.Add(uint64(len(b)))
	}
	return first
}

func (g *Generator) fail(err error) error {
	g.errors.Add(1)
	s := err.Error()
	g.lastErr.Store(&s)
	return err
}
