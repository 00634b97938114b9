package conf

import (
	"fmt"
	"time"
)

// Pos is where a section or option was written: the file (as named to
// Parse, or the resolved include path) and its 1-based line.
type Pos struct {
	File string
	Line int
}

// String returns "file:line".
func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Config is a parsed gmond.conf: stock defaults (PROTOCOL.md §2.1, except
// SendMetadataInterval) with the file's values on top. Repeated sections
// (channels, collection groups, modules) keep file order, includes spliced
// in where the include statement stood.
type Config struct {
	Globals   Globals
	Cluster   Cluster
	Host      Host
	UDPSend   []UDPSend
	UDPRecv   []UDPRecv
	TCPAccept []TCPAccept
	Groups    []CollectionGroup
	// Modules are read so a stock file parses, but never loaded: the
	// metrics are built into this agent. Their presence is one warning.
	Modules []Module
	// Warnings are "file:line: key: message" lines for options that were
	// accepted but ignored (unknown keys, modules, multicast where the
	// platform has none), in file order. The caller logs them.
	Warnings []string
	// Files is every file read, the main file first, then includes in the
	// order they were read (each once), for reload watching.
	Files []string
}

// Globals is the globals section.
type Globals struct {
	Daemonize      bool
	Setuid         bool
	User           string
	DebugLevel     int
	MaxUDPMsgLen   int
	Mute, Deaf     bool
	AllowExtraData bool
	// HostDmax deletes hosts silent for longer; 0 keeps them forever.
	HostDmax time.Duration
	// HostTmax is printed as every host's TMAX in the XML dump.
	HostTmax time.Duration
	// CleanupThreshold is the minimum time between expiry sweeps.
	CleanupThreshold time.Duration
	Gexec            bool
	// SendMetadataInterval re-sends metadata at least this often; 0 sends
	// it only at start and on request. Default 60 s here (stock: 0), so a
	// collector that restarts learns the metrics again over unicast.
	SendMetadataInterval time.Duration
	ModuleDir            string
	OverrideHostname     string
	OverrideIP           string
	Tags                 string
}

// Cluster is the cluster section: the CLUSTER element's attributes.
type Cluster struct {
	Name, Owner, Latlong, URL string
}

// Host is the host section.
type Host struct {
	Location string
}

// UDPSend is one udp_send_channel. Port 0 means "not set": the mapping
// file may supply it (and Host), so the caller validates the final target.
type UDPSend struct {
	McastJoin    string
	McastIf      string
	Host         string
	Port         int
	TTL          int
	Bind         string
	BindHostname bool
	// SourcePort fixes the UDP source port (an extension for firewall
	// rules that match it); 0 lets the kernel choose.
	SourcePort int
	Pos        Pos
}

// UDPRecv is one udp_recv_channel. Port 0 asks the kernel for a free port.
type UDPRecv struct {
	McastJoin string
	McastIf   string
	Bind      string
	Port      int
	ACL       *ACL
	// Family is "inet4" or "inet6" (stock picks by a "4" or "6" in it).
	Family    string
	RetryBind bool
	// Buffer is SO_RCVBUF in bytes; 0 keeps the system default.
	Buffer int
	Pos    Pos
}

// TCPAccept is one tcp_accept_channel (the XML dump port).
type TCPAccept struct {
	Bind      string
	Port      int
	Interface string // read but unused, as in stock gmond
	ACL       *ACL
	// Timeout is stock's poll timeout in microseconds; -1 blocks.
	Timeout    int
	Family     string
	GzipOutput bool
	Pos        Pos
}

// CollectionGroup is one collection_group: its metrics are collected every
// CollectEvery (or once) and sent together at least every TimeThreshold,
// or sooner when one crosses its value threshold (PROTOCOL.md §2.2).
type CollectionGroup struct {
	CollectOnce   bool
	CollectEvery  time.Duration
	TimeThreshold time.Duration
	Metrics       []GroupMetric
	Pos           Pos
}

// GroupMetric is one metric { } entry. NameMatch, when set, is a regular
// expression (checked to compile with Go's regexp) and takes precedence
// over Name, as in stock gmond.
type GroupMetric struct {
	Name      string
	NameMatch string
	// ValueThreshold triggers a send of the whole group when the value
	// moves by at least this much; -1 disables it.
	ValueThreshold float64
	Title          string
	Pos            Pos
}

// Module is one modules { module { } } entry, kept for reporting only.
type Module struct {
	Name, Language, Path, Params string
	Enabled                      bool
	Param                        []ModuleParam
	Pos                          Pos
}

// ModuleParam is a module's param NAME { value = ... }.
type ModuleParam struct {
	Name, Value string
}

// Stock defaults (lib/libgmond.c 3.7.2 option tables).
const (
	defaultMaxUDPMsgLen  = 1472
	defaultHostDmax      = 86400 * time.Second
	defaultHostTmax      = 20 * time.Second
	defaultCleanup       = 300 * time.Second
	defaultMetadataEvery = 60 * time.Second // stock: 0 (DESIGN.md decision 5)
	defaultCollectEvery  = 60 * time.Second
	defaultTimeThreshold = 3600 * time.Second
	unspecified          = "unspecified"
)

// base returns a Config holding only the option defaults: no channels, no
// collection groups (an empty file gives exactly this, as in stock).
func base() *Config {
	return &Config{
		Globals: Globals{
			Daemonize:            true,
			Setuid:               true,
			User:                 "nobody",
			MaxUDPMsgLen:         defaultMaxUDPMsgLen,
			AllowExtraData:       true,
			HostDmax:             defaultHostDmax,
			HostTmax:             defaultHostTmax,
			CleanupThreshold:     defaultCleanup,
			SendMetadataInterval: defaultMetadataEvery,
		},
		Cluster: Cluster{Name: unspecified, Owner: unspecified, Latlong: unspecified, URL: unspecified},
		Host:    Host{Location: unspecified},
	}
}

func newUDPSend(p Pos) UDPSend { return UDPSend{TTL: 1, Pos: p} }

func newUDPRecv(p Pos) UDPRecv { return UDPRecv{Family: "inet4", RetryBind: true, Pos: p} }

func newTCPAccept(p Pos) TCPAccept { return TCPAccept{Timeout: -1, Family: "inet4", Pos: p} }

func newGroup(p Pos) CollectionGroup {
	return CollectionGroup{CollectEvery: defaultCollectEvery, TimeThreshold: defaultTimeThreshold, Pos: p}
}

func newGroupMetric(p Pos) GroupMetric { return GroupMetric{ValueThreshold: -1, Pos: p} }

func newModule(p Pos) Module { return Module{Enabled: true, Pos: p} }
