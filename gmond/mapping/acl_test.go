package mapping

import (
	"errors"
	"net/netip"
	"testing"
)

func mustACL(t *testing.T, rules ...string) ACL {
	t.Helper()
	var a ACL
	for _, s := range rules {
		r, err := ParseACLRule(s)
		if err != nil {
			t.Fatal(err)
		}
		a = append(a, r)
	}
	return a
}

func TestACLAllowed(t *testing.T) {
	acl := mustACL(t, "deny 10.1.2.3", "allow 10.1.0.0/16", "allow 2001:db8::/32", "DENY 2001:db8::1/128",
		"deny 0.0.0.0/0", "deny ::/0")
	tests := []struct {
		addr string
		want bool
	}{
		{"10.1.2.3", false},       // bare address = /32, first rule
		{"10.1.2.4", true},        // second rule
		{"::ffff:10.1.9.9", true}, // dual-stack socket: matched as IPv4
		{"10.2.0.1", false},       // falls to deny 0.0.0.0/0
		{"2001:db8::1", true},     // first match wins: the /32 allow comes before the /128 deny
		{"2001:db9::1", false},
		{"fe80::1%eth0", false}, // zone ignored
	}
	for _, tc := range tests {
		if got := acl.Allowed(netip.MustParseAddr(tc.addr)); got != tc.want {
			t.Errorf("Allowed(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
	if !(ACL{}).Allowed(netip.MustParseAddr("192.0.2.1")) {
		t.Error("empty ACL must allow")
	}
	if !mustACL(t, "deny 10.0.0.0/8").Allowed(netip.MustParseAddr("192.0.2.1")) {
		t.Error("no match must allow")
	}
}

func TestParseACLRule(t *testing.T) {
	good := map[string]string{
		"allow 10.1.0.0/16":         "allow 10.1.0.0/16",
		"  Deny\t192.0.2.7  ":       "deny 192.0.2.7",
		"allow 10.1.2.3/16":         "allow 10.1.0.0/16", // host bits cleared
		"deny 2001:DB8::/32":        "deny 2001:db8::/32",
		"allow ::1":                 "allow ::1",
		"allow ::ffff:10.0.0.0/104": "allow 10.0.0.0/8",
	}
	for in, want := range good {
		r, err := ParseACLRule(in)
		if err != nil || r.String() != want {
			t.Errorf("ParseACLRule(%q) = %v, %v; want %s", in, r, err, want)
		}
		var back ACLRule
		if err := back.UnmarshalText([]byte(r.String())); err != nil || back != r {
			t.Errorf("text round trip of %v: %v, %v", r, back, err)
		}
	}
	for _, in := range []string{"", "allow", "permit 10.0.0.0/8", "allow 10.0.0.0/33", "allow 10.0.0.0/8 extra",
		"allow example.com", "allow fe80::1%eth0", "deny 300.0.0.1"} {
		if _, err := ParseACLRule(in); !errors.Is(err, ErrACL) {
			t.Errorf("ParseACLRule(%q) err = %v, want ErrACL", in, err)
		}
	}
}
