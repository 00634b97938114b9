package conf

import "regexp"

func (d *decoder) group(sec *node) CollectionGroup {
	const path = "collection_group"
	g, w := newGroup(sec.pos), written{}
	for _, n := range sec.children {
		k := path + "." + n.key
		w[n.key] = n.pos
		switch n.key {
		case "metric":
			if d.section(n, k, false) {
				if m, ok := d.metric(n, k); ok {
					g.Metrics = append(g.Metrics, m)
				}
			}
		case "collect_once":
			d.boolean(n, k, &g.CollectOnce)
		case "collect_every":
			d.seconds(n, k, &g.CollectEvery)
		case "time_threshold":
			d.seconds(n, k, &g.TimeThreshold)
		default:
			d.unknown(n, k)
		}
	}
	// Zero would make stock gmond collect or send on every loop turn; it
	// is never what the author meant.
	if g.CollectEvery == 0 && !g.CollectOnce {
		d.p.errorf(w.at("collect_every", sec.pos), path+".collect_every", ErrRange,
			"must be at least 1 second (or set collect_once = yes)")
	}
	if g.TimeThreshold == 0 {
		d.p.errorf(w.at("time_threshold", sec.pos), path+".time_threshold", ErrRange, "must be at least 1 second")
	}
	return g
}

func (d *decoder) metric(sec *node, path string) (GroupMetric, bool) {
	m := newGroupMetric(sec.pos)
	ok := true
	for _, n := range sec.children {
		k := path + "." + n.key
		switch n.key {
		case "name":
			d.str(n, k, &m.Name)
		case "name_match":
			d.str(n, k, &m.NameMatch)
			// Stock compiles PCRE; Go's RE2 covers the patterns gmond
			// configs use (no backreferences or lookaround).
			if _, err := regexp.Compile(m.NameMatch); err != nil {
				d.p.errorf(n.pos, k, ErrType, "not a regular expression this gmond can use: %v", err)
				ok = false
			}
		case "value_threshold":
			if d.float(n, k, &m.ValueThreshold) && m.ValueThreshold < 0 {
				m.ValueThreshold = -1 // stock tests >= 0; any negative disables
			}
		case "title":
			d.str(n, k, &m.Title)
		default:
			d.unknown(n, k)
		}
	}
	if m.Name == "" && m.NameMatch == "" {
		d.p.errorf(sec.pos, path+".name", ErrRequired, "metric needs a name (or name_match)")
		ok = false
	}
	return m, ok
}
