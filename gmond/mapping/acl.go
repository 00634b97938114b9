package mapping

import (
	"fmt"
	"net/netip"
	"strings"
)

// ACLRule allows or denies the source addresses in Prefix. In the file it
// is one string, "allow 10.1.0.0/16" or "deny 2001:db8::/32"; a bare
// address means that host only (/32 or /128). It plays the part of stock
// gmond's udp_recv_channel acl { access { ip mask action } } blocks.
type ACLRule struct {
	Allow  bool
	Prefix netip.Prefix // masked: host bits are cleared
}

// ACL is an ordered rule list: the first rule whose prefix contains the
// address decides; an address no rule matches is allowed, as in stock
// gmond when its acl has default "allow".
type ACL []ACLRule

// ParseACLRule parses "allow|deny <address or CIDR>" (action
// case-insensitive, IPv4 or IPv6). Host bits of a CIDR are cleared, so
// "10.1.2.3/16" means 10.1.0.0/16.
func ParseACLRule(s string) (ACLRule, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return ACLRule{}, fmt.Errorf("%w: %q: want \"allow|deny <address or CIDR>\"", ErrACL, s)
	}
	var r ACLRule
	switch strings.ToLower(f[0]) {
	case "allow":
		r.Allow = true
	case "deny":
	default:
		return ACLRule{}, fmt.Errorf("%w: %q: action must be allow or deny", ErrACL, s)
	}
	p, err := parsePrefix(f[1])
	if err != nil {
		return ACLRule{}, fmt.Errorf("%w: %q: %v", ErrACL, s, err)
	}
	r.Prefix = p
	return r, nil
}

// parsePrefix accepts a CIDR or a bare address (a one-host prefix). Zones
// ("fe80::1%eth0") are refused: a prefix with a zone cannot match.
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		if a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("address %q has a zone", s)
		}
		return unmapPrefix(netip.PrefixFrom(a, a.BitLen())), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return unmapPrefix(p.Masked()), nil
}

// unmapPrefix turns ::ffff:a.b.c.d/n (n >= 96) into a.b.c.d/(n-96), because
// Allowed matches IPv4-mapped addresses as IPv4.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p
}

// String returns the rule as written in the file, in canonical form.
func (r ACLRule) String() string {
	action := "deny"
	if r.Allow {
		action = "allow"
	}
	p := r.Prefix.String()
	if r.Prefix.IsSingleIP() {
		p = r.Prefix.Addr().String()
	}
	return action + " " + p
}

// MarshalText writes the rule as its file form (JSON goldens, TOML).
func (r ACLRule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText parses the file form with ParseACLRule.
func (r *ACLRule) UnmarshalText(b []byte) error {
	v, err := ParseACLRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Allowed reports whether packets from addr may be accepted. An IPv4
// address seen on a dual-stack socket as ::ffff:a.b.c.d is matched as IPv4,
// so one "allow 10.0.0.0/8" covers both socket kinds.
func (a ACL) Allowed(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	for _, r := range a {
		if r.Prefix.Contains(addr) {
			return r.Allow
		}
	}
	return true
}
