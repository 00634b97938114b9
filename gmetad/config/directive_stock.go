package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
	"github.com/ganglia-lpm/ganglia-lpm/rrdstore/rrdcached"
)

const (
	exportWarning = "not implemented: ganglia-lpm does not export to %s; the line is accepted so that stock configurations load"
	graphite      = "Graphite"
)

// stockDirectives are the options of gmetad 3.7.2 (gmetad/conf.c.in).
func stockDirectives() []directive {
	return []directive{
		{name: "data_source", min: 1, max: -1, set: setDataSource, get: getDataSources, unset: "(none)",
			doc: `"name" [seconds] host[:port] ...: a gmond or gmetad polled for XML (default 15 s, port 8649); stock gmetad needs one, ganglia-lpm none`},
		strDir("gridname", "name of the GRID element that wraps all sources",
			func(c *Config) *string { return &c.GridName }, nil),
		strDir("authority", "GRID AUTHORITY: URL of this grid's web front end",
			func(c *Config) *string { return &c.Authority }, nil),
		listDir("trusted_hosts", "hosts allowed to read the XML ports besides 127.0.0.1",
			func(c *Config) *[]string { return &c.TrustedHosts }, checkHost),
		{name: "all_trusted", min: 1, max: 1, set: setAllTrusted, get: getAllTrusted,
			doc:   "let any host read the XML ports",
			unset: "off: the default; stock gmetad turns all_trusted on for ANY value, so off is written by leaving the line out"},
		intDir("debug_level", "0 = normal; 1 = errors only, in the foreground; more = debug output",
			0, math.MaxInt32, func(c *Config) *int { return &c.DebugLevel }),
		portDir("xml_port", "TCP port of the full XML dump (0 = any free port)",
			func(c *Config) *int { return &c.XMLPort }),
		portDir("interactive_port", "TCP port of the interactive query protocol used by ganglia-web (0 = any free port)",
			func(c *Config) *int { return &c.InteractivePort }),
		intDir("server_threads", "stock: threads answering the XML ports",
			1, math.MaxInt32, func(c *Config) *int { return &c.ServerThreads }).
			notImplemented("accepted for compatibility: ganglia-lpm serves every connection on its own goroutine, bounded by max_xml_clients"),
		{name: "umask", min: 1, max: 1, set: setUmask, get: getUmask,
			doc: "umask for RRD files and directories, C syntax (022 is octal), masked with 07077; stock applies it only when it daemonizes"},
		strDir("rrd_rootdir", "root of the RRD tree",
			func(c *Config) *string { return &c.RRDRootDir }, nil),
		strDir("rrdcached_address", "send RRD updates to this rrdcached (stock: a.b.c.d:port only; here also host:port, [v6]:port, unix:/path)",
			func(c *Config) *string { return &c.RRDCachedAddress }, checkRRDCached),
		setuidLine(toggleDir("setuid", "change to setuid_username at start (needs root)",
			func(c *Config) *bool { return &c.Setuid })),
		setuidLine(strDir("setuid_username", "user to run as when setuid is on",
			func(c *Config) *string { return &c.SetuidUsername }, nil)),
		onOffDir("scalable", "off: ignore GRID, HOSTS and METRICS from sources and print no GRID (2.5 behaviour)",
			func(c *Config) *bool { return &c.Scalable }),
		onOffDir("write_rrds", "off: write no RRD files at all",
			func(c *Config) *bool { return &c.WriteRRDs }),
		{name: "RRAs", min: 1, max: -1, set: setRRAs, get: getRRAs, unset: "(none)",
			doc: "archives of newly created RRD files; replaces the list (rows count data_source steps)"},
		intBoolDir("case_sensitive_hostnames", "0: lower-case host directory names (XML keeps the case)",
			func(c *Config) *bool { return &c.CaseSensitiveHostnames }),
		exportStr("carbon_server", "Graphite server", func(c *Config) *string { return &c.CarbonServer }),
		portDir("carbon_port", "Graphite port", func(c *Config) *int { return &c.CarbonPort }).
			notImplemented(fmt.Sprintf(exportWarning, graphite)),
		strDir("carbon_protocol", "Graphite protocol", func(c *Config) *string { return &c.CarbonProtocol },
			oneOf("tcp", "udp")).notImplemented(fmt.Sprintf(exportWarning, graphite)),
		secondsDir("carbon_timeout", "Graphite timeout in milliseconds", time.Millisecond, 0,
			func(c *Config) *time.Duration { return &c.CarbonTimeout }).notImplemented(fmt.Sprintf(exportWarning, graphite)),
		exportStr("memcached_parameters", "libmemcached options", func(c *Config) *string { return &c.MemcachedParameters }),
		intBoolDir("memcached_include_cluster_in_key", "memcached keys CLUSTER/HOST/METRIC instead of HOST/METRIC",
			func(c *Config) *bool { return &c.MemcachedIncludeClusterInKey }).notImplemented(fmt.Sprintf(exportWarning, "memcached")),
		exportStr("graphite_prefix", "Graphite path prefix (deprecated by graphite_path)", func(c *Config) *string { return &c.GraphitePrefix }),
		exportStr("graphite_path", "Graphite path template: %s cluster, %h host, %m metric", func(c *Config) *string { return &c.GraphitePath }),
		exportStr("riemann_server", "Riemann server", func(c *Config) *string { return &c.RiemannServer }),
		portDir("riemann_port", "Riemann port", func(c *Config) *int { return &c.RiemannPort }).
			notImplemented(fmt.Sprintf(exportWarning, "Riemann")),
		strDir("riemann_protocol", "Riemann protocol", func(c *Config) *string { return &c.RiemannProtocol },
			oneOf("tcp", "udp")).notImplemented(fmt.Sprintf(exportWarning, "Riemann")),
		exportStr("riemann_attributes", "Riemann attributes key=value,...", func(c *Config) *string { return &c.RiemannAttributes }),
		listDir("unsummarized_metrics", "metric name prefixes left out of cluster and grid summaries",
			func(c *Config) *[]string { return &c.UnsummarizedMetrics }, nil),
		toggleDir("unsummarized_sflow_vm_metrics", "leave sFlow VM metrics (first '.' followed by 'v') out of summaries",
			func(c *Config) *bool { return &c.UnsummarizedSflowVM }),
		listDir("summarized_metrics", "if set, only these metrics are summed into the grid summary",
			func(c *Config) *[]string { return &c.SummarizedMetrics }, nil),
	}
}

// exportStr is a string directive of the Graphite, memcached or Riemann
// export, which ganglia-lpm does not implement.
func exportStr(name, doc string, f func(*Config) *string) directive {
	target := graphite
	switch {
	case strings.HasPrefix(name, "memcached"):
		target = "memcached"
	case strings.HasPrefix(name, "riemann"):
		target = "Riemann"
	}
	return strDir(name, doc, f, nil).notImplemented(fmt.Sprintf(exportWarning, target))
}

// setuidLine remembers where setuid was configured, for the warning when
// the process is not root.
func setuidLine(d directive) directive {
	set := d.set
	d.set = func(st *state, a []string) error {
		st.setuidLine = st.line
		return set(st, a)
	}
	return d
}

func onOffDir(name, doc string, f func(*Config) *bool) directive {
	return directive{name: name, doc: doc, str: true, min: 1, max: 1,
		set: func(st *state, a []string) error {
			v, err := parseOnOff(a[0])
			if err == nil {
				*f(&st.cfg) = v
			}
			return err
		},
		get: func(c *Config) []string { return []string{onOff(*f(c))} },
	}
}

func setDataSource(st *state, a []string) error {
	ds := DataSource{Name: a[0], Step: DefaultStep, Line: st.line}
	rest := a[1:]
	if len(rest) > 0 {
		step, ok, err := parseStep(rest[0])
		if err != nil {
			return err
		}
		if ok {
			ds.Step, rest = step, rest[1:]
		}
	}
	if len(rest) == 0 {
		return &argError{kind: ErrArgCount, msg: fmt.Sprintf(
			"data source %q has no address (the first argument is the name)", ds.Name)}
	}
	for _, tok := range rest {
		addr, err := parseSourceAddr(tok)
		if err != nil {
			return err
		}
		ds.Addrs = append(ds.Addrs, addr)
	}
	if prev, dup := st.sources[ds.Name]; dup {
		return &argError{kind: ErrDuplicate, msg: fmt.Sprintf(
			"data source %q is already defined (line %d); stock gmetad would keep only the last one", ds.Name, prev)}
	}
	st.sources[ds.Name] = st.line
	st.cfg.DataSources = append(st.cfg.DataSources, ds)
	return nil
}

// parseStep recognises the optional polling interval: a token that is a
// number in its entirety, as stock gmetad's strtoul test does (so 10.0.0.1
// is an address). Zero and signed numbers are refused: stock would take
// "0" for an address and "-5" for an interval of 2^64-5 seconds.
func parseStep(tok string) (int, bool, error) {
	digits := strings.TrimLeft(tok, "+-")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false, nil
	}
	v, err := strconv.Atoi(digits)
	if digits != tok || err != nil || v < 1 || v > math.MaxInt32 {
		return 0, false, valueErr("polling interval %q is not a positive number of seconds", tok)
	}
	return v, true, nil
}

func getDataSources(c *Config) []string {
	var lines []string
	for _, ds := range c.DataSources {
		words := []string{quote(ds.Name), strconv.Itoa(ds.Step)}
		for _, a := range ds.Addrs {
			words = append(words, word(a))
		}
		lines = append(lines, strings.Join(words, " "))
	}
	return lines
}

// setAllTrusted: stock's callback sets all_trusted whatever the value, so
// "all_trusted off" turns it ON there. A value meaning off is refused
// rather than read either way.
func setAllTrusted(st *state, a []string) error {
	on := false
	if v, ok := parseCInt(a[0]); ok {
		on = v != 0
	} else if t, err := parseToggle(a[0]); err == nil {
		on = t
	} else {
		return err
	}
	if !on {
		return valueErr("%q: stock gmetad turns all_trusted ON for any value; remove the line to keep it off", a[0])
	}
	st.cfg.AllTrusted = true
	return nil
}

func getAllTrusted(c *Config) []string {
	if !c.AllTrusted {
		return nil
	}
	return []string{"on"}
}

func setUmask(st *state, a []string) error {
	v, err := parseInt(a[0], 0, 0o7777)
	if err != nil {
		return err
	}
	st.cfg.Umask = v & 0o7077 // "protect owner permissions", as cb_umask does
	return nil
}

func getUmask(c *Config) []string { return []string{fmt.Sprintf("%#o", c.Umask)} }

// setRRAs replaces the archive list, as stock does, after checking each
// definition the way rrdtool create will.
func setRRAs(st *state, a []string) error {
	for _, r := range a {
		if !strings.HasPrefix(r, "RRA:") {
			return valueErr("%q is not an RRA definition (RRA:CF:xff:steps:rows)", r)
		}
		if _, _, err := rrdstore.ParseDefs([]string{r}, DefaultStep); err != nil {
			return valueErr("%q: %v", r, err)
		}
	}
	st.cfg.RRAs = append([]string(nil), a...)
	return nil
}

func getRRAs(c *Config) []string {
	if len(c.RRAs) == 0 {
		return nil
	}
	words := make([]string, len(c.RRAs))
	for i, r := range c.RRAs {
		words[i] = quote(r)
	}
	return []string{strings.Join(words, " ")}
}

func checkRRDCached(s string) error {
	if _, err := rrdcached.ParseAddress(s); err != nil {
		return valueErr("%v", err)
	}
	return nil
}
