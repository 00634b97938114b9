package mapping

import (
	"reflect"
	"testing"
)

func TestResolve(t *testing.T) {
	m, err := Parse("r.toml", []byte(`
collector = "ganglia"
[default]
cluster = "Unmapped"
port = 8300
[[managed_system]]
name = "P550-DC1-R01"
model_serial = "8204-E8A_0000001"
port = 8301
[[managed_system]]
name = "P770-DC2-R35"
model_serial = "9117-MMB_0004711"
port = 8303
collector = "relay-dc2"
[[host]]
name = "ganglia.mydomain"
cluster = "Infrastructure"
port = 8304
[[host]]
name = "lpar-x"
cluster = "P550-DC1-R01"
collector = "direct"
[[host]]
name = "lpar-x.other"
cluster = "Unmapped"
[[host]]
name = "pinned"
cluster = "P770-DC2-R35"
`))
	if err != nil {
		t.Fatal(err)
	}
	host := func(c string, p int, coll, loc string) Target { return Target{c, p, coll, loc, SourceHostRule} }
	tests := []struct {
		name, host, serial string
		want               Target
	}{
		{"system by serial", "lpar-a", "8204-E8A_0000001", Target{"P550-DC1-R01", 8301, "ganglia", "8204-E8A_0000001", SourceSystem}},
		{"serial case-insensitive", "lpar-a", "8204-e8a_0000001", Target{"P550-DC1-R01", 8301, "ganglia", "8204-E8A_0000001", SourceSystem}},
		{"system collector override", "lpar-b", "9117-MMB_0004711", Target{"P770-DC2-R35", 8303, "relay-dc2", "9117-MMB_0004711", SourceSystem}},
		{"unknown chassis", "lpar-c", "9009-42A_21ABCDE", Target{"Unmapped", 8300, "ganglia", "", SourceDefault}},
		{"no chassis (x86)", "web1", "", Target{"Unmapped", 8300, "ganglia", "", SourceDefault}},
		{"host rule beats chassis", "ganglia.mydomain", "8204-E8A_0000001", host("Infrastructure", 8304, "ganglia", "8204-E8A_0000001")},
		{"host rule case and trailing dot", "GANGLIA.MyDomain.", "", host("Infrastructure", 8304, "ganglia", "")},
		{"short hostname matches FQDN rule", "ganglia", "", host("Infrastructure", 8304, "ganglia", "")},
		{"FQDN matches short rule", "lpar-x.mydomain", "", host("P550-DC1-R01", 8301, "direct", "")},
		{"exact beats short", "lpar-x.other", "", host("Unmapped", 8300, "ganglia", "")},
		{"first short match wins", "lpar-x", "9117-MMB_0004711", host("P550-DC1-R01", 8301, "direct", "9117-MMB_0004711")},
		{"other domain does not match", "ganglia.otherdomain", "", Target{"Unmapped", 8300, "ganglia", "", SourceDefault}},
		{"host rule takes its system's collector", "pinned", "", host("P770-DC2-R35", 8303, "relay-dc2", "")},
		{"empty hostname skips rules", "", "8204-E8A_0000001", Target{"P550-DC1-R01", 8301, "ganglia", "8204-E8A_0000001", SourceSystem}},
	}
	for _, tc := range tests {
		if got := m.Resolve(tc.host, tc.serial); got != tc.want {
			t.Errorf("%s: Resolve(%q, %q) = %+v, want %+v", tc.name, tc.host, tc.serial, got, tc.want)
		}
	}
}

func TestClusters(t *testing.T) {
	m := loadExample(t)
	global := m.ACL
	own := m.Systems[2].ACL
	want := []ClusterPort{
		{"Unmapped", 8300, global},
		{"P550-DC1-R01", 8301, global},
		{"P770-DC1-R05", 8302, global},
		{"P770-DC2-R35", 8303, append(append(ACL{}, own...), global...)},
		{"Infrastructure", 8304, global},
	}
	if got := m.Clusters(); !reflect.DeepEqual(got, want) {
		t.Errorf("Clusters() =\n%v\nwant\n%v", got, want)
	}
	m.ACL = nil
	if got := m.Clusters(); got[0].ACL != nil || len(got[3].ACL) != 2 {
		t.Errorf("without a global acl: %v", got)
	}
}
