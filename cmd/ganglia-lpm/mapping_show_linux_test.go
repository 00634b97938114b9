package main

import "testing"

// The sysroot fixtures are Linux trees: identity.Read looks at /proc only
// when runtime.GOOS is linux, hence the file name's build constraint.

func TestMappingShowGolden(t *testing.T) {
	cases := []struct {
		name, mapping, machine, host string
		code                         int
	}{
		{"p9", renderMapping, "p9", "lnxlpar01", exitOK},
		{"p10", renderMapping, "p10", "lnxlpar01.example.com", exitOK},
		{"x86", renderMapping, "x86", "web01", exitOK},
		{"hostrule", renderMapping, "p9", "GANGLIA", exitOK},
		{"unmapped", "testdata/render/p9only.toml", "p10", "lnxlpar01", exitOK},
		{"unreadable", renderMapping, "unreadable", "lnxlpar01", exitFailed},
		{"nomapping", "testdata/mapping/missing.toml", "p9", "lnxlpar01", exitFailed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCmd(t, nil, "mapping", "show", "--mapping", c.mapping, "--sysroot", "testdata/render/"+c.machine,
				"--hostname", c.host)
			if r.code != c.code {
				t.Errorf("exit %d, want %d", r.code, c.code)
			}
			golden(t, "mapping/show-"+c.name+".golden", r.String())
		})
	}
}
