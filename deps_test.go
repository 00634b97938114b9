// Package ganglialpm_test holds repository-wide checks. deps_test.go enforces
// the import direction of DESIGN.md, the way go/build's deps_test does for the
// standard library: a new import that breaks the layering fails here, with
// the rule it breaks, instead of in review.
package ganglialpm_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ganglia-lpm/ganglia-lpm"

// rules maps a package (or a prefix ending in "/") of this module to the
// project packages and third-party modules its non-test code may import.
// The standard library is always allowed. First matching rule wins.
var rules = []struct {
	pkg     string
	project []string // allowed project import prefixes
	third   []string // allowed third-party module prefixes
}{
	// Leaves: pure packages everything else builds on.
	{"xdr", nil, nil},
	{"rrdstore/", []string{"rrdstore/", "rrdstore"}, nil},
	{"rrdstore", []string{"rrdstore/"}, nil},
	{"templates", nil, nil},
	{"internal/pcap", nil, nil},
	{"internal/cnum", nil, nil},
	{"internal/xmlattr", nil, nil},
	// The agent never imports the server or the RRD engine.
	{"gmond/", []string{"xdr", "templates", "gmond/", "internal/"}, agentThirdParty},
	{"gmond", []string{"xdr", "templates", "gmond/", "internal/"}, agentThirdParty},
	// The server may embed gmond's collector role.
	{"gmetad/", []string{"xdr", "rrdstore", "templates", "gmond/", "gmetad/", "internal/"}, agentThirdParty},
	{"gmetad", []string{"xdr", "rrdstore", "templates", "gmond/", "gmetad/", "internal/"}, agentThirdParty},
	// Only cmd wires the pipeline together.
	{"cmd/", []string{"xdr", "rrdstore", "templates", "gmond", "gmetad", "internal/"}, agentThirdParty},
	{"internal/", []string{"xdr", "rrdstore", "templates", "gmond", "gmetad", "internal/"}, agentThirdParty},
}

var agentThirdParty = []string{
	"github.com/BurntSushi/toml", "github.com/fsnotify/fsnotify", "golang.org/x/sys",
	"github.com/prometheus/procfs", "github.com/shirou/gopsutil",
}

// testOnly packages exist to drive stock daemons and a browser from tests;
// production code must never link them (they may build on each other).
var testOnly = []string{"internal/stockganglia", "internal/browser", "internal/lpmscenario", "internal/gangliaweb"}

type listedPackage struct {
	ImportPath string
	Imports    []string
}

func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []listedPackage
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 3 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func TestImportDirection(t *testing.T) {
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, imp := range p.Imports {
			if msg := checkImport(rel, imp); msg != "" {
				t.Errorf("%s imports %s: %s", rel, imp, msg)
			}
		}
	}
}

func checkImport(pkg, imp string) string {
	if !strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
		return "" // standard library
	}
	if !strings.HasPrefix(imp, module+"/") {
		r := ruleFor(pkg)
		if r == nil || !hasPrefix(imp, r.third) {
			return "third-party module not allowed here (DESIGN.md package table)"
		}
		return ""
	}
	target := strings.TrimPrefix(imp, module+"/")
	if hasPrefix(target, testOnly) && !hasPrefix(pkg, testOnly) {
		return "test-only package linked into non-test code"
	}
	if strings.HasPrefix(target, "cmd/") {
		return "nothing imports a command"
	}
	r := ruleFor(pkg)
	if r == nil {
		return "package has no rule in deps_test.go: add one"
	}
	if !hasPrefix(target, r.project) {
		return "breaks the import direction of DESIGN.md"
	}
	return ""
}

func ruleFor(pkg string) *struct {
	pkg     string
	project []string
	third   []string
} {
	for i := range rules {
		r := &rules[i]
		if pkg == r.pkg || (strings.HasSuffix(r.pkg, "/") && strings.HasPrefix(pkg, r.pkg)) {
			return r
		}
	}
	return nil
}

// hasPrefix matches "x" against a rule entry "x" (that package, or its
// sub-packages when the entry ends in "/") and module paths by prefix.
func hasPrefix(s string, list []string) bool {
	for _, p := range list {
		if s == p || strings.HasPrefix(s, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// TestImportRules checks the checker on imports that must be refused.
func TestImportRules(t *testing.T) {
	bad := [][2]string{
		{"xdr", module + "/rrdstore"},
		{"xdr", "github.com/BurntSushi/toml"},
		{"rrdstore", module + "/xdr"},
		{"gmond/agent", module + "/gmetad/state"},
		{"gmond/agent", module + "/rrdstore"},
		{"gmetad/state", module + "/cmd/gmetad"},
		{"gmetad/state", module + "/internal/stockganglia"},
		{"templates", module + "/xdr"},
	}
	for _, b := range bad {
		if checkImport(b[0], b[1]) == "" {
			t.Errorf("%s importing %s was allowed", b[0], b[1])
		}
	}
	good := [][2]string{
		{"gmetad/state", module + "/gmond/collector"},
		{"gmond/agent", module + "/xdr"},
		{"cmd/gmetad", module + "/gmetad/state"},
		{"xdr", "encoding/binary"},
	}
	for _, g := range good {
		if msg := checkImport(g[0], g[1]); msg != "" {
			t.Errorf("%s importing %s refused: %s", g[0], g[1], msg)
		}
	}
}
