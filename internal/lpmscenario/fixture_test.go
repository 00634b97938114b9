package lpmscenario

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readKV reads a key=value file such as lparcfg.
func readKV(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	kv := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			kv[k] = v
		}
	}
	return kv
}

func num(t *testing.T, kv map[string]string, key string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(kv[key], 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", key, kv[key], err)
	}
	return v
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFixture: the sysroot names the LPAR's frame and partition in lparcfg
// and the device tree, and its counters give the LPAR's physc; a move
// changes the frame, the partition id and the pool counter, while PURR and
// the timebase go on.
func TestFixture(t *testing.T) {
	root := t.TempDir()
	sys := DefaultSystems()
	l := DefaultLPARs()[0]
	t0 := time.Unix(1_800_000_000, 0)
	f, err := newFixture(root, l, sys[0], 12, t0)
	if err != nil {
		t.Fatal(err)
	}
	lparcfg := filepath.Join(root, "proc/ppc64/lparcfg")
	a := readKV(t, lparcfg)
	for k, want := range map[string]string{
		"serial_number": "IBM,0221ABCDE", "system_type": "IBM,9009-42A", "partition_id": "12",
		"partition_name": l.Name, "partition_entitled_capacity": "200", "partition_active_processors": "4",
		"pool_num_procs": "20", "shared_processor_mode": "1",
	} {
		if a[k] != want {
			t.Errorf("lparcfg %s=%q, want %q", k, a[k], want)
		}
	}
	dt := filepath.Join(root, "proc/device-tree")
	if got := readString(t, filepath.Join(dt, "system-id")); got != "IBM,0221ABCDE\x00" {
		t.Errorf("device-tree system-id %q", got)
	}
	if got := []byte(readString(t, filepath.Join(dt, "ibm,partition-no"))); !bytes.Equal(got, []byte{0, 0, 0, 12}) {
		t.Errorf("device-tree ibm,partition-no %v", got)
	}

	t1 := t0.Add(5 * time.Second)
	if err := f.write(t1); err != nil {
		t.Fatal(err)
	}
	b := readKV(t, lparcfg)
	physc := (num(t, b, "purr") - num(t, a, "purr")) / (num(t, b, "tbr") - num(t, a, "tbr"))
	if want := f.physc(t1); physc < want-0.001 || physc > want+0.001 {
		t.Errorf("Δpurr/Δtbr = %g, want %g", physc, want)
	}
	if physc < 0.75*l.Physc || physc > 1.25*l.Physc {
		t.Errorf("physc %g, want %g ± 25 %%", physc, l.Physc)
	}
	idle := (num(t, b, "pool_idle_time") - num(t, a, "pool_idle_time")) / (num(t, b, "tbr") - num(t, a, "tbr"))
	if idle <= 0 || idle >= float64(sys[0].Pool) {
		t.Errorf("pool idle %g cores of %d", idle, sys[0].Pool)
	}
	if !strings.HasPrefix(readString(t, filepath.Join(root, "proc/stat")), "cpu  ") {
		t.Errorf("proc/stat has no aggregate cpu line")
	}

	t2 := t1.Add(5 * time.Second)
	if err := f.move(sys[1], 31, t2); err != nil {
		t.Fatal(err)
	}
	c := readKV(t, lparcfg)
	if c["serial_number"] != "IBM,0278FEDCB" || c["system_type"] != "IBM,9105-42A" || c["partition_id"] != "31" || c["pool_num_procs"] != "32" {
		t.Errorf("after the move: serial %s type %s id %s pool %s", c["serial_number"], c["system_type"], c["partition_id"], c["pool_num_procs"])
	}
	if num(t, c, "purr") <= num(t, b, "purr") || num(t, c, "tbr") <= num(t, b, "tbr") {
		t.Errorf("purr or tbr went back with the move")
	}
	if c["pool_idle_time"] == b["pool_idle_time"] {
		t.Errorf("pool_idle_time unchanged by the move")
	}
	if got := readString(t, filepath.Join(dt, "model")); got != "IBM,9105-42A\x00" {
		t.Errorf("device-tree model after the move %q", got)
	}
	if !strings.Contains(readString(t, filepath.Join(root, "proc/cpuinfo")), "model\t\t: IBM,9105-42A\n") {
		t.Errorf("cpuinfo model not the new frame's")
	}
}

func TestSetFieldsMissingKey(t *testing.T) {
	if _, err := setFields("a=1\nb=2\n", []string{"a", "3", "c", "4"}); err == nil {
		t.Error("a key the template lacks was accepted")
	}
	got, err := setFields("a=1\nb=2\n", []string{"b", "x y"})
	if err != nil || got != "a=1\nb=x y\n" {
		t.Errorf("setFields = %q, %v", got, err)
	}
}

func TestStepAfter(t *testing.T) {
	for _, c := range []struct{ at, n, want int64 }{
		{1500, 1, 1515}, {1501, 1, 1530}, {1514, 2, 1545},
	} {
		if got := StepAfter(time.Unix(c.at, 0), int(c.n)); got != c.want {
			t.Errorf("StepAfter(%d, %d) = %d, want %d", c.at, c.n, got, c.want)
		}
	}
}
