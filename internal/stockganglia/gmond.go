package stockganglia

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// startAttempts is how often a Start function tries fresh ports when the
// daemon exits before answering (another process took the port in between).
const startAttempts = 3

// ClusterInfo is a gmond cluster section; empty fields are left out, so gmond
// prints "unspecified" for them.
type ClusterInfo struct {
	Name    string // default "stockganglia"
	Owner   string
	LatLong string
	URL     string
}

// CollectorOptions configure a collector gmond: mute = yes, deaf = no, one
// udp_recv_channel and one tcp_accept_channel on the same port.
type CollectorOptions struct {
	Bind    string // address of both channels; default 127.0.0.1
	Port    int    // UDP and TCP port; 0 picks a free one
	Cluster ClusterInfo
	Tags    string // globals.tags, printed in TAGS of every host
	Gzip    bool   // tcp_accept_channel gzip_output

	// HostTmax, HostDmax and CleanupThreshold are the globals of the same
	// name in seconds; 0 means gmond's compiled default (20, 86400, 300)
	// and a negative value writes 0 (for host_dmax: never expire hosts).
	HostTmax, HostDmax, CleanupThreshold int

	// SendChannels (host:port) receive the metadata requests a mute
	// collector still sends for values without metadata.
	SendChannels []string

	Extra string // raw gmond.conf text appended to the generated file
}

// SenderOptions configure a sender gmond: mute = no, deaf = yes, Debian's
// modules and collection groups, one udp_send_channel per entry of Channels.
type SenderOptions struct {
	Channels []string // host:port of every udp_send_channel; required
	Bind     string   // source address of every send channel, e.g. 127.0.0.2

	// OverrideHostname and OverrideIP make gmond spoof its own identity as
	// "override_ip:override_hostname" (override_hostname twice without IP).
	OverrideHostname, OverrideIP string

	SendMetadataInterval int // seconds; 0 = only at start-up and on request
	Cluster              ClusterInfo
	Location             string // host.location, sent as the location metric
	Tags                 string

	// CollectionGroups replaces DebianCollectionGroups when set.
	CollectionGroups string
	Extra            string // raw gmond.conf text appended to the generated file
}

// Gmond is a running stock gmond.
type Gmond struct {
	Port     int    // UDP and TCP port of a collector; 0 for a sender
	Addr     string // bind:port of a collector (UDP and TCP); "" for a sender
	Dir      string // temporary directory with the config and the log
	ConfPath string
	LogPath  string
	proc     *process
}

// Pid returns the daemon's process id, e.g. to read its CPU time and RSS
// from /proc.
func (g *Gmond) Pid() int { return g.proc.pid() }

// StartCollector starts a collector gmond and waits until it serves its XML.
// It is stopped when tb ends.
func StartCollector(tb testing.TB, opts CollectorOptions) *Gmond {
	tb.Helper()
	bin := binary(tb, "gmond")
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			port = FreePort(tb)
		}
		conf, err := collectorConf(&opts, port)
		if err != nil {
			tb.Fatalf("stockganglia: collector config: %v", err)
		}
		g := startGmond(tb, bin, conf)
		g.Port = port
		g.Addr = net.JoinHostPort(opts.Bind, strconv.Itoa(port))
		err = g.proc.waitReady(startTimeout, func() error {
			b, err := FetchXML(g.Addr, ioTimeout)
			if err == nil {
				_, err = ParseXML(b)
			}
			return err
		})
		if err == nil {
			return g
		}
		if !errors.Is(err, errExited) || opts.Port != 0 || attempt == startAttempts {
			tb.Fatalf("stockganglia: collector gmond on %s (config %s): %v", g.Addr, g.ConfPath, err)
		}
	}
}

// StartSender starts a sender gmond. A sender is deaf and has no port to
// poll, so StartSender returns at once; wait for its metrics at a collector.
// It is stopped when tb ends.
func StartSender(tb testing.TB, opts SenderOptions) *Gmond {
	tb.Helper()
	if len(opts.Channels) == 0 {
		tb.Fatalf("stockganglia: StartSender needs at least one send channel")
	}
	bin := binary(tb, "gmond")
	conf, err := senderConf(&opts, moduleDir(tb))
	if err != nil {
		tb.Fatalf("stockganglia: sender config: %v", err)
	}
	return startGmond(tb, bin, conf)
}

func startGmond(tb testing.TB, bin, conf string) *Gmond {
	tb.Helper()
	dir := tb.TempDir()
	g := &Gmond{Dir: dir, ConfPath: filepath.Join(dir, "gmond.conf")}
	if err := os.WriteFile(g.ConfPath, []byte(conf), 0o644); err != nil {
		tb.Fatalf("stockganglia: %v", err)
	}
	// -f keeps gmond in the foreground with errors on stderr.
	g.proc = launch(tb, "gmond", dir, bin, "-c", g.ConfPath, "-f")
	g.LogPath = g.proc.logPath
	return g
}

// PID returns the process id of the daemon.
func (g *Gmond) PID() int { return g.proc.pid() }

// Stop stops the daemon now (SIGTERM, then SIGKILL) and waits for it; the
// cleanup does the same when the test ends.
func (g *Gmond) Stop() { g.proc.stop() }

// Exited reports whether the daemon has ended.
func (g *Gmond) Exited() bool { return g.proc.exited() }

// Log returns the end of the daemon's stdout and stderr.
func (g *Gmond) Log() string { return g.proc.logTail() }

// XML returns the collector's XML dump.
func (g *Gmond) XML(tb testing.TB) []byte {
	tb.Helper()
	if g.Addr == "" {
		tb.Fatalf("stockganglia: a sender gmond is deaf and serves no XML")
	}
	b, err := FetchXML(g.Addr, ioTimeout)
	if err != nil {
		tb.Fatalf("stockganglia: fetching gmond XML from %s: %v", g.Addr, err)
	}
	return b
}

// Doc returns the collector's XML dump, parsed.
func (g *Gmond) Doc(tb testing.TB) *Doc {
	tb.Helper()
	d, err := ParseXML(g.XML(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// WaitFor polls the collector's XML until pred returns nil and returns that
// document; it fails tb with pred's last error after timeout.
func (g *Gmond) WaitFor(tb testing.TB, timeout time.Duration, pred func(*Doc) error) *Doc {
	tb.Helper()
	if g.Addr == "" {
		tb.Fatalf("stockganglia: a sender gmond is deaf and serves no XML")
	}
	return waitForDoc(tb, timeout, func() ([]byte, error) { return FetchXML(g.Addr, ioTimeout) }, pred)
}
