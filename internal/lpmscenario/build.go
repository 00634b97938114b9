package lpmscenario

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildMu serialises the builds of parallel tests: the first compiles,
// the others find the build cache warm and only link.
var buildMu sync.Mutex

// Binaries are our gmetad and gmond, built for one test.
type Binaries struct {
	Gmetad, Gmond string
}

// Build compiles cmd/gmetad and cmd/gmond into a temporary directory of tb
// as `make build` ships them: static (CGO_ENABLED=0), -trimpath. A build
// failure fails tb with the compiler's output.
func Build(tb testing.TB) Binaries {
	tb.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatalf("lpmscenario: %v", err)
	}
	dir := tb.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-o", dir+string(filepath.Separator), "./cmd/gmetad", "./cmd/gmond")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("lpmscenario: go build in %s: %v\n%s", root, err, out)
	}
	return Binaries{Gmetad: filepath.Join(dir, "gmetad"), Gmond: filepath.Join(dir, "gmond")}
}

// moduleRoot is the directory of go.mod, from the test's working directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the module (go env GOMOD = %q)", mod)
	}
	return filepath.Dir(mod), nil
}
