package conf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// ACL is a channel's acl { default = ...; access { ip mask action } ... }.
// The first access entry whose prefix holds the address decides; with no
// match, DefaultAllow does. As in stock gmond, an acl without access
// entries allows everything whatever its default says.
type ACL struct {
	DefaultAllow bool
	Access       []Access
	Pos          Pos
}

// Access is one access entry: allow or deny the addresses of Prefix.
type Access struct {
	Allow  bool
	Prefix netip.Prefix // host bits cleared; IPv4 as IPv4, never ::ffff:0:0/96
	Pos    Pos
}

// Allowed reports whether a datagram or connection from addr is accepted.
// A nil ACL allows all. IPv4 seen on a dual-stack socket (::ffff:a.b.c.d)
// matches IPv4 entries.
func (a *ACL) Allowed(addr netip.Addr) bool {
	if a == nil || len(a.Access) == 0 {
		return true
	}
	addr = addr.Unmap().WithZone("")
	for _, e := range a.Access {
		if e.Prefix.Contains(addr) {
			return e.Allow
		}
	}
	return a.DefaultAllow
}

func (d *decoder) acl(sec *node, path string) *ACL {
	a := &ACL{DefaultAllow: true, Pos: sec.pos}
	for _, n := range sec.children {
		k := path + "." + n.key
		switch n.key {
		case "default":
			if v, ok := d.option(n, k); ok {
				d.action(n, k, v, &a.DefaultAllow)
			}
		case "access":
			if d.section(n, k, false) {
				if e, ok := d.access(n, k); ok {
					a.Access = append(a.Access, e)
				}
			}
		default:
			d.unknown(n, k)
		}
	}
	return a
}

// action parses allow/deny, case-insensitive as stock's apr_strnatcasecmp.
func (d *decoder) action(n *node, key, v string, allow *bool) bool {
	switch strings.ToLower(v) {
	case "allow":
		*allow = true
	case "deny":
		*allow = false
	default:
		d.p.errorf(n.pos, key, ErrRange, "%q is not an action; use allow or deny", v)
		return false
	}
	return true
}

func (d *decoder) access(sec *node, path string) (Access, bool) {
	e := Access{Pos: sec.pos}
	var ip, mask string
	var ipAt, maskAt, actionAt Pos // Line 0: not written
	good := true
	for _, n := range sec.children {
		k := path + "." + n.key
		switch n.key {
		case "ip":
			d.str(n, k, &ip)
			ipAt = n.pos
		case "mask":
			d.str(n, k, &mask)
			maskAt = n.pos
		case "action":
			actionAt = n.pos
			if v, ok := d.option(n, k); !ok || !d.action(n, k, v, &e.Allow) {
				good = false
			}
		default:
			d.unknown(n, k)
		}
	}
	if ipAt.Line == 0 {
		d.p.errorf(sec.pos, path+".ip", ErrRequired, "access entry needs an ip")
		good = false
	}
	if actionAt.Line == 0 {
		d.p.errorf(sec.pos, path+".action", ErrRequired, "access entry needs an action (allow or deny)")
		good = false
	}
	if !good {
		return e, false
	}
	p, err := subnet(ip, mask)
	if err != nil {
		at, key := ipAt, path+".ip"
		if maskAt.Line != 0 {
			at, key = maskAt, path+".mask"
		}
		d.p.errorf(at, key, ErrRange, "ip %q mask %q: %v", ip, mask, err)
		return e, false
	}
	e.Prefix = p
	return e, true
}

// subnet builds the prefix as APR's apr_ipsubnet_create does: mask is a
// prefix length or (IPv4) a dotted netmask; a partial IPv4 address such as
// "10.1" implies its own mask (/16) when none is given; no mask means the
// single host.
func subnet(ip, mask string) (netip.Prefix, error) {
	addr, implied, err := parseSubnetAddr(ip)
	if err != nil {
		return netip.Prefix{}, err
	}
	bits := implied
	if mask != "" {
		if bits, err = maskBits(mask, addr.Is4()); err != nil {
			return netip.Prefix{}, err
		}
	}
	return addr.Prefix(bits)
}

func parseSubnetAddr(ip string) (netip.Addr, int, error) {
	if a, err := netip.ParseAddr(ip); err == nil {
		if a.Zone() != "" {
			return netip.Addr{}, 0, fmt.Errorf("an address with a zone cannot match")
		}
		a = a.Unmap()
		return a, a.BitLen(), nil
	}
	parts := strings.Split(strings.TrimSuffix(ip, "."), ".")
	if len(parts) < 1 || len(parts) > 3 {
		return netip.Addr{}, 0, fmt.Errorf("not an IP address")
	}
	var b [4]byte
	for i, s := range parts {
		v, err := strconv.ParseUint(s, 10, 8)
		if err != nil || s == "" || (len(s) > 1 && s[0] == '0') {
			return netip.Addr{}, 0, fmt.Errorf("not an IP address")
		}
		b[i] = byte(v)
	}
	return netip.AddrFrom4(b), 8 * len(parts), nil
}

func maskBits(mask string, v4 bool) (int, error) {
	max := 128
	if v4 {
		max = 32
	}
	if n, err := strconv.Atoi(mask); err == nil {
		if n < 0 || n > max {
			return 0, fmt.Errorf("mask length out of range 0-%d", max)
		}
		return n, nil
	}
	m, err := netip.ParseAddr(mask)
	if !v4 || err != nil || !m.Is4() {
		return 0, fmt.Errorf("mask is neither a prefix length nor a dotted IPv4 netmask")
	}
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for v&(1<<31) != 0 {
		ones++
		v <<= 1
	}
	if v != 0 {
		return 0, fmt.Errorf("netmask %s is not contiguous", mask)
	}
	return ones, nil
}
