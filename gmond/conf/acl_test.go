package conf

import (
	"net/netip"
	"testing"
)

func TestSubnet(t *testing.T) {
	cases := []struct {
		ip, mask, want string // want "" = error
	}{
		{"10.1.2.3", "", "10.1.2.3/32"},
		{"10.1.2.3", "16", "10.1.0.0/16"},
		{"10.1.2.3", "255.255.0.0", "10.1.0.0/16"},
		{"10.1", "", "10.1.0.0/16"}, // APR's partial address
		{"192.168.", "", "192.168.0.0/16"},
		{"10", "", "10.0.0.0/8"},
		{"10", "24", "10.0.0.0/24"},
		{"::ffff:10.1.2.3", "", "10.1.2.3/32"},
		{"2001:db8::1", "32", "2001:db8::/32"},
		{"2001:db8::1", "", "2001:db8::1/128"},
		{"0.0.0.0", "0", "0.0.0.0/0"},
		{"10.1.2.3", "33", ""},
		{"10.1.2.3", "255.0.255.0", ""},
		{"2001:db8::1", "255.255.0.0", ""},
		{"10.1.2.3", "-1", ""},
		{"host.example", "", ""},
		{"10.01", "", ""},
		{"1.2.3.4.5", "", ""},
		{"fe80::1%eth0", "", ""},
		{"", "", ""},
	}
	for _, tc := range cases {
		p, err := subnet(tc.ip, tc.mask)
		got := ""
		if err == nil {
			got = p.String()
		}
		if got != tc.want {
			t.Errorf("subnet(%q, %q) = %q, %v; want %q", tc.ip, tc.mask, got, err, tc.want)
		}
	}
}

// TestACLAllowed follows stock gmond: first matching entry decides, then
// the default; an acl with no access entries allows everything.
func TestACLAllowed(t *testing.T) {
	c := mustParse(t, `
udp_recv_channel { port = 1 acl {
  default = deny
  access { ip = 10.1.2.3 mask = 32 action = deny }
  access { ip = 10.0.0.0 mask = 8 action = allow }
  access { ip = 2001:db8:: mask = 32 action = allow }
} }
udp_recv_channel { port = 2 acl { default = deny } }
udp_recv_channel { port = 3 }`)
	acl := c.UDPRecv[0].ACL
	for addr, want := range map[string]bool{
		"10.1.2.3": false, "10.9.9.9": true, "::ffff:10.9.9.9": true, "192.168.1.1": false,
		"2001:db8::5": true, "2001:db9::5": false,
	} {
		if got := acl.Allowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", addr, got, want)
		}
	}
	any := netip.MustParseAddr("192.0.2.1")
	if !c.UDPRecv[1].ACL.Allowed(any) || c.UDPRecv[2].ACL != nil || !c.UDPRecv[2].ACL.Allowed(any) {
		t.Errorf("an acl without entries or no acl must allow all")
	}
}
