package conf

// decode fills c from the top-level statements. Repeated single sections
// (globals, cluster, host) merge, later values winning, as libconfuse does
// (checked against stock gmond 3.7.2); repeated multi sections append.
func (d *decoder) decode(nodes []*node, c *Config) {
	for _, n := range nodes {
		k := n.key
		switch k {
		case "globals":
			if d.section(n, k, false) {
				d.globals(n, &c.Globals)
			}
		case "cluster":
			if d.section(n, k, false) {
				d.cluster(n, &c.Cluster)
			}
		case "host":
			if d.section(n, k, false) {
				d.host(n, &c.Host)
			}
		case "udp_send_channel":
			if d.section(n, k, false) {
				c.UDPSend = append(c.UDPSend, d.udpSend(n))
			}
		case "udp_recv_channel":
			if d.section(n, k, false) {
				c.UDPRecv = append(c.UDPRecv, d.udpRecv(n))
			}
		case "tcp_accept_channel":
			if d.section(n, k, false) {
				c.TCPAccept = append(c.TCPAccept, d.tcpAccept(n))
			}
		case "collection_group":
			if d.section(n, k, false) {
				c.Groups = append(c.Groups, d.group(n))
			}
		case "modules":
			if d.section(n, k, false) {
				d.warn(n.pos, k, "not supported: this gmond has its metrics built in and loads no modules; section ignored")
				c.Modules = append(c.Modules, d.modules(n)...)
			}
		case "sflow":
			d.warn(n.pos, k, "not supported: sFlow is not received; section ignored")
		default:
			d.unknown(n, k)
		}
	}
}

func (d *decoder) globals(sec *node, g *Globals) {
	for _, n := range sec.children {
		k := "globals." + n.key
		switch n.key {
		case "daemonize":
			d.boolean(n, k, &g.Daemonize)
		case "setuid":
			d.boolean(n, k, &g.Setuid)
		case "user":
			d.str(n, k, &g.User)
		case "debug_level":
			d.integer(n, k, 0, maxSeconds, &g.DebugLevel)
		case "max_udp_msg_len":
			d.integer(n, k, 1, 65535, &g.MaxUDPMsgLen)
		case "mute":
			d.boolean(n, k, &g.Mute)
		case "deaf":
			d.boolean(n, k, &g.Deaf)
		case "allow_extra_data":
			d.boolean(n, k, &g.AllowExtraData)
		case "host_dmax":
			d.seconds(n, k, &g.HostDmax)
		case "host_tmax":
			d.seconds(n, k, &g.HostTmax)
		case "cleanup_threshold":
			d.seconds(n, k, &g.CleanupThreshold)
		case "gexec":
			d.boolean(n, k, &g.Gexec)
		case "send_metadata_interval":
			d.seconds(n, k, &g.SendMetadataInterval)
		case "module_dir":
			d.str(n, k, &g.ModuleDir)
		case "override_hostname":
			d.str(n, k, &g.OverrideHostname)
		case "override_ip":
			d.str(n, k, &g.OverrideIP)
		case "tags":
			d.str(n, k, &g.Tags)
		default:
			d.unknown(n, k)
		}
	}
}

func (d *decoder) cluster(sec *node, c *Cluster) {
	for _, n := range sec.children {
		k := "cluster." + n.key
		switch n.key {
		case "name":
			d.str(n, k, &c.Name)
		case "owner":
			d.str(n, k, &c.Owner)
		case "latlong":
			d.str(n, k, &c.Latlong)
		case "url":
			d.str(n, k, &c.URL)
		default:
			d.unknown(n, k)
		}
	}
}

func (d *decoder) host(sec *node, h *Host) {
	for _, n := range sec.children {
		k := "host." + n.key
		if n.key == "location" {
			d.str(n, k, &h.Location)
			continue
		}
		d.unknown(n, k)
	}
}

// modules reads the modules section for the record; nothing is loaded.
func (d *decoder) modules(sec *node) []Module {
	var out []Module
	for _, n := range sec.children {
		k := "modules." + n.key
		if n.key != "module" {
			d.unknown(n, k)
			continue
		}
		if d.section(n, k, false) {
			out = append(out, d.module(n, k))
		}
	}
	return out
}

func (d *decoder) module(sec *node, path string) Module {
	m := newModule(sec.pos)
	for _, n := range sec.children {
		k := path + "." + n.key
		switch n.key {
		case "name":
			d.str(n, k, &m.Name)
		case "language":
			d.str(n, k, &m.Language)
		case "enabled":
			d.boolean(n, k, &m.Enabled)
		case "path":
			d.str(n, k, &m.Path)
		case "params":
			d.str(n, k, &m.Params)
		case "param":
			if d.section(n, k, true) {
				m.Param = append(m.Param, d.moduleParam(n, k))
			}
		default:
			d.unknown(n, k)
		}
	}
	return m
}

func (d *decoder) moduleParam(sec *node, path string) ModuleParam {
	p := ModuleParam{Name: sec.title}
	for _, n := range sec.children {
		k := path + "." + n.key
		if n.key == "value" {
			d.str(n, k, &p.Value)
			continue
		}
		d.unknown(n, k)
	}
	return p
}
