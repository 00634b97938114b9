package mapping

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// decoder turns toml's generic tree into a Mapping, collecting every
// problem instead of stopping at the first. The file is decoded into
// map[string]any rather than a struct so that a wrong type (port = "8301")
// is one error among others, not the end of decoding; for the same reason
// unknown keys are found here against the schema, not via
// MetaData.Undecoded (which sees nothing as decoded in a map).
type decoder struct {
	file  string
	lines map[string]int
	errs  Errors
}

// fail records a problem at key, unless key or a parent of it already has
// one: a system whose port has the wrong type is not also reported as a
// duplicate port, an element that is not a table not also as missing keys.
func (d *decoder) fail(key string, kind error, format string, args ...any) {
	for _, e := range d.errs {
		if e.Key == key || strings.HasPrefix(key, e.Key+".") || strings.HasPrefix(key, e.Key+"[") {
			return
		}
	}
	d.errs = append(d.errs, &FieldError{File: d.file, Line: lineOf(d.lines, key), Key: key,
		Msg: fmt.Sprintf(format, args...), Err: kind})
}

// syntax parses the TOML text; a syntax error carries toml's position.
func (d *decoder) syntax(data []byte) (map[string]any, bool) {
	raw := map[string]any{}
	_, err := toml.Decode(string(data), &raw)
	if err == nil {
		return raw, true
	}
	fe := &FieldError{File: d.file, Msg: err.Error(), Err: ErrSyntax}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		fe.Line, fe.Key, fe.Msg = pe.Position.Line, pe.LastKey, pe.Message
	}
	d.errs = append(d.errs, fe)
	return nil, false
}

// Keys each table may hold.
var (
	topKeys    = []string{"collector", "lpar_dir", "acl", "default", "managed_system", "host"}
	defaultKey = []string{"cluster", "port", "acl"}
	systemKeys = []string{"name", "model_serial", "port", "collector", "acl"}
	hostKeys   = []string{"name", "cluster", "port", "collector"}
)

func (d *decoder) mapping(raw map[string]any) *Mapping {
	d.unknown(raw, "", topKeys)
	m := &Mapping{LPARDir: DefaultLPARDir}
	m.Collector, _ = d.str(raw, "", "collector")
	if s, ok := d.str(raw, "", "lpar_dir"); ok {
		m.LPARDir = s
	}
	m.ACL = d.acl(raw, "")
	if t, ok := d.table(raw, "", "default"); ok {
		d.unknown(t, "default", defaultKey)
		m.Default = Entry{Cluster: d.need(t, "default", "cluster"), Port: d.port(t, "default", true),
			ACL: d.acl(t, "default")}
	} else {
		d.fail("default", ErrRequired, "missing [default] table (cluster and port for unlisted chassis)")
	}
	for i, t := range d.tables(raw, "managed_system") {
		p := indexKey("managed_system", i)
		d.unknown(t, p, systemKeys)
		s := System{Name: d.need(t, p, "name"), ModelSerial: d.need(t, p, "model_serial"),
			Port: d.port(t, p, true), ACL: d.acl(t, p)}
		s.Collector, _ = d.str(t, p, "collector")
		m.Systems = append(m.Systems, s)
	}
	for i, t := range d.tables(raw, "host") {
		p := indexKey("host", i)
		d.unknown(t, p, hostKeys)
		h := HostRule{Name: d.need(t, p, "name"), Cluster: d.need(t, p, "cluster"), Port: d.port(t, p, false)}
		h.Collector, _ = d.str(t, p, "collector")
		m.Hosts = append(m.Hosts, h)
	}
	return m
}

// unknown reports keys of t not in allowed, in sorted order (map order is
// random; Parse sorts by line afterwards).
func (d *decoder) unknown(t map[string]any, path string, allowed []string) {
	keys := make([]string, 0, len(t))
	for k := range t {
		if !slices.Contains(allowed, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		d.fail(joinKey(path, k), ErrUnknownKey, "unknown key (want one of %s)", strings.Join(allowed, ", "))
	}
}

// str returns t[key] if it is a string; ok is false when absent or wrong.
func (d *decoder) str(t map[string]any, path, key string) (string, bool) {
	v, present := t[key]
	if !present {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		d.fail(joinKey(path, key), ErrType, "want a string, got %s", typeName(v))
	}
	return s, ok
}

// need is str for a required key.
func (d *decoder) need(t map[string]any, path, key string) string {
	if _, present := t[key]; !present {
		d.fail(joinKey(path, key), ErrRequired, "required")
		return ""
	}
	s, _ := d.str(t, path, key)
	return s
}

// port returns t["port"] checked to be in 1..65535, 0 when absent.
func (d *decoder) port(t map[string]any, path string, required bool) int {
	key := joinKey(path, "port")
	v, present := t["port"]
	switch n, ok := v.(int64); {
	case !present:
		if required {
			d.fail(key, ErrRequired, "required")
		}
		return 0
	case !ok:
		d.fail(key, ErrType, "want an integer, got %s", typeName(v))
		return 0
	case n < 1 || n > math.MaxUint16:
		d.fail(key, ErrPortRange, "%d is not a UDP port (1..65535)", n)
		return 0
	default:
		return int(n)
	}
}

// acl parses t["acl"], an array of rule strings.
func (d *decoder) acl(t map[string]any, path string) ACL {
	key := joinKey(path, "acl")
	v, present := t["acl"]
	if !present {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		d.fail(key, ErrType, "want an array of strings like \"allow 10.0.0.0/8\", got %s", typeName(v))
		return nil
	}
	var out ACL
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			d.fail(indexKey(key, i), ErrType, "want a string, got %s", typeName(e))
			continue
		}
		r, err := ParseACLRule(s)
		if err != nil {
			d.fail(indexKey(key, i), ErrACL, "%s", strings.TrimPrefix(err.Error(), ErrACL.Error()+": "))
			continue
		}
		out = append(out, r)
	}
	return out
}

// table returns t[key] if it is a table.
func (d *decoder) table(t map[string]any, path, key string) (map[string]any, bool) {
	v, present := t[key]
	if !present {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(joinKey(path, key), ErrType, "want a table, got %s", typeName(v))
		return map[string]any{}, true
	}
	return m, true
}

// tables returns raw[key] as a list of tables: [[key]] sections decode to
// []map[string]any, key = [{...}, ...] to []any.
func (d *decoder) tables(raw map[string]any, key string) []map[string]any {
	switch v := raw[key].(type) {
	case nil:
		return nil
	case []map[string]any:
		return v
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			if out[i], _ = e.(map[string]any); out[i] == nil {
				d.fail(indexKey(key, i), ErrType, "want a table, got %s", typeName(e))
				out[i] = map[string]any{}
			}
		}
		return out
	default:
		d.fail(key, ErrType, "want [[%s]] tables, got %s", key, typeName(v))
		return nil
	}
}

// typeName names a decoded TOML value's type the way the TOML spec does.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case []any, []map[string]any:
		return "array"
	case map[string]any:
		return "table"
	default:
		return "date-time"
	}
}
