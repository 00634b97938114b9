package persist

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/rrdstore"
)

// TestForgetsLeftHosts: what the worker knows of a host that left the
// snapshots is dropped after an hour of steps (its files stay), so hosts
// that come and go, or hostile names, do not grow memory forever.
func TestForgetsLeftHosts(t *testing.T) {
	p := newPersister(t, Options{Root: t.TempDir(), Writer: newMemWriter()})
	now := stepTime(1)
	persistSteps(t, p, snapshot(cluster("C", now,
		host("gone", now, metric("load_one", "1", "float", "both", now)),
		host("../evil", now, metric("load_one", "1", "float", "both", now)),
		host("stays", now, metric("load_one", "1", "float", "both", now)))))
	if n := len(p.w.hosts); n != 2+1 {
		t.Fatalf("%d hosts known, want 3", n)
	}
	for k := 2; k <= 2+forgetAfter/15+sweepEvery/15; k++ {
		now := stepTime(k)
		persistSteps(t, p, snapshot(cluster("C", now, host("stays", now, metric("load_one", "1", "float", "both", now)))))
	}
	if n, d := len(p.w.hosts), len(p.w.dirs); n != 1 || d != 3 { // stays; its dir, C's and the root summary dirs
		t.Errorf("%d hosts and %d directories known, want 1 and 3", n, d)
	}
	if _, ok := p.w.hosts[hostKey{"C", "stays"}]; !ok {
		t.Errorf("forgot the host that stays")
	}
}

// TestCaseInsensitiveHostnames: with case_sensitive_hostnames 0 the host
// directory and link are lower-cased, as stock gmetad does, and two
// spellings of one host share its files.
func TestCaseInsensitiveHostnames(t *testing.T) {
	root := t.TempDir()
	to := rrdstore.DefaultTreeOptions()
	to.CaseSensitiveHostnames = false
	p := newPersister(t, Options{Root: root, TreeOptions: &to, Writer: openStore(t), RRAs: smallRRAs})
	for k, name := range []string{"LPAR01.Example.COM", "lpar01.example.com"} {
		now := stepTime(k + 1)
		persistSteps(t, p, snapshot(cluster("C", now, host(name, now, metric("load_one", "1", "float", "both", now)))))
	}
	closePersister(t, p)
	checkEntries(t, root, "LPARS", "lpar01.example.com")
	checkEntries(t, root, "C", "__SummaryInfo__", "lpar01.example.com")
	if info := rrdInfo(t, filepath.Join(root, "C/lpar01.example.com/load_one.rrd")); info["last_update"] != "1795303230" {
		t.Errorf("last update %s, want step 2's", info["last_update"])
	}
	if _, err := os.Lstat(filepath.Join(root, "C/LPAR01.Example.COM")); err == nil {
		t.Errorf("a directory or link in the original case exists")
	}
}
