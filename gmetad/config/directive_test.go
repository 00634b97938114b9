package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// goodLines: one line each, and what it changes in the defaults.
var goodLines = []struct {
	line string
	want func(c *Config)
}{
	{`data_source "a" h`, func(c *Config) { c.DataSources = []DataSource{{"a", 15, []string{"h:8649"}, 1}} }},
	{`data_source "a b" 5 10.0.0.1 10.0.0.2:8655 [::1]:1`, func(c *Config) {
		c.DataSources = []DataSource{{"a b", 5, []string{"10.0.0.1:8649", "10.0.0.2:8655", "[::1]:1"}, 1}}
	}},
	{`data_source 15 10 10`, func(c *Config) { c.DataSources = []DataSource{{"15", 10, []string{"10:8649"}, 1}} }},
	{`gridname "My Grid"`, func(c *Config) { c.GridName = "My Grid" }},
	{`authority http://x/ganglia/`, func(c *Config) { c.Authority = "http://x/ganglia/" }},
	{`trusted_hosts 10.0.0.1 web.example.com ::1`, func(c *Config) { c.TrustedHosts = []string{"10.0.0.1", "web.example.com", "::1"} }},
	{`all_trusted on`, func(c *Config) { c.AllTrusted = true }},
	{`all_trusted 2`, func(c *Config) { c.AllTrusted = true }},
	{`debug_level 1`, func(c *Config) { c.DebugLevel = 1 }},
	{`xml_port 0`, func(c *Config) { c.XMLPort = 0 }},
	{`xml_port 0x21CC`, func(c *Config) { c.XMLPort = 8652 }},
	{`interactive_port 18652`, func(c *Config) { c.InteractivePort = 18652 }},
	{`server_threads 10`, func(c *Config) { c.ServerThreads = 10 }},
	{`umask 022`, func(c *Config) { c.Umask = 0o22 }},
	{`umask 0777`, func(c *Config) { c.Umask = 0o077 }}, // owner bits protected, as cb_umask does
	{`umask 22`, func(c *Config) { c.Umask = 22 }},      // decimal, as sscanf reads it
	{`rrd_rootdir /srv/rrds`, func(c *Config) { c.RRDRootDir = "/srv/rrds"; c.CheckReport = "" }},
	{`rrd_rootdir /var/lib/ganglia/rrds/`, func(c *Config) { c.RRDRootDir = "/var/lib/ganglia/rrds/" }},
	{`rrdcached_address 127.0.0.1:42217`, func(c *Config) { c.RRDCachedAddress = "127.0.0.1:42217" }},
	{`setuid off`, func(c *Config) { c.Setuid = false }},
	{`setuid_username ganglia`, func(c *Config) { c.SetuidUsername = "ganglia" }},
	{`scalable off`, func(c *Config) { c.Scalable = false }},
	{`write_rrds off`, func(c *Config) { c.WriteRRDs = false }},
	{`RRAs RRA:AVERAGE:0.5:1:244`, func(c *Config) { c.RRAs = []string{"RRA:AVERAGE:0.5:1:244"} }},
	{`rras "RRA:MAX:0.5:1:1d"`, func(c *Config) { c.RRAs = []string{"RRA:MAX:0.5:1:1d"} }},
	{`case_sensitive_hostnames 0`, func(c *Config) { c.CaseSensitiveHostnames = false }},
	{`carbon_server g`, func(c *Config) { c.CarbonServer = "g" }},
	{`carbon_port 2004`, func(c *Config) { c.CarbonPort = 2004 }},
	{`carbon_protocol udp`, func(c *Config) { c.CarbonProtocol = "udp" }},
	{`carbon_timeout 750`, func(c *Config) { c.CarbonTimeout = 750 * time.Millisecond }},
	{`memcached_parameters "--SERVER=x"`, func(c *Config) { c.MemcachedParameters = "--SERVER=x" }},
	{`memcached_include_cluster_in_key 1`, func(c *Config) { c.MemcachedIncludeClusterInKey = true }},
	{`graphite_prefix dc1`, func(c *Config) { c.GraphitePrefix = "dc1" }},
	{`graphite_path dc1.%s.%h.%m`, func(c *Config) { c.GraphitePath = "dc1.%s.%h.%m" }},
	{`riemann_server r`, func(c *Config) { c.RiemannServer = "r" }},
	{`riemann_port 5556`, func(c *Config) { c.RiemannPort = 5556 }},
	{`riemann_protocol tcp`, func(c *Config) { c.RiemannProtocol = "tcp" }},
	{`riemann_attributes "a=b,c=d"`, func(c *Config) { c.RiemannAttributes = "a=b,c=d" }},
	{`unsummarized_metrics diskstat CPU`, func(c *Config) { c.UnsummarizedMetrics = []string{"diskstat", "CPU"} }},
	{`unsummarized_sflow_vm_metrics yes`, func(c *Config) { c.UnsummarizedSflowVM = true }},
	{`summarized_metrics load_one`, func(c *Config) { c.SummarizedMetrics = []string{"load_one"} }},
	{`state_file /var/lib/lpm.state`, func(c *Config) { c.StateFile = "/var/lib/lpm.state" }},
	{`mapping /etc/ganglia/mapping.toml`, func(c *Config) { c.Mapping = "/etc/ganglia/mapping.toml" }},
	{`udp_recv_buffer 0`, func(c *Config) { c.UDPRecvBuffer = 0 }},
	{`udp_readers 8`, func(c *Config) { c.UDPReaders = 8 }},
	{`host_tmax 30`, func(c *Config) { c.HostTmax = 30 }},
	{`host_dmax 0`, func(c *Config) { c.HostDmax = 0 }},
	{`cleanup_threshold 60`, func(c *Config) { c.CleanupThreshold = time.Minute }},
	{`hostname_from_packet on`, func(c *Config) { c.HostnameFromPacket = true }},
	{`lpm_conflict_window 0`, func(c *Config) { c.LPMConflictWindow = 0 }},
	{`move_history 10`, func(c *Config) { c.MoveHistory = 10 }},
	{`max_hosts_per_cluster 5`, func(c *Config) { c.MaxHostsPerCluster = 5 }},
	{`max_metrics_per_host 5`, func(c *Config) { c.MaxMetricsPerHost = 5 }},
	{`max_name_length 64`, func(c *Config) { c.MaxNameLength = 64 }},
	{`max_xml_clients 4`, func(c *Config) { c.MaxXMLClients = 4 }},
	{`max_request_bytes 512`, func(c *Config) { c.MaxRequestBytes = 512 }},
	{`xml_write_timeout 5`, func(c *Config) { c.XMLWriteTimeout = 5 * time.Second }},
	{`web_address off`, func(c *Config) { c.WebAddress = "" }},
	{`web_address :8660`, func(c *Config) { c.WebAddress = ":8660" }},
	{`check_report /srv/lpm-check.json`, func(c *Config) { c.CheckReport = "/srv/lpm-check.json" }},
	{`check_report off`, func(c *Config) { c.CheckReport = "" }},
	{`rrd_flush_interval 1`, func(c *Config) { c.RRDFlushInterval = time.Second }},
	{`rrd_overflow_flush_interval 300`, func(c *Config) { c.RRDOverflowFlushInterval = 300 * time.Second }},
	{`rrd_max_open 100`, func(c *Config) { c.RRDMaxOpen = 100 }},
}

// badLines: one line each, and the kind of error it gives.
var badLines = []struct {
	line string
	kind error
}{
	{`data_source "a"`, ErrArgCount},
	{`data_source "a" 15`, ErrArgCount},
	{`data_source "a" 0 h`, ErrValue},
	{`data_source "a" -5 h`, ErrValue},
	{`data_source "a" 99999999999 h`, ErrValue},
	{`data_source "a" h:`, ErrValue},
	{`data_source "a" h:x`, ErrValue},
	{`data_source "a" h:70000`, ErrValue},
	{`data_source "a" ::1`, ErrValue},
	{`data_source "a" [h]:1`, ErrValue},
	{`data_source "a" h/x`, ErrValue},
	{`gridname`, ErrArgCount},
	{`gridname My Grid`, ErrArgCount},
	{`gridname <<EOF`, ErrUnsupported},
	{`authority`, ErrArgCount},
	{`trusted_hosts`, ErrArgCount},
	{`trusted_hosts 10.0.0.1:80`, ErrValue},
	{`all_trusted off`, ErrValue},
	{`all_trusted 0`, ErrValue},
	{`all_trusted maybe`, ErrValue},
	{`debug_level -1`, ErrValue},
	{`xml_port abc`, ErrValue},
	{`xml_port 65536`, ErrValue},
	{`interactive_port -1`, ErrValue},
	{`server_threads 0`, ErrValue},
	{`umask 010000`, ErrValue},
	{`rrd_rootdir`, ErrArgCount},
	{`rrdcached_address host:0`, ErrValue},
	{`setuid true`, ErrValue},
	{`setuid_username`, ErrArgCount},
	{`scalable OFF`, ErrValue},
	{`write_rrds no`, ErrValue},
	{`RRAs`, ErrArgCount},
	{`RRAs DS:sum:GAUGE:120:U:U`, ErrValue},
	{`RRAs RRA:AVERAGE:2:1:244`, ErrValue},
	{`case_sensitive_hostnames on`, ErrValue},
	{`carbon_server`, ErrArgCount},
	{`carbon_port x`, ErrValue},
	{`carbon_protocol sctp`, ErrValue},
	{`carbon_timeout -1`, ErrValue},
	{`memcached_parameters`, ErrArgCount},
	{`memcached_include_cluster_in_key yes`, ErrValue},
	{`graphite_prefix`, ErrArgCount},
	{`graphite_path`, ErrArgCount},
	{`riemann_server`, ErrArgCount},
	{`riemann_port 99999`, ErrValue},
	{`riemann_protocol http`, ErrValue},
	{`riemann_attributes`, ErrArgCount},
	{`unsummarized_metrics`, ErrArgCount},
	{`unsummarized_sflow_vm_metrics maybe`, ErrValue},
	{`summarized_metrics`, ErrArgCount},
	{`state_file`, ErrArgCount},
	{`mapping a b`, ErrArgCount},
	{`udp_recv_buffer -1`, ErrValue},
	{`udp_readers 0`, ErrValue},
	{`host_tmax x`, ErrValue},
	{`host_dmax -1`, ErrValue},
	{`cleanup_threshold 0`, ErrValue},
	{`hostname_from_packet 2`, ErrValue},
	{`lpm_conflict_window -1`, ErrValue},
	{`move_history -1`, ErrValue},
	{`max_hosts_per_cluster 0`, ErrValue},
	{`max_metrics_per_host 0`, ErrValue},
	{`max_name_length 256`, ErrValue},
	{`max_xml_clients 0`, ErrValue},
	{`max_request_bytes 0`, ErrValue},
	{`xml_write_timeout 0`, ErrValue},
	{`web_address 8660`, ErrValue},
	{`web_address host:0x10`, ErrValue},
	{`check_report`, ErrArgCount},
	{`check_report a b`, ErrArgCount},
	{`rrd_flush_interval 0`, ErrValue},
	{`rrd_overflow_flush_interval 0`, ErrValue},
	{`rrd_max_open -1`, ErrValue},
	{`frobnicate 1`, ErrUnknownDirective},
	{`Include /etc/ganglia/conf.d/*.conf`, ErrUnsupported},
	{`IncludePath /etc`, ErrUnsupported},
}

func TestDirectives(t *testing.T) {
	for _, tt := range goodLines {
		c, _, err := Parser{}.Parse("t.conf", []byte(tt.line+"\n"), DefaultFor("h"))
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		want := DefaultFor("h")
		tt.want(&want)
		if !reflect.DeepEqual(c, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.line, c, want)
		}
		checkRoundTrip(t, c)
	}
	for _, tt := range badLines {
		c, _, err := Parser{}.Parse("t.conf", []byte(tt.line+"\n"), DefaultFor("h"))
		var e *Error
		if !errors.Is(err, tt.kind) || !errors.As(err, &e) {
			t.Errorf("%s: error %v, want %v", tt.line, err, tt.kind)
			continue
		}
		if e.File != "t.conf" || e.Line != 1 || e.Directive != strings.Fields(tt.line)[0] {
			t.Errorf("%s: error at %s:%d %s, want t.conf:1 and the directive", tt.line, e.File, e.Line, e.Directive)
		}
		if !reflect.DeepEqual(c, Config{}) {
			t.Errorf("%s: Parse returned a config with its error", tt.line)
		}
	}
}

// TestEveryDirectiveTested fails when a directive of the table has no good
// or no bad line above.
func TestEveryDirectiveTested(t *testing.T) {
	for _, d := range directives {
		good, bad := false, false
		for _, tt := range goodLines {
			good = good || strings.EqualFold(strings.Fields(tt.line)[0], d.name)
		}
		for _, tt := range badLines {
			bad = bad || strings.EqualFold(strings.Fields(tt.line)[0], d.name)
		}
		if !good || !bad {
			t.Errorf("%s: a good line tested: %v, a bad line tested: %v", d.name, good, bad)
		}
	}
}
