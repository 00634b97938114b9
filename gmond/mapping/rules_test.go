package mapping

import (
	"errors"
	"strings"
	"testing"
)

// base is a valid mapping the rule cases append to.
const base = `[default]
cluster = "Unmapped"
port = 8300

[[managed_system]]
name = "P550-DC1-R01"
model_serial = "8204-E8A_0000001"
port = 8301
`

// TestValidationRules: one case per rule, checked by kind (errors.Is), key
// and line, so a rule cannot silently stop firing or move its line.
func TestValidationRules(t *testing.T) {
	sys := func(name, serial, port string) string {
		return "\n[[managed_system]]\nname = " + name + "\nmodel_serial = " + serial + "\nport = " + port + "\n"
	}
	tests := []struct {
		name, text string
		kind       error
		key        string
		line       int
	}{
		{"syntax", base + "port = = 1\n", ErrSyntax, "managed_system.port", 9},
		{"unknown top key", "colector = 'x'\n" + base, ErrUnknownKey, "colector", 1},
		{"unknown system key", base + "serial = 'x'\n", ErrUnknownKey, "managed_system[0].serial", 9},
		{"unknown table", base + "[hosts]\nname = 'a'\n", ErrUnknownKey, "hosts", 9},
		{"string port", base + sys(`"B"`, `"9117-MMB_0000002"`, `"8302"`), ErrType, "managed_system[1].port", 13},
		{"missing default", strings.TrimPrefix(base, "[default]\ncluster = \"Unmapped\"\nport = 8300\n"), ErrRequired, "default", 0},
		{"missing port", base + "\n[[managed_system]]\nname = 'B'\nmodel_serial = '9117-MMB_0000002'\n", ErrRequired, "managed_system[1].port", 10},
		{"host needs port for new cluster", base + "[[host]]\nname = 'g'\ncluster = 'Infra'\n", ErrRequired, "host[0].port", 9},
		{"port 0", base + sys(`"B"`, `"9117-MMB_0000002"`, "0"), ErrPortRange, "managed_system[1].port", 13},
		{"port 65536", base + sys(`"B"`, `"9117-MMB_0000002"`, "65536"), ErrPortRange, "managed_system[1].port", 13},
		{"system port twice", base + sys(`"B"`, `"9117-MMB_0000002"`, "8301"), ErrDuplicatePort, "managed_system[1].port", 13},
		{"system on default port", base + sys(`"B"`, `"9117-MMB_0000002"`, "8300"), ErrDuplicatePort, "managed_system[1].port", 13},
		{"host cluster on taken port", base + "[[host]]\nname = 'g'\ncluster = 'Infra'\nport = 8301\n", ErrDuplicatePort, "host[0].port", 12},
		{"host rule moves a cluster", base + "[[host]]\nname = 'g'\ncluster = 'Unmapped'\nport = 8399\n", ErrPortConflict, "host[0].port", 12},
		{"serial twice", base + sys(`"B"`, `"8204-E8A_0000001"`, "8302"), ErrDuplicateSerial, "managed_system[1].model_serial", 12},
		{"system name twice", base + sys(`"P550-DC1-R01"`, `"9117-MMB_0000002"`, "8302"), ErrDuplicateName, "managed_system[1].name", 11},
		{"host twice", base + "[[host]]\nname = 'g'\ncluster = 'Unmapped'\n[[host]]\nname = 'G.'\ncluster = 'Unmapped'\n", ErrDuplicateName, "host[1].name", 13},
		{"serial 6 chars", base + sys(`"B"`, `"9117-MMB_000002"`, "8302"), ErrModelSerial, "managed_system[1].model_serial", 12},
		{"serial no underscore", base + sys(`"B"`, `"9117-MMB-0000002"`, "8302"), ErrModelSerial, "managed_system[1].model_serial", 12},
		{"empty serial", base + sys(`"B"`, `""`, "8302"), ErrModelSerial, "managed_system[1].model_serial", 12},
		{"empty name", base + sys(`""`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"slash", base + sys(`"a/b"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"dotdot", base + sys(`".."`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"NUL", base + sys(`"a\u0000b"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"tab", base + sys(`"a\tb"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"summary dir", base + sys(`"__SummaryInfo__"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"lpar_dir as cluster", base + sys(`"LPARS"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"too long", base + sys(`"`+strings.Repeat("x", 256)+`"`, `"9117-MMB_0000002"`, "8302"), ErrUnsafeName, "managed_system[1].name", 11},
		{"bad lpar_dir", "lpar_dir = 'a/b'\n" + base, ErrUnsafeName, "lpar_dir", 1},
		{"bad collector", "collector = 'a b'\n" + base, ErrUnsafeName, "collector", 1},
		{"bad acl", base + "acl = ['allow 10.0.0.0/8', 'allow nothing']\n", ErrACL, "managed_system[0].acl[1]", 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("rules.toml", []byte(tc.text))
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want kind %v", err, tc.kind)
			}
			for _, e := range err.(Errors) {
				if errors.Is(e, tc.kind) && e.Key == tc.key && e.Line == tc.line {
					return
				}
			}
			t.Errorf("no %v at %s line %d in:\n%v", tc.kind, tc.key, tc.line, err)
		})
	}
}

// TestValidRulesPass: things that look close to a rule but are allowed.
func TestValidRulesPass(t *testing.T) {
	tests := map[string]string{
		"host joins system cluster on its port": base + "[[host]]\nname = 'a'\ncluster = 'P550-DC1-R01'\nport = 8301\n",
		"host joins default without port":       base + "[[host]]\nname = 'a'\ncluster = 'Unmapped'\n",
		"two hosts share a new cluster":         base + "[[host]]\nname = 'a'\ncluster = 'I'\nport = 9000\n[[host]]\nname = 'b'\ncluster = 'I'\n",
		"lower-case serial":                     base + "[[managed_system]]\nname = 'B'\nmodel_serial = '9117-mmb_0000002'\nport = 8302\n",
		"cluster with a space":                  base + "[[managed_system]]\nname = 'Test Cluster'\nmodel_serial = '9117-MMB_0000002'\nport = 8302\n",
		"ipv6 acl":                              "acl = ['allow 2001:db8::/32', 'deny ::/0']\n" + base,
	}
	for name, text := range tests {
		if _, err := Parse(name, []byte(text)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
