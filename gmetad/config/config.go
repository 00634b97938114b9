package config

import (
	"os"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// Stock gmetad 3.7.2 compiled-in defaults (gmetad/conf.c.in set_defaults,
// PROTOCOL.md §4.1).
const (
	DefaultXMLPort         = 8651
	DefaultInteractivePort = 8652
	DefaultGridName        = "unspecified"
	DefaultRRDRootDir      = "/var/lib/ganglia/rrds" // @varstatedir@ on Debian
	DefaultSetuidUsername  = "nobody"
	DefaultServerThreads   = 4
	DefaultStep            = 15   // data_source polling interval, seconds
	DefaultGmondPort       = 8649 // data_source address without a port
)

// DefaultCheckReport is check_report with the default rrd_rootdir: where
// the shipped ganglia-lpm-check.service writes its report.
const DefaultCheckReport = "/var/lib/ganglia/lpm-check.json"

// DefaultRRAs is the archive list of gmetad 3.7.2 without an RRAs line.
var DefaultRRAs = []string{
	"RRA:AVERAGE:0.5:1:5856",
	"RRA:AVERAGE:0.5:4:20160",
	"RRA:AVERAGE:0.5:40:52704",
}

// DataSource is one data_source line: a gmond or gmetad polled for XML
// (PROTOCOL.md §4.2).
type DataSource struct {
	Name  string   `json:"name"`  // label of the source; not a directory name
	Step  int      `json:"step"`  // polling interval in seconds (default 15)
	Addrs []string `json:"addrs"` // host:port, tried in order (default port 8649)
	Line  int      `json:"line"`  // line of the data_source directive, for messages
}

// Config is the gmetad configuration. The first group of fields are the
// directives of stock gmetad 3.7.2 under their gmetad.conf names; the second
// group are ganglia-lpm's own directives, which stock gmetad refuses.
type Config struct {
	DataSources     []DataSource `json:"data_source"`
	GridName        string       `json:"gridname"`
	Authority       string       `json:"authority"`     // GRID AUTHORITY URL
	TrustedHosts    []string     `json:"trusted_hosts"` // names or IPs; the caller resolves them
	AllTrusted      bool         `json:"all_trusted"`
	DebugLevel      int          `json:"debug_level"`
	XMLPort         int          `json:"xml_port"`         // 0 = any free port
	InteractivePort int          `json:"interactive_port"` // 0 = any free port
	ServerThreads   int          `json:"server_threads"`   // accepted, not used
	Umask           int          `json:"umask"`            // already masked with 07077, as stock does
	RRDRootDir      string       `json:"rrd_rootdir"`
	// RRDCachedAddress is rrdcached_address as written ("" = write files
	// directly); rrdcached.ParseAddress accepts it.
	RRDCachedAddress       string   `json:"rrdcached_address"`
	Setuid                 bool     `json:"setuid"`
	SetuidUsername         string   `json:"setuid_username"`
	Scalable               bool     `json:"scalable"`
	WriteRRDs              bool     `json:"write_rrds"`
	RRAs                   []string `json:"RRAs"`
	CaseSensitiveHostnames bool     `json:"case_sensitive_hostnames"`
	UnsummarizedMetrics    []string `json:"unsummarized_metrics"` // name prefixes
	UnsummarizedSflowVM    bool     `json:"unsummarized_sflow_vm_metrics"`
	SummarizedMetrics      []string `json:"summarized_metrics"`

	// Graphite, memcached and Riemann export: accepted so that stock
	// configurations load, but not implemented (each line warns).
	CarbonServer                 string        `json:"carbon_server"`
	CarbonPort                   int           `json:"carbon_port"`
	CarbonProtocol               string        `json:"carbon_protocol"`
	CarbonTimeout                time.Duration `json:"carbon_timeout"` // milliseconds in the file
	GraphitePrefix               string        `json:"graphite_prefix"`
	GraphitePath                 string        `json:"graphite_path"`
	MemcachedParameters          string        `json:"memcached_parameters"`
	MemcachedIncludeClusterInKey bool          `json:"memcached_include_cluster_in_key"`
	RiemannServer                string        `json:"riemann_server"`
	RiemannPort                  int           `json:"riemann_port"`
	RiemannProtocol              string        `json:"riemann_protocol"`
	RiemannAttributes            string        `json:"riemann_attributes"`

	Extensions
}

// Extensions are the ganglia-lpm directives: the collector role that
// replaces the per-managed-system gmonds, the LPM move logic and the limits
// that keep hostile input bounded. Stock gmetad exits with "Unknown
// Config-Option" on any of them.
type Extensions struct {
	// StateFile keeps cluster state and move history across restarts; ""
	// lets the caller derive it beside rrd_rootdir (never inside it).
	StateFile string `json:"state_file"`
	// Mapping is the TOML mapping file; the --mapping flag overrides it.
	Mapping       string `json:"mapping"`
	UDPRecvBuffer int    `json:"udp_recv_buffer"` // SO_RCVBUF in bytes, 0 = kernel default
	UDPReaders    int    `json:"udp_readers"`     // goroutines per UDP port
	// HostTmax and HostDmax are gmond's host_tmax and host_dmax for the
	// embedded collectors: every HOST's TMAX and DMAX, and DMAX > 0
	// deletes hosts silent for longer (seconds).
	HostTmax           int           `json:"host_tmax"`
	HostDmax           int           `json:"host_dmax"`
	CleanupThreshold   time.Duration `json:"cleanup_threshold"` // gmond's expiry sweep interval
	HostnameFromPacket bool          `json:"hostname_from_packet"`
	// LPMConflictWindow is how close two reports of one host from two
	// clusters must be to count as a conflict instead of a move.
	LPMConflictWindow  time.Duration `json:"lpm_conflict_window"`
	MoveHistory        int           `json:"move_history"` // moves remembered
	MaxHostsPerCluster int           `json:"max_hosts_per_cluster"`
	MaxMetricsPerHost  int           `json:"max_metrics_per_host"`
	MaxNameLength      int           `json:"max_name_length"` // bytes, at most NAME_MAX
	MaxXMLClients      int           `json:"max_xml_clients"` // concurrent connections, both ports
	MaxRequestBytes    int           `json:"max_request_bytes"`
	XMLWriteTimeout    time.Duration `json:"xml_write_timeout"`
	// WebAddress is the web UI's listen address; "" = off.
	WebAddress string `json:"web_address"`
	// CheckReport is the JSON Lines output of the last `ganglia-lpm check
	// --json` that the web UI shows; "" = none. Its default depends on
	// rrd_rootdir (DefaultCheckReportFor).
	CheckReport      string        `json:"check_report"`
	RRDFlushInterval time.Duration `json:"rrd_flush_interval"`
	// RRDOverflowFlushInterval replaces RRDFlushInterval while gmetad
	// writes more RRD files than it keeps open (rrd_max_open).
	RRDOverflowFlushInterval time.Duration `json:"rrd_overflow_flush_interval"`
	RRDMaxOpen               int           `json:"rrd_max_open"` // open RRD files kept, 0 = automatic
}

// Default returns the configuration of a gmetad.conf without directives:
// stock gmetad 3.7.2's compiled-in defaults, with the authority built from
// this machine's host name as stock gmetad does at start-up, plus the
// defaults of the ganglia-lpm extensions.
func Default() Config {
	host, err := os.Hostname()
	if err != nil {
		host = "localhost"
	}
	return DefaultFor(host)
}

// DefaultFor is Default with the host name given, for reproducible output.
func DefaultFor(hostname string) Config {
	return Config{
		GridName:               DefaultGridName,
		Authority:              "http://" + hostname + "/ganglia/",
		XMLPort:                DefaultXMLPort,
		InteractivePort:        DefaultInteractivePort,
		ServerThreads:          DefaultServerThreads,
		RRDRootDir:             DefaultRRDRootDir,
		Setuid:                 true,
		SetuidUsername:         DefaultSetuidUsername,
		Scalable:               true,
		WriteRRDs:              true,
		RRAs:                   slices.Clone(DefaultRRAs),
		CaseSensitiveHostnames: true, // 1 in conf.c.in and Debian; the upstream sample conf says 0
		CarbonPort:             2003,
		CarbonProtocol:         "tcp",
		CarbonTimeout:          500 * time.Millisecond,
		RiemannPort:            5555,
		RiemannProtocol:        "udp",
		Extensions:             DefaultExtensions(),
	}
}

// DefaultExtensions returns the defaults of the ganglia-lpm directives.
// host_tmax, host_dmax and cleanup_threshold are those of stock gmond's
// built-in configuration (gmond -t): hosts silent for a day leave the XML.
// Debian's shipped gmond.conf says host_dmax 0 (never); write that to keep
// down hosts forever as a collector gmond from Debian does.
func DefaultExtensions() Extensions {
	return Extensions{
		UDPRecvBuffer:            4 << 20,
		UDPReaders:               2,
		HostTmax:                 20,
		HostDmax:                 86400,
		CleanupThreshold:         300 * time.Second,
		LPMConflictWindow:        60 * time.Second,
		MoveHistory:              1000,
		MaxHostsPerCluster:       20000,
		MaxMetricsPerHost:        1024,
		MaxNameLength:            255,
		MaxXMLClients:            128,
		MaxRequestBytes:          2048,
		XMLWriteTimeout:          60 * time.Second,
		WebAddress:               "127.0.0.1:8650",
		CheckReport:              DefaultCheckReport,
		RRDFlushInterval:         5 * time.Second,
		RRDOverflowFlushInterval: rrdstore.DefaultOverflowFlushInterval,
	}
}

// clone returns c with its own copies of every slice, so that parsing on
// top of a base never writes into the base's arrays.
func (c Config) clone() Config {
	c.TrustedHosts = slices.Clone(c.TrustedHosts)
	c.RRAs = slices.Clone(c.RRAs)
	c.UnsummarizedMetrics = slices.Clone(c.UnsummarizedMetrics)
	c.SummarizedMetrics = slices.Clone(c.SummarizedMetrics)
	c.DataSources = slices.Clone(c.DataSources)
	for i := range c.DataSources {
		c.DataSources[i].Addrs = slices.Clone(c.DataSources[i].Addrs)
	}
	return c
}
