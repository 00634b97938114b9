package sender

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// lookupFunc resolves a host name; tests replace net.DefaultResolver.
type lookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)

func defaultLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// family is 4 or 6 for a specific address and 0 for the wildcard (or no
// address), which a dual-stack socket can send to from either family.
func family(a netip.Addr) int {
	switch {
	case !a.IsValid() || a.IsUnspecified():
		return 0
	case a.Unmap().Is4():
		return 4
	}
	return 6
}

// resolveAddr returns an address of host in family fam (0 = either). With
// a choice, IPv4 comes first: Ganglia collectors listen on IPv4 (family
// "inet4" is the stock default), and "localhost" often resolves to ::1
// first.
func resolveAddr(ctx context.Context, lookup lookupFunc, host string, fam int) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		a = a.Unmap()
		if fam != 0 && family(a) != 0 && family(a) != fam {
			return netip.Addr{}, fmt.Errorf("%s is not an IPv%d address like the bound source", host, fam)
		}
		return a, nil
	}
	addrs, err := lookup(ctx, host)
	if err != nil {
		return netip.Addr{}, err
	}
	var v6 netip.Addr
	for _, a := range addrs {
		a = a.Unmap()
		switch family(a) {
		case 4:
			if fam != 6 {
				return a, nil
			}
		case 6:
			if fam != 4 && !v6.IsValid() {
				v6 = a
			}
		}
	}
	if v6.IsValid() {
		return v6, nil
	}
	if fam != 0 {
		return netip.Addr{}, fmt.Errorf("%s has no IPv%d address (the bound source is IPv%d)", host, fam, fam)
	}
	return netip.Addr{}, fmt.Errorf("%s has no address", host)
}
