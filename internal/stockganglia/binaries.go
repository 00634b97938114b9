package stockganglia

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The Debian locations of the stock binaries; they are preferred over PATH so
// that a ganglia-lpm build named gmond on PATH is never taken for the stock one.
var stockPaths = map[string]string{
	"gmond":   "/usr/sbin/gmond",
	"gmetad":  "/usr/sbin/gmetad",
	"gmetric": "/usr/bin/gmetric",
}

// binary returns the path of a stock Ganglia program, failing tb when it is
// not installed.
func binary(tb testing.TB, name string) string {
	tb.Helper()
	if p := stockPaths[name]; p != "" && isExecutable(p) {
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	tb.Fatalf("stockganglia: %s (stock Ganglia 3.7.2) is not installed; run `make deps`", name)
	return ""
}

// moduleDir returns the directory that holds gmond's metric modules
// (modcpu.so and friends), which Debian puts under the multiarch lib dir.
func moduleDir(tb testing.TB) string {
	tb.Helper()
	patterns := []string{
		"/usr/lib/*/ganglia/modcpu.so",
		"/usr/lib64/ganglia/modcpu.so",
		"/usr/lib/ganglia/modcpu.so",
	}
	for _, p := range patterns {
		if m, _ := filepath.Glob(p); len(m) > 0 {
			return filepath.Dir(m[0])
		}
	}
	tb.Fatalf("stockganglia: gmond metric modules (modcpu.so) not found; run `make deps`")
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
