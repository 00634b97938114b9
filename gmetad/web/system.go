package web

import (
	"cmp"
	"net/url"
	"slices"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/grid"
	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// systemView is the managed-system page and /api/system/<name>.
type systemView struct {
	systemRow
	Time   time.Time `json:"time"`
	Sort   string    `json:"sort"`
	Order  string    `json:"order"`
	Hosts  []lparRow `json:"hosts"`
	Moves  []moveRow `json:"moves"` // in or out of this system, oldest first
	Range  string    `json:"-"`
	Ranges []link    `json:"-"`
	Cols   []column  `json:"-"`
}

// link is one entry of a row of choices (ranges, sort orders).
type link struct {
	Label, Href string
	Active      bool
}

// column is a sortable column head of the LPAR table.
type column struct {
	Key, Label, Href string
	Active           bool
	Order            string // "asc" or "desc" when Active
	Num              bool
}

// sortKey is one sortable column: numeric when value is set.
type sortKey struct {
	key, label string
	value      func(*lparRow) num
}

// sortKeys are the columns of the LPAR table, by ?sort= key; numeric
// columns sort largest first on the first click.
var sortKeys = []sortKey{
	{"name", "LPAR", nil},
	{"state", "State", nil},
	{"cpu_used", "physc", func(r *lparRow) num { return r.Physc }},
	{"cpu_ec", "%entc", func(r *lparRow) num { return r.Entc }},
	{"cpu_entitlement", "Entitled", func(r *lparRow) num { return r.Ent }},
	{"load_one", "Load", func(r *lparRow) num { return r.Load }},
	{"mem", "Memory used", func(r *lparRow) num { return r.MemUsedPct() }},
}

// errBadSort is a sort or order parameter that names no column.
type errBadSort string

func (e errBadSort) Error() string { return string(e) }

// sortRows orders rows by key ("" is "name") and order ("" is the key's
// natural order: names ascending, numbers descending). Unknown numbers go
// last either way; ties are broken by name.
func sortRows(rows []lparRow, key, order string) (string, string, error) {
	if key == "" {
		key = "name"
	}
	idx := slices.IndexFunc(sortKeys, func(k sortKey) bool { return k.key == key })
	if idx < 0 {
		return "", "", errBadSort("unknown sort column " + key)
	}
	value := sortKeys[idx].value
	switch order {
	case "":
		order = "asc"
		if value != nil {
			order = "desc"
		}
	case "asc", "desc":
	default:
		return "", "", errBadSort("order must be asc or desc")
	}
	sign := 1
	if order == "desc" {
		sign = -1
	}
	slices.SortStableFunc(rows, func(a, b lparRow) int {
		var c int
		switch {
		case key == "name":
			c = sign * cmp.Compare(a.Name, b.Name)
		case key == "state":
			c = sign * cmp.Compare(b2i(a.Up), b2i(b.Up))
		default:
			va, vb := value(&a), value(&b)
			switch {
			case !va.known() && !vb.known():
			case !va.known():
				return 1
			case !vb.known():
				return -1
			default:
				c = sign * cmp.Compare(va, vb)
			}
		}
		if c == 0 {
			c = cmp.Compare(a.Name, b.Name)
		}
		return c
	})
	return key, order, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// columns returns the table heads, each linking to its sort: the active
// column toggles its order, the others start in their natural one.
func columns(base, key, order, rng string) []column {
	out := make([]column, len(sortKeys))
	for i, k := range sortKeys {
		q := url.Values{"sort": {k.key}}
		c := column{Key: k.key, Label: k.label, Num: k.value != nil}
		if k.key == key {
			c.Active, c.Order = true, order
			q.Set("order", map[string]string{"asc": "desc", "desc": "asc"}[order])
		}
		if rng != defaultRange {
			q.Set("range", rng)
		}
		c.Href = base + "?" + q.Encode()
		out[i] = c
	}
	return out
}

// rangeLinks returns the range choices of a page at base, keeping extra
// query parameters.
func rangeLinks(base string, q url.Values, active string) []link {
	out := make([]link, len(ranges))
	for i, r := range ranges {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("range", r.Name)
		out[i] = link{Label: r.Name, Href: base + "?" + v.Encode(), Active: r.Name == active}
	}
	return out
}

// buildSystem returns the view of the cluster src, its rows sorted.
func buildSystem(src *xmlout.Source, moves []grid.Move, now time.Time, key, order string) (*systemView, error) {
	v := &systemView{systemRow: newSystemRow(src, now), Time: now.UTC(), Moves: []moveRow{}}
	v.Hosts = v.hosts
	var err error
	if v.Sort, v.Order, err = sortRows(v.Hosts, key, order); err != nil {
		return nil, err
	}
	for _, m := range moves {
		if m.From == src.Name {
			v.MovesOut++
		}
		if m.To == src.Name {
			v.MovesIn++
		}
		if m.From == src.Name || m.To == src.Name {
			v.Moves = append(v.Moves, newMoveRow(m))
		}
	}
	return v, nil
}
