package config

import (
	"math"
	"path/filepath"
	"time"
)

// extensionDirectives are ganglia-lpm's own directives. Stock gmetad exits
// on each of them ("Unknown Config-Option"), so a file that uses them is for
// ganglia-lpm only.
func extensionDirectives() []directive {
	e := func(c *Config) *Extensions { return &c.Extensions }
	ds := []directive{
		strDir("state_file", "cluster state and move history kept across restarts; unset: next to rrd_rootdir, never inside it",
			func(c *Config) *string { return &e(c).StateFile }, nil),
		strDir("mapping", "TOML mapping of managed systems to clusters and ports (--mapping overrides)",
			func(c *Config) *string { return &e(c).Mapping }, nil),
		intDir("udp_recv_buffer", "SO_RCVBUF of each UDP port in bytes (0 = kernel default)",
			0, math.MaxInt32, func(c *Config) *int { return &e(c).UDPRecvBuffer }),
		intDir("udp_readers", "goroutines reading each UDP port",
			1, 1024, func(c *Config) *int { return &e(c).UDPReaders }),
		intDir("host_tmax", "gmond's host_tmax: TMAX of every HOST, seconds",
			0, math.MaxInt32, func(c *Config) *int { return &e(c).HostTmax }),
		intDir("host_dmax", "gmond's host_dmax: delete hosts silent this long, seconds (0 = never)",
			0, math.MaxInt32, func(c *Config) *int { return &e(c).HostDmax }),
		secondsDir("cleanup_threshold", "gmond's cleanup_threshold: seconds between expiry sweeps",
			time.Second, 1, func(c *Config) *time.Duration { return &e(c).CleanupThreshold }),
		toggleDir("hostname_from_packet", "name hosts by the host name in their packets instead of reverse DNS",
			func(c *Config) *bool { return &e(c).HostnameFromPacket }),
		secondsDir("lpm_conflict_window", "seconds within which reports of one host from two clusters are a conflict, not a move",
			time.Second, 0, func(c *Config) *time.Duration { return &e(c).LPMConflictWindow }),
		intDir("move_history", "host moves remembered",
			0, math.MaxInt32, func(c *Config) *int { return &e(c).MoveHistory }),
		intDir("max_hosts_per_cluster", "hosts a cluster may hold; packets of more are dropped and counted",
			1, math.MaxInt32, func(c *Config) *int { return &e(c).MaxHostsPerCluster }),
		intDir("max_metrics_per_host", "metrics a host may have",
			1, math.MaxInt32, func(c *Config) *int { return &e(c).MaxMetricsPerHost }),
		intDir("max_name_length", "longest cluster, host or metric name in bytes (file names stop at 255)",
			1, 255, func(c *Config) *int { return &e(c).MaxNameLength }),
		intDir("max_xml_clients", "connections served at once on xml_port and interactive_port together",
			1, math.MaxInt32, func(c *Config) *int { return &e(c).MaxXMLClients }),
		intDir("max_request_bytes", "longest interactive request line in bytes",
			1, math.MaxInt32, func(c *Config) *int { return &e(c).MaxRequestBytes }),
		secondsDir("xml_write_timeout", "seconds a client may take to read an XML answer",
			time.Second, 1, func(c *Config) *time.Duration { return &e(c).XMLWriteTimeout }),
		{name: "web_address", str: true, min: 1, max: 1, set: setWebAddress, get: getWebAddress,
			doc: `host:port of the web UI (pages, /api, /metrics; trusted_hosts apply), or "off"`},
		{name: "check_report", str: true, min: 1, max: 1, set: setCheckReport, get: getCheckReport,
			doc: `report of the nightly "ganglia-lpm check --json" shown by the web UI, or "off" ` +
				`(unset: ` + DefaultCheckReport + ` with the default rrd_rootdir, else off)`},
		secondsDir("rrd_flush_interval", "seconds between writes of buffered RRD updates",
			time.Second, 1, func(c *Config) *time.Duration { return &e(c).RRDFlushInterval }),
		secondsDir("rrd_overflow_flush_interval", "seconds buffered RRD updates wait instead, while there are "+
			"more RRD files than rrd_max_open (each write then opens its file; rrdcached -w does the same)",
			time.Second, 1, func(c *Config) *time.Duration { return &e(c).RRDOverflowFlushInterval }),
		intDir("rrd_max_open", "RRD files kept open (0 = automatic, from the file descriptor limit)",
			0, math.MaxInt32, func(c *Config) *int { return &e(c).RRDMaxOpen }),
	}
	for i := range ds {
		ds[i] = ds[i].extension()
	}
	return ds
}

func setWebAddress(st *state, a []string) error {
	if a[0] == "off" {
		st.cfg.WebAddress = ""
		return nil
	}
	if err := parseListenAddr(a[0]); err != nil {
		return err
	}
	st.cfg.WebAddress = a[0]
	return nil
}

func getWebAddress(c *Config) []string {
	if c.WebAddress == "" {
		return []string{"off"}
	}
	return []string{quote(c.WebAddress)}
}

func setCheckReport(st *state, a []string) error {
	st.checkReportSet = true
	if a[0] == "off" {
		st.cfg.CheckReport = ""
		return nil
	}
	st.cfg.CheckReport = a[0]
	return nil
}

func getCheckReport(c *Config) []string {
	if c.CheckReport == "" {
		return []string{"off"}
	}
	return []string{quote(c.CheckReport)}
}

// DefaultCheckReportFor is check_report's default for a configuration
// whose rrd_rootdir is root: the report the shipped ganglia-lpm-check
// service writes (templates/systemd) when root is the stock default that
// service checks, else none, since that report would be of another tree.
func DefaultCheckReportFor(root string) string {
	if filepath.Clean(root) == DefaultRRDRootDir {
		return DefaultCheckReport
	}
	return ""
}

// deriveCheckReport applies check_report's default after the last line:
// a file that moves rrd_rootdir and says nothing of check_report has no
// report, rather than the one of the default tree.
func (st *state) deriveCheckReport() {
	if !st.checkReportSet && st.cfg.CheckReport == DefaultCheckReport {
		st.cfg.CheckReport = DefaultCheckReportFor(st.cfg.RRDRootDir)
	}
}
