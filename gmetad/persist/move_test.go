package persist

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ganglia-lpm/ganglia-lpm/gmetad/xmlout"
)

// TestMoveKeepsOneSeries: an LPAR is in cluster A for 10 steps, then LPM
// moves it to B for 10 more. It keeps one set of files under LPARS, both
// clusters link to it, and rrdtool fetch shows one series with no gap.
func TestMoveKeepsOneSeries(t *testing.T) {
	root := t.TempDir()
	p := newPersister(t, Options{Root: root, Writer: openStore(t), RRAs: smallRRAs})
	var snaps []*xmlout.Snapshot
	for k := 1; k <= 20; k++ {
		now := stepTime(k)
		name, other := "P550-DC1-R01", "P770-DC1-R05"
		if k > 10 {
			name, other = other, name
		}
		h := host("lpar07", now,
			metric("load_one", strconv.Itoa(k)+".5", "float", "both", now),
			metric("bytes_total", strconv.Itoa(1500*k), "uint32", "positive", now))
		// The cluster the host left stays in the output, empty (its
		// summary entries are zeroed, not removed: Q12).
		left := cluster(other, now)
		snaps = append(snaps, snapshot(cluster(name, now, h), left))
	}
	persistSteps(t, p, snaps...)
	closePersister(t, p)

	checkEntries(t, root, "LPARS", "lpar07")
	lpar, _ := os.Stat(filepath.Join(root, "LPARS/lpar07/load_one.rrd"))
	for _, c := range []string{"P550-DC1-R01", "P770-DC1-R05"} {
		fi, err := os.Stat(filepath.Join(root, c, "lpar07/load_one.rrd"))
		if err != nil || !os.SameFile(fi, lpar) {
			t.Errorf("%s/lpar07/load_one.rrd is not LPARS/lpar07/load_one.rrd (%v)", c, err)
		}
	}

	for _, c := range []string{"P550-DC1-R01", "P770-DC1-R05"} {
		gauge := rrdFetch(t, filepath.Join(root, c, "lpar07/load_one.rrd"), base, base+15*21)
		counter := rrdFetch(t, filepath.Join(root, c, "lpar07/bytes_total.rrd"), base, base+15*21)
		// Step 1 only opens the series (created at T−1; a COUNTER needs
		// two readings); from step 2 on every step has its value.
		for k := 2; k <= 20; k++ {
			tk := stepTime(k).Unix()
			if v := rowAt(gauge, tk); len(v) != 1 || !near(v[0], float64(k)+0.5) {
				t.Errorf("%s load_one at step %d: %v, want %v", c, k, v, float64(k)+0.5)
			}
			if v := rowAt(counter, tk); len(v) != 1 || !near(v[0], 100) {
				t.Errorf("%s bytes_total at step %d: %v, want a rate of 100/s", c, k, v)
			}
		}
		if v := rowAt(gauge, stepTime(21).Unix()); len(v) != 1 || !math.IsNaN(v[0]) {
			t.Errorf("%s load_one after the last step: %v, want unknown", c, v)
		}
	}
}
