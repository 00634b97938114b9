package conf

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Dump writes c as a gmond.conf that Parse reads back to the same values:
// every option with its value (defaults included), sections in a fixed
// order, each with a comment naming where it was written, and the files
// read and the warnings as leading comments. The output is deterministic,
// for golden tests and for showing an operator what gmond understood.
func (c *Config) Dump(w io.Writer) error {
	b := bufio.NewWriter(w)
	dw := &dumper{w: b}
	for _, f := range c.Files {
		dw.line(0, "# file: %s", commentSafe(f))
	}
	for _, s := range c.Warnings {
		dw.line(0, "# warning: %s", commentSafe(s))
	}
	dw.globals(&c.Globals)
	dw.open(0, "cluster", Pos{})
	dw.str(1, "name", c.Cluster.Name)
	dw.str(1, "owner", c.Cluster.Owner)
	dw.str(1, "latlong", c.Cluster.Latlong)
	dw.str(1, "url", c.Cluster.URL)
	dw.close(0)
	dw.open(0, "host", Pos{})
	dw.str(1, "location", c.Host.Location)
	dw.close(0)
	for i := range c.UDPSend {
		dw.udpSend(&c.UDPSend[i])
	}
	for i := range c.UDPRecv {
		dw.udpRecv(&c.UDPRecv[i])
	}
	for i := range c.TCPAccept {
		dw.tcpAccept(&c.TCPAccept[i])
	}
	if len(c.Modules) > 0 {
		dw.modules(c.Modules)
	}
	for i := range c.Groups {
		dw.group(&c.Groups[i])
	}
	return b.Flush()
}

type dumper struct{ w *bufio.Writer }

func (d *dumper) line(depth int, format string, args ...any) {
	for range depth {
		d.w.WriteString("  ")
	}
	fmt.Fprintf(d.w, format, args...)
	d.w.WriteByte('\n')
}

// open starts a section, noting its position when it has one.
func (d *dumper) open(depth int, name string, p Pos) {
	if p.Line > 0 {
		d.line(depth, "%s { # %s", name, commentSafe(p.String()))
		return
	}
	d.line(depth, "%s {", name)
}

func (d *dumper) close(depth int) { d.line(depth, "}") }

func (d *dumper) str(depth int, key, v string) { d.line(depth, "%s = %s", key, quote(v)) }

func (d *dumper) num(depth int, key string, v int) { d.line(depth, "%s = %d", key, v) }

func (d *dumper) secs(depth int, key string, v time.Duration) {
	d.line(depth, "%s = %d", key, v/time.Second)
}

func (d *dumper) flag(depth int, key string, v bool) {
	s := "no"
	if v {
		s = "yes"
	}
	d.line(depth, "%s = %s", key, s)
}

func (d *dumper) globals(g *Globals) {
	d.open(0, "globals", Pos{})
	d.flag(1, "daemonize", g.Daemonize)
	d.flag(1, "setuid", g.Setuid)
	d.str(1, "user", g.User)
	d.num(1, "debug_level", g.DebugLevel)
	d.num(1, "max_udp_msg_len", g.MaxUDPMsgLen)
	d.flag(1, "mute", g.Mute)
	d.flag(1, "deaf", g.Deaf)
	d.flag(1, "allow_extra_data", g.AllowExtraData)
	d.secs(1, "host_dmax", g.HostDmax)
	d.secs(1, "host_tmax", g.HostTmax)
	d.secs(1, "cleanup_threshold", g.CleanupThreshold)
	d.flag(1, "gexec", g.Gexec)
	d.secs(1, "send_metadata_interval", g.SendMetadataInterval)
	d.str(1, "module_dir", g.ModuleDir)
	d.str(1, "override_hostname", g.OverrideHostname)
	d.str(1, "override_ip", g.OverrideIP)
	d.str(1, "tags", g.Tags)
	d.close(0)
}

func (d *dumper) udpSend(ch *UDPSend) {
	d.open(0, "udp_send_channel", ch.Pos)
	d.str(1, "mcast_join", ch.McastJoin)
	d.str(1, "mcast_if", ch.McastIf)
	d.str(1, "host", ch.Host)
	if ch.Port != 0 { // 0 = not set, which the file cannot say
		d.num(1, "port", ch.Port)
	}
	d.num(1, "ttl", ch.TTL)
	d.str(1, "bind", ch.Bind)
	d.flag(1, "bind_hostname", ch.BindHostname)
	d.num(1, "source_port", ch.SourcePort)
	d.close(0)
}

func (d *dumper) udpRecv(ch *UDPRecv) {
	d.open(0, "udp_recv_channel", ch.Pos)
	d.str(1, "mcast_join", ch.McastJoin)
	d.str(1, "mcast_if", ch.McastIf)
	d.str(1, "bind", ch.Bind)
	d.num(1, "port", ch.Port)
	d.acl(ch.ACL)
	d.str(1, "family", ch.Family)
	d.flag(1, "retry_bind", ch.RetryBind)
	d.num(1, "buffer", ch.Buffer)
	d.close(0)
}

func (d *dumper) tcpAccept(ch *TCPAccept) {
	d.open(0, "tcp_accept_channel", ch.Pos)
	d.str(1, "bind", ch.Bind)
	d.num(1, "port", ch.Port)
	d.str(1, "interface", ch.Interface)
	d.acl(ch.ACL)
	d.num(1, "timeout", ch.Timeout)
	d.str(1, "family", ch.Family)
	d.flag(1, "gzip_output", ch.GzipOutput)
	d.close(0)
}

func (d *dumper) acl(a *ACL) {
	if a == nil {
		return
	}
	d.open(1, "acl", a.Pos)
	d.str(2, "default", action(a.DefaultAllow))
	for _, e := range a.Access {
		d.open(2, "access", e.Pos)
		d.str(3, "ip", e.Prefix.Addr().String())
		d.str(3, "mask", strconv.Itoa(e.Prefix.Bits()))
		d.str(3, "action", action(e.Allow))
		d.close(2)
	}
	d.close(1)
}

func action(allow bool) string {
	if allow {
		return "allow"
	}
	return "deny"
}

func (d *dumper) modules(ms []Module) {
	d.open(0, "modules", Pos{})
	for _, m := range ms {
		d.open(1, "module", m.Pos)
		d.str(2, "name", m.Name)
		d.str(2, "language", m.Language)
		d.flag(2, "enabled", m.Enabled)
		d.str(2, "path", m.Path)
		d.str(2, "params", m.Params)
		for _, p := range m.Param {
			d.line(2, "param %s {", quote(p.Name))
			d.str(3, "value", p.Value)
			d.close(2)
		}
		d.close(1)
	}
	d.close(0)
}

func (d *dumper) group(g *CollectionGroup) {
	d.open(0, "collection_group", g.Pos)
	d.flag(1, "collect_once", g.CollectOnce)
	d.secs(1, "collect_every", g.CollectEvery)
	d.secs(1, "time_threshold", g.TimeThreshold)
	for _, m := range g.Metrics {
		d.open(1, "metric", m.Pos)
		d.str(2, "name", m.Name)
		if m.NameMatch != "" {
			d.str(2, "name_match", m.NameMatch)
		}
		d.line(2, "value_threshold = %s", strconv.FormatFloat(m.ValueThreshold, 'g', -1, 64))
		d.str(2, "title", m.Title)
		d.close(1)
	}
	d.close(0)
}

// quote writes s as a double-quoted libconfuse string that reads back
// byte for byte: \" \\ and \$ (no ${} substitution) escaped, control
// bytes as \xHH (two digits, so a following hex digit is not absorbed).
func quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '$':
			b = append(b, '\\', c)
		case c < 0x20 || c == 0x7f:
			b = append(b, fmt.Sprintf("\\x%02x", c)...)
		default:
			b = append(b, c)
		}
	}
	return string(b) + `"`
}

// commentSafe keeps a comment on one line: control bytes become \xHH.
func commentSafe(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			if b == nil {
				b = append(b, s[:i]...)
			}
			b = append(b, fmt.Sprintf("\\x%02x", c)...)
		} else if b != nil {
			b = append(b, c)
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}
