package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ganglia-lpm/ganglia-lpm/xdr"
)

const (
	chassisA = "9009-42A_21ABCDE" // lparcfg_t0, _t1
	chassisB = "9105-42A_78FEDCB" // lparcfg_after_lpm
)

// lpmConf collects the LPAR metrics every second, so the test sees a
// collection cycle per second.
const lpmConf = `
globals {
  daemonize = no
  setuid = no
  send_metadata_interval = 60
}
cluster { name = "from-gmond-conf" }
udp_send_channel {
  host = 127.0.0.1
  port = 9  /* replaced by the mapping */
}
collection_group {
  collect_once = yes
  time_threshold = 20
  metric { name = "heartbeat" }
  metric { name = "location" }
}
collection_group {
  collect_every = 1
  time_threshold = 1
  metric { name = "serial_num" }
  metric { name = "cpu_entitlement" }
  metric { name = "cpu_used" }
  metric { name = "cpu_pool_idle" }
}
`

func lpmMapping(def, a, b int) string {
	return fmt.Sprintf(`
[default]
cluster = "Unmapped"
port    = %d

[[managed_system]]
name         = "P9-A"
model_serial = %q
port         = %d

[[managed_system]]
name         = "P10-B"
model_serial = %q
port         = %d
`, def, chassisA, a, chassisB, b)
}

// TestLPMRetarget changes the chassis under a running gmond, as LPM does:
// within one collection interval its packets go to the new managed
// system's port, metadata first, none to the old one any more, and no
// rate computed across the two frames' counters goes out.
func TestLPMRetarget(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "sysroot")
	lparcfg := filepath.Join(root, "proc/ppc64/lparcfg")
	writeFile(t, filepath.Join(root, "proc/cpuinfo"), readTestdata(t, "lpar/cpuinfo"))
	writeFile(t, lparcfg, readTestdata(t, "lpar/lparcfg_t0"))
	def, sysA, sysB := newSink(t), newSink(t), newSink(t)
	writeFile(t, filepath.Join(dir, "gmond.conf"), []byte(lpmConf))
	writeFile(t, filepath.Join(dir, "lpm.toml"), []byte(lpmMapping(def.port, sysA.port, sysB.port)))
	g := startGmond(t, dir, "-c", "gmond.conf", "--mapping", "lpm.toml", "--sysroot", root)

	// Before the move: everything goes to P9-A, metadata before values.
	before := sysA.until(15*time.Second, "serial_num value", isString("serial_num", "IBM,0221ABCDE"))
	checkMetadataFirst(t, "P9-A", before)
	writeFile(t, lparcfg, readTestdata(t, "lpar/lparcfg_t1"))
	got := sysA.until(10*time.Second, "cpu_used value", isValue("cpu_used"))
	if v := value(got[len(got)-1]); v < 0.799 || v > 0.801 {
		t.Errorf("cpu_used from t0 -> t1 = %v, want 0.8000 (lparcfg_shared_uncapped_expected.txt)", v)
	}

	// The move.
	moved := time.Now()
	writeFile(t, lparcfg, readTestdata(t, "lpar/lparcfg_after_lpm"))
	after := sysB.until(10*time.Second, "serial_num value after the move", isString("serial_num", "IBM,0278FEDCB"))
	first := after[0]
	latency := first.at.Sub(moved)
	t.Logf("first packet at the new port %v after the chassis changed (collection interval 1 s)", latency)
	if latency > 3*time.Second {
		t.Errorf("first packet reached the new port %v after the move, want within one collection interval", latency)
	}
	if first.ID != xdr.IDMetadata {
		t.Errorf("first packet at the new port is %s/%s, want metadata", first.ID, first.Name)
	}
	checkMetadataFirst(t, "P10-B", after)
	// location sits in a collect_once group, as in Debian's gmond.conf:
	// it must still be read again and carry the new chassis.
	if !slices.ContainsFunc(after, isString("location", chassisB)) {
		after = append(after, sysB.until(5*time.Second, "location of the new chassis", isString("location", chassisB))...)
	}

	// A later sample on the new frame gives normal rates again.
	t2 := strings.NewReplacer("purr=48243905372416", "purr=48256193372416",
		"tbr=1769518203456789", "tbr=1769533563456789",
		"pool_idle_time=72245566198337536", "pool_idle_time=72245811958337536").
		Replace(string(readTestdata(t, "lpar/lparcfg_after_lpm")))
	writeFile(t, lparcfg, []byte(t2))
	after = append(after, sysB.until(10*time.Second, "cpu_pool_idle on the new frame", isValue("cpu_pool_idle"))...)
	time.Sleep(2500 * time.Millisecond) // two more cycles, to catch stray packets
	after = append(after, sysB.drain()...)
	for _, p := range after {
		if !p.ID.IsValue() {
			continue
		}
		v := value(p)
		switch p.Name {
		case "cpu_used":
			if v < 0 || v > 8 { // partition_potential_processors=8
				t.Errorf("cpu_used %v after the move: a rate across two frames", v)
			}
		case "cpu_pool_idle":
			if v < 0 || v > 32 { // pool_num_procs=32
				t.Errorf("cpu_pool_idle %v after the move: a rate across two frames' pool counters", v)
			}
		}
	}
	last := after[len(after)-1]
	if v := value(last); last.Name == "cpu_pool_idle" && (v < 15.999 || v > 16.001) {
		t.Errorf("cpu_pool_idle on the new frame = %v, want 16.0000 (245760000000 idle ticks / 15360000000)", v)
	}

	// Nothing goes to the old managed system once the new one was reached,
	// nor to the default port at any time.
	for _, p := range sysA.drain() {
		if p.at.After(first.at.Add(500 * time.Millisecond)) {
			t.Errorf("packet %s/%s reached the old managed system %v after the move", p.ID, p.Name, p.at.Sub(first.at))
		}
	}
	if stray := def.drain(); len(stray) > 0 {
		t.Errorf("%d packets went to the default port:%s", len(stray), names(stray))
	}
	if clean, err := g.StopWithin(5 * time.Second); !clean || err != nil {
		t.Errorf("gmond did not stop cleanly on SIGTERM: clean=%v err=%v", clean, err)
	}
	if log := g.Log(); !strings.Contains(log, "LPM move") || !strings.Contains(log, chassisB) {
		t.Errorf("the move is not logged:\n%s", log)
	}
}

// checkMetadataFirst fails when a metric's value reached a port before its
// metadata did.
func checkMetadataFirst(t *testing.T, port string, ps []packet) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range ps {
		switch {
		case p.ID == xdr.IDMetadata:
			seen[p.Name] = true
		case p.ID.IsValue() && !seen[p.Name]:
			t.Errorf("%s: value of %s arrived before its metadata", port, p.Name)
			seen[p.Name] = true
		}
	}
}

func isString(name, want string) func(packet) bool {
	return func(p packet) bool { return p.ID == xdr.IDString && p.Name == name && p.Value.Str == want }
}

func isValue(name string) func(packet) bool {
	return func(p packet) bool { return p.ID.IsValue() && p.Name == name }
}
