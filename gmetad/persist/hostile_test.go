package persist

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// hostileNames are names a network peer can send that must never become
// paths: traversal, separators, NUL and control bytes, 4 KiB.
var hostileNames = []string{"../x", "..", "a/b", "nul\x00x", "ctl\x01x", "\n", strings.Repeat("h", 4096)}

// TestHostileNames: nothing is created outside the root, whatever the
// cluster, host and metric names, even with a symlink to an outside
// directory planted where a cluster directory goes; every refusal is
// counted, once per occurrence, and the sound parts are written.
func TestHostileNames(t *testing.T) {
	top := t.TempDir()
	root, outside := filepath.Join(top, "rrds"), filepath.Join(top, "outside")
	for _, d := range []string{root, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "Planted")); err != nil {
		t.Fatal(err)
	}
	now := stepTime(1)
	var srcs []xmlout.Source
	good := host("good", now, metric("ok", "1", "float", "both", now))
	for _, name := range hostileNames {
		good.Metrics = append(good.Metrics, metric(name, "1", "float", "both", now))
	}
	hosts := []xmlout.Host{good}
	for _, name := range hostileNames {
		hosts = append(hosts, host(name, now, metric("ok", "1", "float", "both", now)))
		srcs = append(srcs, cluster(name, now, host("h", now, metric("ok", "1", "float", "both", now))))
	}
	srcs = append(srcs,
		cluster("Sound", now, hosts...),
		cluster("Planted", now, host("h", now, metric("ok", "1", "float", "both", now))),
		cluster("LPARS", now, host("h", now, metric("ok", "1", "float", "both", now))),
		xmlout.Source{Kind: xmlout.Grid, Name: "../grid", LocalTime: now.Unix(), Summary: srcs[0].Summary})
	s := snapshot(srcs...)
	// Every summary also carries every hostile metric name.
	s.Summary = summarize([]xmlout.Host{good}, now)

	p := newPersister(t, Options{Root: root, Writer: openStore(t), RRAs: smallRRAs})
	persistSteps(t, p, s)
	st := p.Stats()
	closePersister(t, p)

	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Errorf("%d entries written outside the root, in the planted link's target", len(ents))
	}
	if ents, _ := os.ReadDir(top); len(ents) != 2 {
		t.Errorf("%d entries next to the root, want 2", len(ents))
	}
	var files []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, mustRel(t, root, path))
		}
		return err
	})
	want := []string{"LPARS/good/ok.rrd", "Sound/__SummaryInfo__/ok.rrd", "__SummaryInfo__/ok.rrd"}
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("files %q, want %q", files, want)
	}
	// 7 hostile clusters, the "LPARS" cluster and the grid: 9; 7 hosts;
	// 7 metrics of the good host, and 7 in each of the two summaries.
	if n := uint64(9 + 7 + 3*7); st.NameRejections != n {
		t.Errorf("NameRejections = %d, want %d", st.NameRejections, n)
	}
	if st.TreeErrors != 1 { // the planted link
		t.Errorf("TreeErrors = %d, want 1", st.TreeErrors)
	}
	if target, _ := os.Readlink(filepath.Join(root, "Planted")); target != outside {
		t.Errorf("the planted link was changed to %q", target)
	}
}
