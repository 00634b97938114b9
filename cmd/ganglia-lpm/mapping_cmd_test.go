package main

import (
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmond/mapping"
)

// renderMapping is the mapping of the render and mapping tests.
const renderMapping = "testdata/render/lpm.toml"

func TestMappingValidateGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"valid", []string{renderMapping}, exitOK},
		{"bad", []string{"testdata/mapping/bad.toml"}, exitFailed},
		{"both", []string{renderMapping, "testdata/mapping/bad.toml"}, exitFailed},
		{"print", []string{"--print", "testdata/render/p9only.toml"}, exitOK},
		{"missing", []string{"testdata/mapping/missing.toml"}, exitFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCmd(t, nil, append([]string{"mapping", "validate"}, c.args...)...)
			if r.code != c.code {
				t.Errorf("exit %d, want %d", r.code, c.code)
			}
			golden(t, "mapping/validate-"+c.name+".golden", r.String())
		})
	}
}

// TestMappingValidatePrintRoundTrip: what --print shows is a mapping that
// loads back to the same thing.
func TestMappingValidatePrintRoundTrip(t *testing.T) {
	r := runCmd(t, nil, "mapping", "validate", "--print", renderMapping)
	if r.code != exitOK {
		t.Fatal(r)
	}
	_, canonical, _ := strings.Cut(r.stdout, "\n")
	again, err := mapping.Parse("printed", []byte(canonical))
	if err != nil {
		t.Fatalf("printed mapping does not parse: %v\n%s", err, canonical)
	}
	orig, err := mapping.Load(renderMapping)
	if err != nil {
		t.Fatal(err)
	}
	if mappingSummary(again) != mappingSummary(orig) || again.Resolve("x", "9105-42A_78FEDCB") != orig.Resolve("x", "9105-42A_78FEDCB") {
		t.Errorf("printed mapping differs from %s", renderMapping)
	}
}

func TestMappingUsage(t *testing.T) {
	for _, args := range [][]string{
		{"mapping"},
		{"mapping", "check"},
		{"mapping", "validate"},
		{"mapping", "validate", "--nope", renderMapping},
		{"mapping", "show", "extra"},
	} {
		if r := runCmd(t, nil, args...); r.code != exitUsage {
			t.Errorf("%q: exit %d, want 2\n%s", args, r.code, r)
		}
	}
	golden(t, "mapping/help.golden", runCmd(t, nil, "help", "mapping").String())
}

func TestPortRanges(t *testing.T) {
	cases := []struct {
		ports []int
		want  string
	}{
		{nil, ""},
		{[]int{8649}, "8649"},
		{[]int{8300, 8301, 8302, 8303}, "8300-8303"},
		{[]int{8300, 8302, 8303, 8310}, "8300, 8302-8303, 8310"},
	}
	for _, c := range cases {
		if got := portRanges(c.ports); got != c.want {
			t.Errorf("portRanges(%v) = %q, want %q", c.ports, got, c.want)
		}
	}
}

// TestHostRuleName names the rule Resolve applies: an exact name beats an
// earlier first-label match, and the first of several short matches wins.
func TestHostRuleName(t *testing.T) {
	m := &mapping.Mapping{Hosts: []mapping.HostRule{
		{Name: "ganglia", Cluster: "A", Port: 1},
		{Name: "ganglia.mydomain", Cluster: "B", Port: 2},
		{Name: "web01.dc1", Cluster: "C", Port: 3},
		{Name: "web01.dc2", Cluster: "D", Port: 4},
	}}
	cases := map[string]string{
		"ganglia.mydomain.": "ganglia.mydomain",
		"ganglia.other":     "ganglia",
		"GANGLIA":           "ganglia",
		"web01":             "web01.dc1",
		"db01":              "",
	}
	for host, want := range cases {
		if got := hostRuleName(m, host); got != want {
			t.Errorf("%s: rule %q, want %q", host, got, want)
		}
		if want != "" && m.Resolve(host, "").Cluster != map[string]string{"ganglia": "A", "ganglia.mydomain": "B", "web01.dc1": "C"}[want] {
			t.Errorf("%s: Resolve disagrees with rule %q", host, want)
		}
	}
}
